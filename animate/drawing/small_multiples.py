"""Small multiples: several runs of one scene side by side on one clock, with one shared loss panel."""

from __future__ import annotations

import math

import numpy as np

from ..comparison import Comparison
from ..options import RenderOptions
from ..wording import ending_text
from typing import Optional

from ..story import Timeline
from . import PANELS, PictureFrames, caption_line, style
from .history import HistoryPanel, Run
from .picture import Picture

COLUMNS = 3  # panels per row


class SmallMultiples(PictureFrames):
    """The frames of a :class:`~animate.comparison.Comparison`: one small plot per run, and one loss panel
    under them that overlays every run's loss (unless ``options.loss_panel`` is off)."""

    def __init__(self, comparison: Comparison, options: RenderOptions = RenderOptions(),
                 timeline: Optional[Timeline] = None):
        options = options.resolved(comparison.traces[0].meta.pace)
        self.comparison = comparison
        clock = comparison.clock
        timeline = timeline or Timeline.plain(len(clock))  # over the clock's ticks, one clock for every run
        self.timeline = timeline
        first = comparison.traces[0]
        step_name = first.meta.step_name
        self.picture = Picture(options, len(timeline))
        tick = timeline.index_of
        self.picture.header(options.title if options.title is not None else (comparison.title or first.meta.title),
                            lambda index: f"{step_name} {int(clock[tick(index)]):,} of {int(clock[-1]):,}",
                            lambda index: [])
        caption_line(self.picture, timeline)
        count = len(comparison.traces)
        columns = min(count, COLUMNS)
        rows = math.ceil(count / columns)
        below = 1 if options.loss_panel else 0
        grid = self.picture.figure.add_gridspec(rows + below, columns, height_ratios=[1.0] * rows + [0.75] * below)
        self.panels = []
        for run, (trace, label) in enumerate(zip(comparison.traces, comparison.labels)):
            ax = self.picture.figure.add_subplot(grid[run // columns, run % columns])
            ax.set_title(style.literal(label), loc="left", fontsize=self.picture.sizes.small, fontweight="bold",
                         fontfamily=style.families(),
                         color=self.picture.theme.run_text[run])
            # Each run is one colour everywhere: its label, its fit or boundary, its loss curve below.
            on_clock = comparison.index_of(run)
            panel = PANELS[trace.painter](self.picture, ax, trace, lambda index, at=on_clock: at(tick(index)),
                                          compact=True, colour=self.picture.theme.runs[run],
                                          blend=run_blend(timeline, on_clock))
            panel.ending = ending_text(trace.meta, "short", last_step=int(trace.steps[-1]))
            self.panels.append(panel)
        if options.loss_panel:
            runs = [Run(trace, lambda index, at=comparison.index_of(run): at(tick(index)), self.picture.theme.runs[run],
                        label)
                    for run, (trace, label) in enumerate(zip(comparison.traces, comparison.labels))]
            self.panels.append(HistoryPanel(self.picture, self.picture.figure.add_subplot(grid[rows, :]), runs))
        for panel in self.panels:
            self.picture.add_panel(panel)
        self.picture.finish()

    @property
    def colours(self) -> np.ndarray:
        """Each run's panel reserves the same shading ramp: keep each colour once."""
        colours = np.concatenate([panel.colours for panel in self.panels])
        return np.unique(colours, axis=0) if len(colours) else colours


def run_blend(timeline: Timeline, on_clock):
    """Frame index → (before, after, t) in one run's own snapshots, from the timeline over clock ticks."""
    def blend(index: int) -> tuple:
        before, after, t = timeline.blend(index)
        return on_clock(before), on_clock(after), t
    return blend
