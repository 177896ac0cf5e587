"""The picture of a 1-D regression: data points, the true function dashed, the fit moving."""

from __future__ import annotations

import numpy as np

from . import style
from .limits import value_limits
from .panel import Panel
from .text import equation_lines


class LinePanel(Panel):
    """Draws a trace observed with :class:`~animate.observe.Curve` (painter name ``"line"``)."""

    def draw_static(self) -> None:
        ax, static = self.ax, self.trace.static
        grid_x = static["grid_x"]
        self.curves = self.trace.outputs["curve"]
        truth = static.get("truth_y")
        data_y = [static["points_y"]] if "points_y" in static else []
        data_y += [truth] if truth is not None else []
        data_y = np.concatenate(data_y) if data_y else self.curves.ravel()
        small = style.SMALL_SIZE if self.compact else style.TEXT_SIZE

        ax.set_xlim(float(grid_x.min()), float(grid_x.max()))
        ax.set_ylim(*value_limits(data_y, self.curves))
        ax.set_xlabel(self.meta.get("xlabel", "x"), fontsize=small)
        ax.set_ylabel(self.meta.get("ylabel", "y"), fontsize=small)
        ax.tick_params(labelsize=style.SMALL_SIZE if self.compact else None)
        ax.grid(color=style.GRID, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)

        if "points_x" in static:
            ax.scatter(static["points_x"], static["points_y"], s=12 if self.compact else 20, color=style.POINTS,
                       alpha=0.85, edgecolors="white", linewidths=0.5, label="data", zorder=3.5)
        if truth is not None:
            ax.plot(grid_x, truth, linestyle=(0, (5, 3)), color=style.TRUTH, linewidth=1.5,
                    label=self.meta.get("truth_label", "true function"), zorder=3)
        (line,) = ax.plot(grid_x, self.curves[0], color=style.FIT, linewidth=2.2 if self.compact else 2.8,
                          label="fit", solid_capstyle="round", zorder=4)
        self.fit_line = self.picture.animate(line)
        if not self.compact:  # small multiples share one legend's worth of meaning; they go without
            self.picture.overlay(ax.legend(loc="lower right", fontsize=style.SMALL_SIZE, frameon=True,
                                         framealpha=0.92))
        # Stacked equations (a fit above its target) line up only in a monospaced face.
        stacked = len(equation_lines(self.meta.get("equation"), self.params_at(0))) > 1
        self.picture.dynamic_text((0.03, 0.96), lambda index: self.info_lines(self.index_of(index)),
                                transform=ax.transAxes, boxed=True, size=small,
                                family="monospace" if stacked else None)

    def info_lines(self, snapshot: int) -> list:
        """The fitted equation (and its target, unless compact) and the loss at ``snapshot``."""
        lines = equation_lines(self.meta.get("equation"), self.params_at(snapshot))
        return [*(lines[:1] if self.compact else lines), self.loss_text(snapshot), *self.scalar_lines(snapshot),
                *self.ended(snapshot)]

    def update(self, index: int) -> None:
        self.fit_line.set_ydata(self.curves[self.index_of(index)])
