"""The picture of a 2-D binary classifier: two classes of points, the boundary, P(class 1) shaded."""

from __future__ import annotations

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.lines import Line2D

from . import style
from .layers import Shading
from .panel import Panel
from .placement import to_axes
from ..meta import LinearEquation
from ..story import blend_probabilities
from ..wording import equation_lines, line_of

RAMP_STEPS = 33  # palette places for the shading: smooth to the eye (odd, so white is one of them)


class BoundaryPanel(Panel):
    """Draws a trace observed with :class:`~animate.observe.Boundary` (painter name ``"boundary"``).

    When the scene's ``equation`` gives the boundary as a line ``y = w·x + b`` it is drawn exactly
    from the parameters; otherwise the 0.5 contour of the recorded probabilities is drawn. The points,
    the legend and the frame of the plot stay above the moving shading and boundary.
    """

    def draw_static(self) -> None:
        ax, static = self.ax, self.trace.static
        grid_x, grid_y = static["grid_x"], static["grid_y"]
        self.probs = self.trace.outputs["prob"]
        # A boundary given as a line y = w·x + b is drawn exactly from the parameters.
        self.line = self.meta.equation if isinstance(self.meta.equation, LinearEquation) else None
        self.xs = np.array([grid_x[0], grid_x[-1]], dtype=float)

        sizes, small, theme = self.square_plot(grid_x, grid_y)

        self.cmap = LinearSegmentedColormap.from_list("class-shade", theme.shade)
        # The shading is a smooth ramp: give its steps to the GIF palette so it does not band.
        self.colours = (self.cmap(np.linspace(0, 1, RAMP_STEPS))[:, :3] * 255).round().astype(np.uint8)
        if not self.compact and not self.picture.compact:  # small pictures leave the bar to the legend's words
            # Attached to the plot itself, so that it is exactly as tall as the (square) plot.
            bar = ax.inset_axes([1.035, 0.0, 0.04, 1.0])
            colorbar = self.picture.figure.colorbar(ScalarMappable(Normalize(0.0, 1.0), self.cmap), cax=bar)
            colorbar.set_ticks([0, 0.5, 1])
            bar.set_title("P(class 1)", fontsize=sizes.small, color=theme.muted, loc="left", pad=4)
            colorbar.ax.tick_params(labelsize=sizes.small, colors=theme.muted)
            colorbar.outline.set_edgecolor(theme.box_edge)

        names = self.meta.class_names
        labels = static.get("points_label", np.zeros_like(static["points_x"]))
        handles = []
        for value, (name, colour) in enumerate(zip(names, theme.classes)):
            chosen = labels == value
            self.picture.overlay(ax.scatter(static["points_x"][chosen], static["points_y"][chosen],
                                          s=14 if self.compact else 26,
                                          color=colour, edgecolors=theme.paper, linewidths=0.6, zorder=3))
            handles.append(Line2D([], [], marker="o", linestyle="", color=colour, markeredgecolor=theme.paper,
                                  markersize=6, label=style.literal(name)))
        handles.append(Line2D([], [], color=theme.ink, linewidth=2.4, label="boundary"))

        self.contour = None
        (line,) = ax.plot(self.xs, self.xs * 0, color=self.colour or theme.ink, linewidth=2.4, zorder=4)
        self.boundary = self.picture.animate(line)
        self.trails = []
        if self.line is not None:  # trails follow a straight boundary
            for age in range(1, self.picture.options.trail + 1):
                (trail,) = ax.plot(self.xs, self.xs * 0, color=self.colour or theme.ink, linewidth=1.4, zorder=3.9,
                                   alpha=0.4 * (1 - (age - 1) / self.picture.options.trail))
                self.trails.append(self.picture.animate(trail))
        for spine in ax.spines.values():  # the shading is painted over the plot area: keep its frame on top
            self.picture.overlay(spine)
        points, paths = self._crowd()
        info_spot = self.place_readout(points, paths, self.info_lines, small)
        if not self.compact:
            self.place_legend(points, paths, taken=(info_spot,), handles=handles)

    def _crowd(self) -> tuple:
        """What a box must not hide, in axes fractions: the data points, and the boundary at every recorded
        step (a line's path; for a curved boundary, the grid cells it passes through, as points)."""
        static = self.trace.static
        points = [to_axes(self.ax, static["points_x"], static["points_y"])]
        paths = []
        for snapshot in range(len(self.trace)):
            if self.line is not None:
                slope, intercept = line_of(self.line, self.params_at(snapshot))
                xs = np.linspace(self.xs[0], self.xs[1], 50)
                paths.append(to_axes(self.ax, xs, slope * xs + intercept))
            else:
                rows, columns = np.nonzero(np.abs(self.probs[snapshot] - 0.5) < 0.05)
                points.append(to_axes(self.ax, static["grid_x"][columns], static["grid_y"][rows]))
        return np.concatenate(points), paths

    def after_layout(self) -> None:
        lookup = (self.cmap(np.linspace(0, 1, 256))[:, :3] * 255).round().astype(np.uint8)
        static = self.trace.static
        shading = Shading(self.ax, self.picture.canvas, static["grid_x"], static["grid_y"], self.probs, lookup)
        self.shading = shading  # kept for the explorable page, which paints it in the browser
        self.picture.raster(lambda buffer, index: shading.paint(buffer, blend_probabilities(self.probs, *self.blend(index))))

    def info_lines(self, snapshot: int) -> list:
        """The boundary's equation (when it is a line) and the loss at ``snapshot``."""
        equation = " ".join(equation_lines(self.line, self.params_at(snapshot)))
        label = "" if self.compact or self.picture.compact else "boundary "
        lines = [f"{label}{equation}", self.loss_text(snapshot)] if equation else [self.loss_text(snapshot)]
        return [*lines, *self.scalar_lines(snapshot), *self.ended(snapshot)]

    def update(self, index: int) -> None:
        if self.line is not None:
            slope, intercept = line_of(self.line, self.params_blended(index))
            self.boundary.set_ydata(slope * self.xs + intercept)
            for age, trail in enumerate(self.trails, start=1):
                trail.set_visible(index - age >= 0)
                if index - age >= 0:
                    slope, intercept = line_of(self.line, self.params_blended(index - age))
                    trail.set_ydata(slope * self.xs + intercept)
        else:
            self._draw_contour(blend_probabilities(self.probs, *self.blend(index)))

    def _draw_contour(self, probs) -> None:
        self.boundary.set_visible(False)
        if self.contour is not None:
            self.picture.forget(self.contour)
            self.contour.remove()
        static = self.trace.static
        self.contour = self.ax.contour(static["grid_x"], static["grid_y"], probs,
                                       levels=[0.5], colors=[self.colour or self.theme.ink], linewidths=2.4, zorder=4)
        self.contour.set_animated(True)
        self.picture.animate(self.contour)
