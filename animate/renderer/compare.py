"""Small multiples: several runs of one scene side by side on one clock, with one shared loss panel."""

from __future__ import annotations

import math
from typing import Iterable, Iterator

import numpy as np

from ..comparison import Comparison
from ..options import RenderOptions
from . import style
from .history import HistoryPanel, Run
from .picture import Picture
from .text import ending_text

COLUMNS = 3  # panels per row


class CompareRenderer:
    """The frames of a :class:`~animate.comparison.Comparison`: ``len(renderer)``, ``renderer.frame(i)``."""

    def __init__(self, comparison: Comparison, options: RenderOptions = RenderOptions()):
        from . import PANELS  # the panel kinds live beside the single-run renderer

        self.comparison = comparison
        clock = comparison.clock
        first = comparison.traces[0]
        step_name = first.meta.get("step_name", "iteration")
        self.picture = Picture(options, len(clock))
        self.picture.header(comparison.title or first.meta.get("title", ""),
                            lambda index: f"{step_name} {int(clock[index]):,} of {int(clock[-1]):,}",
                            lambda index: [])
        count = len(comparison.traces)
        columns = min(count, COLUMNS)
        rows = math.ceil(count / columns)
        grid = self.picture.figure.add_gridspec(rows + 1, columns, height_ratios=[1.0] * rows + [0.75])
        self.panels = []
        for run, (trace, label) in enumerate(zip(comparison.traces, comparison.labels)):
            ax = self.picture.figure.add_subplot(grid[run // columns, run % columns])
            ax.set_title(label, loc="left", fontsize=style.SMALL_SIZE, fontweight="bold",
                         color=self.picture.theme.runs[run])
            panel = PANELS[trace.painter](self.picture, ax, trace, comparison.index_of(run), compact=True)
            panel.ending = ending_text(trace.meta, "short", last_step=int(trace.steps[-1]))
            self.panels.append(panel)
        runs = [Run(trace, comparison.index_of(run), self.picture.theme.runs[run], label)
                for run, (trace, label) in enumerate(zip(comparison.traces, comparison.labels))]
        self.panels.append(HistoryPanel(self.picture, self.picture.figure.add_subplot(grid[rows, :]), runs))
        for panel in self.panels:
            self.picture.add_panel(panel)
        self.picture.finish()

    def __len__(self) -> int:
        return len(self.comparison)

    @property
    def colours(self) -> np.ndarray:
        """RGB colours (n, 3) an encoder's palette should hold exactly (each shading ramp once)."""
        colours = np.concatenate([panel.colours for panel in self.panels])
        return np.unique(colours, axis=0) if len(colours) else colours

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an RGB ``uint8`` array of shape (height, width, 3)."""
        return self.picture.frame(index)

    def frames(self, indices: Iterable[int]) -> Iterator[np.ndarray]:
        """The frames at ``indices``, in that order."""
        for index in indices:
            yield self.picture.frame(index)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
