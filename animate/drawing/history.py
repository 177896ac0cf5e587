"""A series over training steps (the loss, or a recorded scalar), drawn up to the current step.

One panel can carry several runs on one clock (the shared loss panel of a comparison): each run is a
line in its own colour, drawn up to the step that run has reached, with a dot at its current value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
from matplotlib.ticker import FuncFormatter, NullFormatter

from ..trace import Trace
from . import style
from .limits import padded
from .panel import Panel

DECADES_FOR_LOG = 1  # a loss spanning more than this many factors of ten is drawn on a log scale
LONG_RUN = 200  # steps: beyond this, steps are drawn on a log-like scale, as frames are spread in log-time


@dataclass
class Run:
    """One line of a history panel: a trace, the snapshot it shows at each frame, a colour, a label."""

    trace: Trace
    index_of: Callable[[int], int] = lambda index: index
    colour: Optional[str] = None  # the theme's fit colour when not given
    label: Optional[str] = None


class HistoryPanel(Panel):
    """``series`` ("loss" or the name of a recorded scalar) of each run, against training steps."""

    def __init__(self, picture, ax, runs: list, series: str = "loss", compact: bool = False, inline: bool = False):
        super().__init__(picture, ax, runs[0].trace, runs[0].index_of, compact)
        self.runs = runs
        self.series = series
        # A chart beside the readouts of a small picture (the readout beside it names the value): the line,
        # its current point and the stopping rule, with no axes, ticks or words.
        self.inline = inline

    def values(self, trace: Trace) -> np.ndarray:
        return np.asarray(trace.loss if self.series == "loss" else trace.scalars[self.series], dtype=float)

    def draw_static(self) -> None:
        ax = self.ax
        every = [self.values(run.trace) for run in self.runs]
        finite = np.concatenate([v[np.isfinite(v)] for v in every]) if every else np.zeros(0)
        last_step = max(int(run.trace.steps[-1]) for run in self.runs)
        if last_step > LONG_RUN:
            # Frames come denser early (where the fit moves); a linear axis would crowd them at the left.
            ax.set_xscale("symlog", linthresh=1, linscale=0.3)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        # A little room past the last step, so the current point is whole on the last frame (the poster).
        ax.set_xlim(0, max(last_step, 1) * (1.06 if last_step > LONG_RUN else 1.025))
        stop = self.meta.stop_below if self.series == "loss" and len(self.runs) == 1 else None
        self.stop_label = None
        shown = np.append(finite, stop) if stop is not None and stop > 0 else finite
        self.log = (self.series == "loss" and shown.size and shown.min() > 0
                    and shown.max() / shown.min() > 10**DECADES_FOR_LOG)
        if self.log:
            ax.set_yscale("log")
            low, high = padded(math.log10(shown.min()), math.log10(shown.max()))
            ax.set_ylim(10**low, 10**high)
            # Plain numbers (0.01, 0.1, 1), not small superscripts; only the decades are labelled.
            ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: plain_number(value)))
            ax.yaxis.set_minor_formatter(NullFormatter())
        elif shown.size:
            ax.set_ylim(*padded(float(shown.min()), float(shown.max())))
        if self.inline:
            self._draw_inline(stop)
            return
        if stop is not None:
            # The stopping rule, where the run must get to: a dashed line, its words at the left (where the
            # loss is still high above it; at the right the curve comes down onto the line).
            ax.axhline(stop, color=self.theme.muted, linewidth=1, linestyle=(0, (4, 3)), zorder=2)
            self.stop_label = ax.annotate(f"stop: loss < {stop:g}", (0, stop), xycoords=("axes fraction", "data"),
                                          xytext=(3, 3), textcoords="offset points", ha="left", va="bottom",
                                          fontsize=self.picture.sizes.small, color=self.theme.muted, zorder=2)
        # The full loss name is in the info box; a side panel's label stays short enough to fit.
        ax.set_ylabel(style.literal(f"{self.series}{' (log)' if self.log else ''}"), fontsize=self.picture.sizes.small,
                      fontfamily=style.families())
        spec = ax.get_subplotspec()
        if spec is None or spec.is_last_row():  # stacked panels share one x axis label, at the bottom
            ax.set_xlabel(style.literal(self.meta.step_name), fontsize=self.picture.sizes.small,
                          fontfamily=style.families())
        self.theme.style_axes(ax, self.picture.sizes.small)
        ax.grid(color=self.theme.grid, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        self.lines, self.dots = [], []
        for run in self.runs:
            colour = run.colour or self.theme.fit
            label = style.literal(run.label) if run.label else None
            (line,) = ax.plot([], [], color=colour, linewidth=1.8, label=label, zorder=3)
            (dot,) = ax.plot([], [], "o", color=colour, markersize=5, markeredgecolor=self.theme.paper, zorder=4,
                             clip_on=False)
            self.lines.append(self.picture.animate(line))
            self.dots.append(self.picture.animate(dot))
        # A legend of more than six runs would cover the curves; then the panels' coloured titles say which is which.
        if any(run.label for run in self.runs) and len(self.runs) <= 6:
            self.picture.overlay(self.theme.legend(ax, self.picture.sizes.small, family=style.families(),
                                                   loc="upper right"))

    def _draw_inline(self, stop) -> None:
        """The inline chart: a faint frame line at the bottom, the stopping rule dashed, the run's line and dot."""
        self.lines, self.dots = [], []
        if not self.picture.has_chart:  # given up for room (the picture has removed its axes)
            return
        ax = self.ax
        ax.set_facecolor("none")
        ax.tick_params(which="both", left=False, bottom=False, labelleft=False, labelbottom=False)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.spines["bottom"].set_color(self.theme.grid)
        if stop is not None:
            ax.axhline(stop, color=self.theme.muted, linewidth=0.9, linestyle=(0, (3, 2)), zorder=2)
        colour = self.runs[0].colour or self.theme.fit
        (line,) = ax.plot([], [], color=colour, linewidth=1.5, zorder=3, solid_capstyle="round")
        (dot,) = ax.plot([], [], "o", color=colour, markersize=3.5, markeredgecolor=self.theme.paper,
                         markeredgewidth=0.6, zorder=4, clip_on=False)
        self.lines, self.dots = [self.picture.animate(line)], [self.picture.animate(dot)]

    def after_layout(self) -> None:
        """A narrow panel (a square frame's side column) gets the stopping rule's words short, or none."""
        label = getattr(self, "stop_label", None)
        if label is None:
            return
        room = self.ax.get_window_extent().width - 4 * self.picture.dpi_scale
        draw = self.picture.canvas.get_renderer()
        for words in (label.get_text(), label.get_text().split(": ", 1)[-1]):
            label.set_text(words)
            if label.get_window_extent(draw).width <= room:
                return
        label.set_visible(False)

    def update(self, index: int) -> None:
        for run, line, dot in zip(self.runs, self.lines, self.dots):
            snapshot = run.index_of(index)
            steps, values = run.trace.steps[: snapshot + 1], self.values(run.trace)[: snapshot + 1]
            line.set_data(steps, values)
            dot.set_data(steps[-1:], values[-1:])


def plain_number(value: float) -> str:
    """A log axis's tick as a plain number: ``0.001``, ``0.1``, ``10``, ``1000``; ``1e-05`` beyond."""
    if value <= 0 or not math.isfinite(value):
        return ""
    return f"{value:g}" if 1e-4 <= value < 1e5 else f"1e{round(math.log10(value))}"
