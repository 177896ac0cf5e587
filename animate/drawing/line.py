"""The picture of a 1-D regression: data points, the true function dashed, the fit moving."""

from __future__ import annotations

import numpy as np

from . import style
from .limits import value_limits
from .panel import Panel
from .placement import to_axes
from ..story import blend_values
from ..wording import equation_lines


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
        sizes = self.picture.sizes
        small = sizes.small if self.compact else sizes.text

        ax.set_xlim(float(grid_x.min()), float(grid_x.max()))
        ax.set_ylim(*value_limits(data_y, self.curves))
        ax.set_xlabel(style.literal(self.meta.xlabel), fontsize=small, fontfamily=style.families())
        ax.set_ylabel(style.literal(self.meta.ylabel), fontsize=small, fontfamily=style.families())
        theme = self.theme
        theme.style_axes(ax, sizes.small if self.compact else sizes.tick)
        ax.grid(color=theme.grid, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)

        if "points_x" in static:
            ax.scatter(static["points_x"], static["points_y"], s=12 if self.compact else 20, color=theme.points,
                       alpha=0.85, edgecolors=theme.paper, linewidths=0.5, label="data", zorder=3.5)
        if truth is not None:
            ax.plot(grid_x, truth, linestyle=(0, (5, 3)), color=theme.truth, linewidth=1.5,
                    label=style.literal(self.meta.truth_label), zorder=3)
        (line,) = ax.plot(grid_x, self.curves[0], color=self.colour or theme.fit, linewidth=2.2 if self.compact else 2.8,
                          label="fit", solid_capstyle="round", zorder=4)
        self.fit_line = self.picture.animate(line)
        self.trails = self._trail_lines(grid_x)
        # Stacked equations (a fit above its target) line up only in a monospaced face.
        short = self.compact or self.picture.compact  # only the fit's line is shown (see info_lines)
        stacked = len(equation_lines(self.meta.equation, self.params_at(0))) > 1 and not short
        family = "monospace" if stacked else None
        points, paths = self._crowd(grid_x, truth)
        info_spot = self.place_readout(points, paths, self.info_lines, small, family)
        if not self.compact:  # small multiples share one legend's worth of meaning; they go without
            self.place_legend(points, paths, taken=(info_spot,))

    def _trail_lines(self, grid_x) -> list:
        """Fainter copies of the fit, showing where it was a few frames before."""
        count = self.picture.options.trail
        lines = []
        for age in range(1, count + 1):
            (trail,) = self.ax.plot(grid_x, self.curves[0], color=self.colour or self.theme.fit, linewidth=1.6,
                                    alpha=0.45 * (1 - (age - 1) / count), zorder=3.9)
            lines.append(self.picture.animate(trail))
        return lines

    def _crowd(self, grid_x, truth) -> tuple:
        """The data points and the fit's paths over the run (and the truth), in axes fractions."""
        static = self.trace.static
        points = to_axes(self.ax, static["points_x"], static["points_y"]) if "points_x" in static else np.zeros((0, 2))
        paths = [to_axes(self.ax, grid_x, curve) for curve in self.curves]  # every recorded step
        if truth is not None:
            paths.append(to_axes(self.ax, grid_x, truth))
        return points, paths

    def info_lines(self, snapshot: int) -> list:
        """The fitted equation (and its target, unless compact) and the loss at ``snapshot``."""
        lines = equation_lines(self.meta.equation, self.params_at(snapshot))
        short = self.compact or self.picture.compact  # a small picture shows the fit, not its target too
        return [*(lines[:1] if short else lines), self.loss_text(snapshot), *self.scalar_lines(snapshot),
                *self.ended(snapshot)]

    def update(self, index: int) -> None:
        self.fit_line.set_ydata(blend_values(self.curves, *self.blend(index)))
        for age, trail in enumerate(self.trails, start=1):
            trail.set_visible(index - age >= 0)
            if index - age >= 0:
                trail.set_ydata(blend_values(self.curves, *self.blend(index - age)))
