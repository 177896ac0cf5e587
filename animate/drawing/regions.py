"""The picture of a 2-D classifier of several classes: each region in its class's colour, the surer the
model the stronger, the boundaries between regions drawn, the points in their classes' colours."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from . import style
from .layers import Shading
from .panel import Panel
from .placement import to_axes
from ..story import blend_class_probabilities

LEVELS = 20  # steps of confidence a region's tint takes (each an exact colour in a GIF's palette)
WEAKEST, STRONGEST = 0.10, 0.55  # how much of the class colour a region's tint holds, unsure to sure


def class_colours(theme, count: int) -> list:
    """``count`` distinct colours for the classes: the theme's two for two classes, its run colours for more."""
    return list(theme.classes) if count == 2 else list(theme.runs[:count])


def default_names(meta, count: int) -> list:
    """The class names: the trace's own when it has one a class, else ``class 0`` ... ``class K-1``."""
    names = list(meta.class_names)
    return names if len(names) == count else [f"class {k}" for k in range(count)]


class RegionsPanel(Panel):
    """Draws a trace observed with :class:`~animate.observe.Regions` (painter name ``"regions"``)."""

    def draw_static(self) -> None:
        ax, static = self.ax, self.trace.static
        grid_x, grid_y = static["grid_x"], static["grid_y"]
        self.probs = self.trace.outputs["probs"]
        count = self.probs.shape[-1]
        sizes, small, theme = self.square_plot(grid_x, grid_y)
        if self.compact or self.picture.compact:  # few, short tick labels: a small square plot has no room for more
            from matplotlib.ticker import MaxNLocator

            for axis in (ax.xaxis, ax.yaxis):
                axis.set_major_locator(MaxNLocator(nbins=3, steps=[1, 2, 5, 10]))

        self.class_colours = class_colours(theme, count)
        self.tints = tint_table(self.class_colours, theme.paper, theme.ink)
        self.colours = self.tints.reshape(-1, 3)  # every colour the shading paints, for a GIF's palette

        labels = static.get("points_label", np.zeros_like(static["points_x"]))
        handles = []
        for value, (name, colour) in enumerate(zip(default_names(self.meta, count), self.class_colours)):
            chosen = labels == value
            self.picture.overlay(ax.scatter(static["points_x"][chosen], static["points_y"][chosen],
                                          s=12 if self.compact else 22, color=colour, edgecolors=theme.paper,
                                          linewidths=0.6, zorder=3))
            handles.append(Line2D([], [], marker="o", linestyle="", color=colour, markeredgecolor=theme.paper,
                                  markersize=6, label=style.literal(name)))
        handles.append(Line2D([], [], color=theme.ink, linewidth=1.4, label="boundary"))
        for spine in ax.spines.values():  # the shading is painted over the plot area: keep its frame on top
            self.picture.overlay(spine)
        points, paths = self._crowd()
        info_spot = self.place_readout(points, paths, self.info_lines, small)
        if not self.compact:
            self.place_legend(points, paths, taken=(info_spot,), handles=handles)

    def _crowd(self) -> tuple:
        """What a box must not hide, in axes fractions: the points, and the grid cells a boundary crosses at
        any recorded step (where the two likeliest classes are within 0.1 of each other)."""
        static = self.trace.static
        points = [to_axes(self.ax, static["points_x"], static["points_y"])]
        for snapshot in range(len(self.trace)):
            top = np.sort(self.probs[snapshot], axis=-1)
            rows, columns = np.nonzero(top[..., -1] - top[..., -2] < 0.1)
            points.append(to_axes(self.ax, static["grid_x"][columns], static["grid_y"][rows]))
        return np.concatenate(points), []

    def after_layout(self) -> None:
        static = self.trace.static
        self.shading = RegionShading(self.ax, self.picture.canvas, static["grid_x"], static["grid_y"], self.tints)
        self.picture.raster(lambda buffer, index: self.shading.paint(
            buffer, blend_class_probabilities(self.probs, *self.blend(index))))

    def info_lines(self, snapshot: int) -> list:
        return [self.loss_text(snapshot), *self.scalar_lines(snapshot), *self.ended(snapshot)]

    def update(self, index: int) -> None:
        """Nothing but the shading moves (it is painted by the raster layer)."""


def tint_table(colours: list, paper, ink) -> np.ndarray:
    """(classes + 1, LEVELS, 3) uint8: each class's tint at each level of confidence, and a last row of ink
    for the boundaries."""
    from matplotlib.colors import to_rgb

    base = np.array(to_rgb(paper))
    strengths = np.linspace(WEAKEST, STRONGEST, LEVELS)
    rows = [base + (np.array(to_rgb(colour)) - base) * strengths[:, None] for colour in colours]
    rows.append(np.repeat(np.array(to_rgb(ink))[None, :], LEVELS, axis=0))
    return (np.array(rows) * 255).round().astype(np.uint8)


def shade_codes(field: np.ndarray) -> tuple:
    """For probabilities on pixels (rows, columns, classes): each pixel's class (argmax) and its tint level,
    from how sure the class is (its probability, from 1/classes up to 1)."""
    count = field.shape[-1]
    label = np.argmax(field, axis=-1)
    sure = np.take_along_axis(field, label[..., None], axis=-1)[..., 0]
    level = np.clip((sure - 1 / count) / (1 - 1 / count), 0, 1)
    return label, np.clip((level * (LEVELS - 1) + 0.5).astype(np.intp), 0, LEVELS - 1)


class RegionShading(Shading):
    """Paints class probabilities (a grid over ``grid_x`` × ``grid_y``, one value per class) into the axes'
    pixels: interpolated bilinearly for each class, then each pixel takes its likeliest class's tint, and a
    pixel whose class differs from its right or lower neighbour's is a boundary (ink)."""

    def __init__(self, ax, canvas, grid_x, grid_y, tints: np.ndarray):
        self.place(ax, canvas, grid_x, grid_y)
        self.tints = tints

    def field(self, grid: np.ndarray) -> np.ndarray:
        """The probabilities at every pixel (rows, columns, classes)."""
        grid = np.asarray(grid, dtype=np.float32)
        share = self.row_share[:, None, None]
        rows = grid[self.row_low] * (1 - share) + grid[self.row_low + 1] * share
        share = self.column_share[None, :, None]
        return rows[:, self.column_low] * (1 - share) + rows[:, self.column_low + 1] * share

    def paint(self, buffer: np.ndarray, grid: np.ndarray) -> None:
        label, level = shade_codes(self.field(grid))
        colours = self.tints[label, level]
        edge = np.zeros(label.shape, dtype=bool)
        edge[:, :-1] |= label[:, :-1] != label[:, 1:]
        edge[:-1, :] |= label[:-1, :] != label[1:, :]
        colours[edge] = self.tints[-1, 0]
        buffer[self.top:self.bottom, self.left:self.right, :3] = colours
