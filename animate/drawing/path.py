"""The optimiser's path over the loss surface, for models with two parameters (a line's w and b).

The surface is recorded once with the trace (the loss at every point of a grid over the two
parameters, around the path); it is drawn as filled contours, with the path up to the current step
on top and the current point marked.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import MaxNLocator

from . import style
from .panel import Panel
from ..story import blend_values


class ParamPathPanel(Panel):
    """Draws ``static["surface"]`` over (``surface_a``, ``surface_b``) and the path of the two parameters."""

    def draw_static(self) -> None:
        ax, static, theme = self.ax, self.trace.static, self.theme
        first, second = self.meta.path.names
        self.a = np.ravel(self.trace.params[first].reshape(len(self.trace), -1)[:, 0])
        self.b = np.ravel(self.trace.params[second].reshape(len(self.trace), -1)[:, 0])
        grid_a, grid_b, surface = static["surface_a"], static["surface_b"], static["surface"]
        finite = surface[np.isfinite(surface)]
        positive = finite.size and finite.min() > 0
        logged = positive and finite.max() / finite.min() > 100
        levels_of = np.log10(surface) if logged else surface
        # Filled bands from the paper (high loss) to a tint (the valley): the valley reads at a glance, and
        # the path over it, in the fit colour, stays the thing to see.
        ramp = LinearSegmentedColormap.from_list("surface", [theme.shade[0], theme.paper])
        ax.contourf(grid_a, grid_b, levels_of, levels=12, cmap=ramp, zorder=0)
        ax.contour(grid_a, grid_b, levels_of, levels=12, colors=[theme.muted], linewidths=0.35, alpha=0.6, zorder=1)
        lowest = np.unravel_index(np.nanargmin(surface), surface.shape)
        low_a, low_b = grid_a[lowest[1]], grid_b[lowest[0]]
        ax.plot(low_a, low_b, marker="*", markersize=9, color=theme.ink, zorder=2, linestyle="", clip_on=False)
        # Its label goes toward the middle of the panel, so it is neither cut off nor over the title.
        across = (low_a - grid_a[0]) / (grid_a[-1] - grid_a[0])
        up = (low_b - grid_b[0]) / (grid_b[-1] - grid_b[0])
        ax.annotate("lowest", (low_a, low_b), xytext=(-7 if across > 0.5 else 7, -4 if up > 0.5 else 4),
                    textcoords="offset points", ha="right" if across > 0.5 else "left",
                    va="top" if up > 0.5 else "bottom", fontsize=self.picture.sizes.small, color=theme.ink, zorder=2,
                    annotation_clip=False)
        ax.set_xlim(grid_a[0], grid_a[-1])
        ax.set_ylim(grid_b[0], grid_b[-1])
        labels = self.meta.path.labels
        ax.set_xlabel(style.literal(labels[0]), fontsize=self.picture.sizes.small, fontfamily=style.families())
        ax.set_ylabel(style.literal(labels[1]), fontsize=self.picture.sizes.small, fontfamily=style.families())
        pca = tuple(self.meta.path.names) == ("pc1", "pc2")
        what = f"loss at {surface.size:,} points" if pca else "loss surface"  # the plane's: its axes say which
        ax.set_title(f"{what}{' (log)' if logged else ''}", fontsize=self.picture.sizes.small, loc="left",
                     color=theme.muted)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        theme.style_axes(ax, self.picture.sizes.small)
        # The path with a dot at each recorded step (where the steps bunch, the optimiser slowed down).
        (path,) = ax.plot([], [], color=theme.fit, linewidth=1.4, marker="o", markersize=2.2, zorder=3)
        (point,) = ax.plot([], [], "o", color=theme.fit, markersize=6, markeredgecolor=theme.paper, zorder=4,
                           clip_on=False)
        self.path, self.point = self.picture.animate(path), self.picture.animate(point)

    def update(self, index: int) -> None:
        before, after, t = self.blend(index)
        # The recorded path up to the state left, then the way to the (maybe in-between) current point.
        a, b = blend_values(self.a, before, after, t), blend_values(self.b, before, after, t)
        if t >= 1.0 or before == after:  # a recorded state: the path up to it, a dot a step
            self.path.set_data(self.a[: after + 1], self.b[: after + 1])
        else:
            self.path.set_data(np.append(self.a[: before + 1], a), np.append(self.b[: before + 1], b))
        self.point.set_data([a], [b])
