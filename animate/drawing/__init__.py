"""Drawing: a trace (or a comparison of traces) in, RGB frames out. Uses matplotlib only; never imports torch.

    >>> with open_frames(trace, RenderOptions()) as frames:     # doctest: +SKIP
    ...     first = next(frames.frames([0]))                     # (480, 640, 3) uint8
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

import numpy as np

from ..comparison import Comparison
from ..errors import AnimateError
from ..frames import FrameSource
from ..options import RenderOptions
from ..story import Timeline
from ..trace import Trace
from .boundary import BoundaryPanel
from .history import HistoryPanel, Run
from .line import LinePanel
from .regions import RegionsPanel
from .panel import ending_lines, ends_badly, progress_text
from . import parallel
from .parallel import ParallelRenderer, worker_count
from .path import ParamPathPanel
from .picture import Picture

PANELS = {"line": LinePanel, "boundary": BoundaryPanel, "regions": RegionsPanel}
from ..trace_checks import PAINTERS  # noqa: E402  (one list: what a trace may name, what draws it)


class PictureFrames:
    """A frame source drawn from one :class:`~animate.drawing.picture.Picture`; subclasses build it.

    ``len(frames)`` frames; ``frame(i)`` or ``frames(indices)`` draws them; ``colours`` are the RGB
    colours an encoder's palette should hold exactly (such as the steps of a shading ramp).
    """

    picture: Picture
    panels: list

    def __len__(self) -> int:
        return self.picture.count

    @property
    def colours(self) -> np.ndarray:
        colours = [panel.colours for panel in self.panels]
        return np.concatenate(colours) if colours else np.zeros((0, 3), np.uint8)

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an RGB ``uint8`` array of shape (height, width, 3)."""
        return self.picture.frame(index)

    def frames(self, indices: Iterable[int]) -> Iterator[np.ndarray]:
        """The frames at ``indices``, in that order (a frame that shows what the one before it showed, such as
        a held state, is that frame again, not drawn anew)."""
        timeline, trail = getattr(self, "timeline", None), self.picture.options.trail
        last_key, last = None, None
        for index in indices:
            key = (timeline.moments[index] if timeline is not None and not trail else None, index)
            if key[0] is not None and last_key is not None and key[0] == last_key[0]:
                yield last
                continue
            last_key, last = key, self.picture.frame(index)
            yield last

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.frames(range(len(self)))

    def close(self) -> None:
        """Nothing to release (the parallel renderer has workers to stop)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Renderer(PictureFrames):
    """The frames of one trace: the fit's panel, and beside it the loss and parameter path as asked.

    It takes a trace and options that :func:`check_drawable` accepts (a render job has checked them);
    options not resolved yet are resolved for the trace, by the same rule a job uses.
    """

    def __init__(self, trace: Trace, options: RenderOptions = RenderOptions(), timeline: Optional[Timeline] = None):
        options = options.resolved(trace.meta.pace)
        self.trace = trace
        self.options = options
        timeline = timeline or Timeline.plain(len(trace))
        self.timeline = timeline
        shown = timeline.index_of  # the real snapshot whose numbers a frame shows
        self.picture = Picture(options, len(timeline))
        width, height = self.picture.figure.get_size_inches()
        if trace.painter in ("boundary", "regions") and self.picture.compact and width > 1.2 * height:
            self.picture.use_side_column()  # a square plot in a wide frame: words beside it, not above
        self.picture.header(options.title if options.title is not None else trace.meta.title,
                            lambda index: progress_text(trace, shown(index)),
                            lambda index: ending_lines(trace, shown(index)), warning=ends_badly(trace.meta))
        caption_line(self.picture, timeline)
        if trace.painter == "history":
            series = ["loss", *trace.scalars]
            axes = np.atleast_1d(self.picture.figure.subplots(len(series), 1, sharex=True))
            self.panels = [HistoryPanel(self.picture, ax, [Run(trace, shown)], name) for ax, name in zip(axes, series)]
        else:
            # A compact picture has no room for a loss panel: the loss is a small chart beside its readout.
            chart = self.picture.inline_chart() if self.picture.compact and options.loss_panel else None
            main, beside = _axes(self.picture.figure, trace, options, self.picture.compact)
            moving = {"index_of": shown, "blend": timeline.blend}
            self.panels = [PANELS[trace.painter](self.picture, main, trace, **moving)]
            if "path" in beside:
                self.panels.append(ParamPathPanel(self.picture, beside["path"], trace, **moving))
            if "loss" in beside:
                self.panels.append(HistoryPanel(self.picture, beside["loss"], [Run(trace, shown)]))
            if chart is not None:
                self.panels.append(HistoryPanel(self.picture, chart, [Run(trace, shown)], inline=True))
        for panel in self.panels:
            self.picture.add_panel(panel)
        self.picture.finish()

    @property
    def panel(self):
        """The main panel (the plot of the fit)."""
        return self.panels[0]


def caption_line(picture: Picture, timeline: Timeline) -> None:
    """Story mode's captions (an event, the set-up, the result) on a line of their own under the progress
    line, outside the plot: reserved only when some frame has one."""
    captions = {moment.caption for moment in timeline.moments if moment.caption}
    if captions:
        size = picture.sizes.small if picture.compact else picture.sizes.text  # a small picture's band is dear
        wrapped = {caption: picture.wrapped(caption, size) for caption in captions}
        picture.band_text(lambda index: wrapped.get(timeline.caption(index), []), size=size,
                          colour=picture.theme.ink, across=True)


def check_memory(options: RenderOptions) -> None:
    """Raise :class:`AnimateError` now if frames of this size would not fit in memory even in one process."""
    needed, usable = parallel.memory_needed(options.size, 0), parallel.usable_memory()
    if needed > usable:
        width, height = options.size
        raise AnimateError(f"frames of {width}x{height} pixels need about {needed / 2**30:.1f} GiB to draw and "
                           f"write, and about {usable / 2**30:.1f} GiB is free: use a smaller size or scale")


def check_drawable(drawable, options: RenderOptions) -> None:
    """Raise :class:`AnimateError` now if ``drawable`` cannot be drawn with ``options`` (before any work)."""
    traces = drawable.traces if isinstance(drawable, Comparison) else (drawable,)
    for trace in traces:
        if trace.painter not in PAINTERS:
            raise AnimateError(f"no painter named {trace.painter!r} for this trace: valid painters are "
                               f"{', '.join(PAINTERS)}")
    if options.param_path and not isinstance(drawable, Comparison) and "surface" not in drawable.static:
        raise AnimateError("this trace has no loss surface to draw the parameter path on: it needs a scene "
                           "with two parameters (the line scenes, logistic) recorded by this version")


def _axes(figure, trace: Trace, options: RenderOptions, compact: bool = False):
    """The main plot's axes and those of the panels beside it ("loss", "path"), laid out for the picture.

    A line plot is wide: its loss panel goes underneath. A boundary plot is square: extra panels go
    in a column to its right, as they do whenever the parameter path is shown.
    """
    beside = [name for name, wanted in (("path", options.param_path), ("loss", options.loss_panel)) if wanted]
    if not beside or compact:  # a compact picture is one plot (its loss is an inline chart by the readouts)
        return figure.add_subplot(), {}
    if trace.painter == "line" and beside == ["loss"]:
        grid = figure.add_gridspec(2, 1, height_ratios=[3, 1.15])
        return figure.add_subplot(grid[0]), {"loss": figure.add_subplot(grid[1])}
    # A boundary plot is square: the column beside it takes what the square leaves of a wide frame.
    grid = figure.add_gridspec(len(beside), 2, width_ratios=[2.1 if trace.painter in ("boundary", "regions") else 1.55, 1])
    return figure.add_subplot(grid[:, 0]), {name: figure.add_subplot(grid[row, 1]) for row, name in enumerate(beside)}


def open_frames(drawable, options: RenderOptions = RenderOptions(), timeline: Optional[Timeline] = None) -> FrameSource:
    """The frame source for ``drawable`` (a :class:`Trace` or a :class:`Comparison`), drawn here or in
    worker processes when the frames are many and cores spare. Use as a context manager.

    ``timeline`` (story mode) says which state each frame draws; by default, one frame per snapshot.
    ``options.workers`` overrides the choice (1 draws in this process).
    """
    from .small_multiples import SmallMultiples

    factory = SmallMultiples if isinstance(drawable, Comparison) else Renderer
    count = len(timeline) if timeline is not None else len(drawable)
    workers = worker_count(count, options.workers, options.size)
    if workers:
        return ParallelRenderer(factory, (drawable, options, timeline), count, workers)
    return factory(drawable, options, timeline)
