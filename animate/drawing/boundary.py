"""The picture of a 2-D binary classifier: two classes of points, the boundary, P(class 1) shaded."""

from __future__ import annotations

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.lines import Line2D

from . import style
from .layers import Shading
from .panel import Panel
from .placement import quietest, to_axes
from ..meta import LinearEquation
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

        ax.set_xlim(grid_x[0], grid_x[-1])
        ax.set_ylim(grid_y[0], grid_y[-1])
        ax.set_aspect("equal")
        small = style.SMALL_SIZE if self.compact else style.TEXT_SIZE
        ax.set_xlabel(style.literal(self.meta.xlabel), fontsize=small)
        ax.set_ylabel(style.literal(self.meta.ylabel), fontsize=small)
        theme = self.theme
        theme.style_axes(ax, small=self.compact)

        self.cmap = LinearSegmentedColormap.from_list("class-shade", theme.shade)
        # The shading is a smooth ramp: give its steps to the GIF palette so it does not band.
        self.colours = (self.cmap(np.linspace(0, 1, RAMP_STEPS))[:, :3] * 255).round().astype(np.uint8)
        if not self.compact:  # small multiples leave the colour bar to the reader's memory
            colorbar = self.picture.figure.colorbar(ScalarMappable(Normalize(0.0, 1.0), self.cmap), ax=ax,
                                                  fraction=0.046, pad=0.03)
            colorbar.set_label("P(class 1)", fontsize=style.SMALL_SIZE, color=theme.ink)
            colorbar.ax.tick_params(labelsize=style.SMALL_SIZE, colors=theme.muted)
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
        info_spot = quietest(points, paths, self.text_size(self.info_lines, small))
        if not self.compact:
            legend = theme.legend(ax, handles=handles, loc="upper left")
            legend.set_loc(quietest(points, paths, self.legend_size(legend), taken=(info_spot,)))
            self.picture.overlay(legend)
        self.picture.dynamic_text(None, lambda index: self.info_lines(self.index_of(index)), boxed=True,
                                  size=small, spot=info_spot, ax=ax)

    def _boundary_path(self, snapshot: int) -> np.ndarray:
        """Where the boundary runs at ``snapshot``, in axes fractions."""
        if self.line is not None:
            slope, intercept = line_of(self.line, self.params_at(snapshot))
            xs = np.linspace(self.xs[0], self.xs[1], 50)
            return to_axes(self.ax, xs, slope * xs + intercept)
        rows, columns = np.nonzero(np.abs(self.probs[snapshot] - 0.5) < 0.05)
        static = self.trace.static
        return to_axes(self.ax, static["grid_x"][columns], static["grid_y"][rows])

    def _crowd(self) -> tuple:
        """The data points and the boundary's paths over the run, in axes fractions."""
        static = self.trace.static
        points = to_axes(self.ax, static["points_x"], static["points_y"])
        sampled = np.unique(np.linspace(0, len(self.trace) - 1, min(len(self.trace), 40)).round().astype(int))
        return points, [self._boundary_path(i) for i in sampled]

    def after_layout(self) -> None:
        lookup = (self.cmap(np.linspace(0, 1, 256))[:, :3] * 255).round().astype(np.uint8)
        static = self.trace.static
        shading = Shading(self.ax, self.picture.canvas, static["grid_x"], static["grid_y"], self.probs, lookup)
        self.picture.raster(lambda buffer, index: shading(buffer, self.index_of(index)))

    def info_lines(self, snapshot: int) -> list:
        """The boundary's equation (when it is a line) and the loss at ``snapshot``."""
        equation = " ".join(equation_lines(self.line, self.params_at(snapshot)))
        label = "" if self.compact else "boundary "
        lines = [f"{label}{equation}", self.loss_text(snapshot)] if equation else [self.loss_text(snapshot)]
        return [*lines, *self.scalar_lines(snapshot), *self.ended(snapshot)]

    def update(self, index: int) -> None:
        snapshot = self.index_of(index)
        if self.line is not None:
            slope, intercept = line_of(self.line, self.params_at(snapshot))
            self.boundary.set_ydata(slope * self.xs + intercept)
            for age, trail in enumerate(self.trails, start=1):
                trail.set_visible(index - age >= 0)
                if index - age >= 0:
                    slope, intercept = line_of(self.line, self.params_at(self.index_of(index - age)))
                    trail.set_ydata(slope * self.xs + intercept)
        else:
            self._draw_contour(snapshot)

    def _draw_contour(self, snapshot: int) -> None:
        self.boundary.set_visible(False)
        if self.contour is not None:
            self.picture.forget(self.contour)
            self.contour.remove()
        static = self.trace.static
        self.contour = self.ax.contour(static["grid_x"], static["grid_y"], self.probs[snapshot],
                                       levels=[0.5], colors=[self.colour or self.theme.ink], linewidths=2.4, zorder=4)
        self.contour.set_animated(True)
        self.picture.animate(self.contour)
