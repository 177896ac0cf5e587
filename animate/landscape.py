"""The loss landscape of any model around the path it trained along, as the loss-landscape pictures show it.

The recorded parameters (all of them, flattened: one point per snapshot) are projected onto the trajectory's
first two principal directions, with the final parameters as the origin; the loss is evaluated on a grid of
that plane (``θ = θ_final + a·d₁ + b·d₂``), with the scene's own loss function. The path drawn over it is the
projection of the real path, and the panel says how much of the path's variance the plane holds: near 100%,
the path lies on the surface drawn; less, and it passes above or below it.

    plane = Landscape.of(trace)                   # the directions and the path's coordinates
    surface = plane.surface(loss_at, resolution)  # loss_at(vector) -> float, once per grid point
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .errors import AnimateError

RESOLUTION = 21  # grid points a side: 441 loss evaluations


@dataclass(frozen=True)
class Landscape:
    """Two orthonormal directions through the final parameters, and the path's coordinates along them."""

    origin: np.ndarray  # the final parameters, flattened (D,)
    directions: np.ndarray  # (2, D), orthonormal
    explained: tuple  # the share of the path's variance along each direction
    a: np.ndarray  # the path's coordinate along the first direction, one per snapshot
    b: np.ndarray

    @staticmethod
    def of(trace) -> "Landscape":
        """The plane of ``trace``'s parameter path (every parameter, in the order the trace keeps them)."""
        names = list(trace.params)
        if not names:
            raise AnimateError("the trace records no parameters: there is no path to draw a landscape around")
        path = np.concatenate([np.asarray(trace.params[name], dtype=np.float64).reshape(len(trace), -1)
                               for name in names], axis=1)
        if len(path) < 3 or path.shape[1] < 2:
            raise AnimateError("a landscape needs at least three snapshots of at least two numbers")
        centred = path - path.mean(axis=0)
        _, values, vectors = np.linalg.svd(centred, full_matrices=False)
        total = float((values ** 2).sum())
        if total == 0:
            raise AnimateError("the parameters never moved: there is no path to draw a landscape around")
        directions = vectors[:2]
        origin = path[-1]
        coordinates = (path - origin) @ directions.T
        return Landscape(origin, directions, tuple(float(v ** 2 / total) for v in values[:2]),
                         coordinates[:, 0], coordinates[:, 1])

    def point(self, a: float, b: float) -> np.ndarray:
        """The parameters (flattened) at ``(a, b)`` of the plane."""
        return self.origin + a * self.directions[0] + b * self.directions[1]

    def grid(self, resolution: int = RESOLUTION) -> tuple:
        """The plane's axes around the path, each framed by the path with a margin, as the two-parameter
        surfaces are."""
        axes = []
        for values in (self.a, self.b):
            low, high = float(values.min()), float(values.max())
            margin = max(0.25 * (high - low), 1e-3 * (1 + abs(low) + abs(high)))
            axes.append(np.linspace(low - margin, high + margin, resolution))
        return axes[0], axes[1]

    def surface(self, loss_at, resolution: int = RESOLUTION) -> tuple:
        """``(grid_a, grid_b, surface, seconds)``: ``loss_at(parameters)`` over the grid (rows along b)."""
        grid_a, grid_b = self.grid(resolution)
        surface = np.empty((resolution, resolution))
        started = time.perf_counter()
        for row, b in enumerate(grid_b):
            for column, a in enumerate(grid_a):
                surface[row, column] = loss_at(self.point(a, b))
        return grid_a, grid_b, surface, time.perf_counter() - started

    def labels(self) -> tuple:
        """The axes' words: ``PC 1 (93% of the path's variance)``."""
        return tuple(f"PC {k + 1} ({share:.0%} of the path)" for k, share in enumerate(self.explained))
