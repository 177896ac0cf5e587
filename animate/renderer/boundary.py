"""The picture of a 2-D binary classifier: two classes of points, the boundary, P(class 1) shaded."""

from __future__ import annotations

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.lines import Line2D

from . import style
from .layers import Shading
from .panel import Panel
from .text import equation_lines

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
        self.spec = self.meta.get("equation")
        self.xs = np.array([grid_x[0], grid_x[-1]], dtype=float)

        ax.set_xlim(grid_x[0], grid_x[-1])
        ax.set_ylim(grid_y[0], grid_y[-1])
        ax.set_aspect("equal")
        small = style.SMALL_SIZE if self.compact else style.TEXT_SIZE
        ax.set_xlabel(self.meta.get("xlabel", "x"), fontsize=small)
        ax.set_ylabel(self.meta.get("ylabel", "y"), fontsize=small)
        ax.tick_params(labelsize=style.SMALL_SIZE if self.compact else None)

        self.cmap = LinearSegmentedColormap.from_list("class-shade", style.SHADE_STOPS)
        # The shading is a smooth ramp: give its steps to the GIF palette so it does not band.
        self.colours = (self.cmap(np.linspace(0, 1, RAMP_STEPS))[:, :3] * 255).round().astype(np.uint8)
        if not self.compact:  # small multiples leave the colour bar to the reader's memory
            colorbar = self.picture.figure.colorbar(ScalarMappable(Normalize(0.0, 1.0), self.cmap), ax=ax,
                                                  fraction=0.046, pad=0.03)
            colorbar.set_label("P(class 1)", fontsize=style.SMALL_SIZE)
            colorbar.ax.tick_params(labelsize=style.SMALL_SIZE)
            colorbar.outline.set_edgecolor("#BBBBBB")

        names = self.meta.get("class_names", ["class 0", "class 1"])
        labels = static.get("points_label", np.zeros_like(static["points_x"]))
        handles = []
        for value, (name, colour) in enumerate(zip(names, style.CLASS_COLOURS)):
            chosen = labels == value
            self.picture.overlay(ax.scatter(static["points_x"][chosen], static["points_y"][chosen],
                                          s=14 if self.compact else 26,
                                          color=colour, edgecolors="white", linewidths=0.6, zorder=3))
            handles.append(Line2D([], [], marker="o", linestyle="", color=colour, markeredgecolor="white",
                                  markersize=6, label=name))
        handles.append(Line2D([], [], color=style.INK, linewidth=2.4, label="boundary"))

        self.contour = None
        (line,) = ax.plot(self.xs, self.xs * 0, color=style.INK, linewidth=2.4, zorder=4)
        self.boundary = self.picture.animate(line)
        for spine in ax.spines.values():  # the shading is painted over the plot area: keep its frame on top
            self.picture.overlay(spine)
        if not self.compact:
            self.picture.overlay(ax.legend(handles=handles, loc="lower right", fontsize=style.SMALL_SIZE,
                                         framealpha=0.92))
        self.picture.dynamic_text((0.03, 0.96), lambda index: self.info_lines(self.index_of(index)),
                                transform=ax.transAxes, boxed=True, size=small)

    def after_layout(self) -> None:
        lookup = (self.cmap(np.linspace(0, 1, 256))[:, :3] * 255).round().astype(np.uint8)
        static = self.trace.static
        shading = Shading(self.ax, self.picture.canvas, static["grid_x"], static["grid_y"], self.probs, lookup)
        self.picture.raster(lambda buffer, index: shading(buffer, self.index_of(index)))

    def info_lines(self, snapshot: int) -> list:
        """The boundary's equation (when it is a line) and the loss at ``snapshot``."""
        equation = " ".join(equation_lines(self.spec, self.params_at(snapshot)))
        label = "" if self.compact else "boundary "
        lines = [f"{label}{equation}", self.loss_text(snapshot)] if equation else [self.loss_text(snapshot)]
        return [*lines, *self.scalar_lines(snapshot), *self.ended(snapshot)]

    def update(self, index: int) -> None:
        snapshot = self.index_of(index)
        params = self.params_at(snapshot)
        if equation_lines(self.spec, params):
            slope = float(np.ravel(params[self.spec["slope"]])[0])
            intercept = float(np.ravel(params[self.spec["intercept"]])[0])
            self.boundary.set_ydata(slope * self.xs + intercept)
        else:
            self._draw_contour(snapshot)

    def _draw_contour(self, snapshot: int) -> None:
        self.boundary.set_visible(False)
        if self.contour is not None:
            self.picture.forget(self.contour)
            self.contour.remove()
        static = self.trace.static
        self.contour = self.ax.contour(static["grid_x"], static["grid_y"], self.probs[snapshot],
                                       levels=[0.5], colors=[style.INK], linewidths=2.4, zorder=4)
        self.contour.set_animated(True)
        self.picture.animate(self.contour)
