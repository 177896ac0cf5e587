"""Where boxes go: a spot of the plot that the data and the moving fit leave empty at every step.

Everything is measured in axes fractions (0–1 across the plot). :func:`empty_spot` finds a spot that
no data point and no recorded fit touches, or says there is none (the box then goes outside the plot);
:func:`quietest` ranks spots by how much a box would hide, for small multiples, which have no room
outside.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

SPOTS = ("upper left", "upper right", "lower left", "lower right", "upper center", "lower center")
MARGIN = 0.03


def spot_box(spot: str, size: tuple[float, float]) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in axes fractions of a box of ``size`` at ``spot``."""
    width, height = size
    vertical, horizontal = spot.split()
    left = {"left": MARGIN, "right": 1 - MARGIN - width, "center": 0.5 - width / 2}[horizontal]
    bottom = 1 - MARGIN - height if vertical == "upper" else MARGIN
    return left, bottom, left + width, bottom + height


def crowding(box, points: np.ndarray, paths: list) -> float:
    """How much of the picture a box would hide: covered points' share plus frames whose fit crosses it."""
    left, bottom, right, top = box

    def inside(xy):
        return (xy[:, 0] >= left) & (xy[:, 0] <= right) & (xy[:, 1] >= bottom) & (xy[:, 1] <= top)

    covered = inside(points).mean() if len(points) else 0.0
    crossed = np.mean([inside(path).any() for path in paths]) if paths else 0.0
    # A hidden data point is lost for good; a fit passing behind a box for a while matters less.
    return float(5 * covered + crossed)


def quietest(points: np.ndarray, paths: list, size: tuple[float, float], taken: tuple = ()) -> str:
    """The spot (see ``SPOTS``) where a box of ``size`` hides least; spots in ``taken`` or overlapping them are skipped.

    ``points`` is an (n, 2) array and ``paths`` a list of (m, 2) arrays (the fit at several frames),
    all in axes fractions. Ties go to the earlier spot in ``SPOTS``.
    """
    candidates = [spot for spot in SPOTS if not any(_overlap(spot, other) for other in taken)]
    return min(candidates, key=lambda spot: crowding(spot_box(spot, size), points, paths))


def empty_spot(points: np.ndarray, paths: list, size: tuple[float, float], taken: tuple = (),
               pad: tuple[float, float] = (0.0, 0.0)) -> Optional[str]:
    """The first spot (see ``SPOTS``) where a box of ``size`` touches no point and no path, or None.

    ``pad`` (axes fractions) is how far a point's mark or a line's width reaches; paths are densified
    so that a segment crossing a box corner between two vertices still counts.
    """
    dense = densified(paths)
    for spot in SPOTS:
        if any(_overlap(spot, other) for other in taken):
            continue
        left, bottom, right, top = spot_box(spot, size)
        box = (left - pad[0], bottom - pad[1], right + pad[0], top + pad[1])
        if not _hits(box, points) and not _hits(box, dense):
            return spot
    return None


def densified(paths: list, per_segment: int = 8) -> np.ndarray:
    """All paths as one (n, 2) array of points, with ``per_segment`` points along each segment."""
    parts = []
    for path in paths:
        path = np.asarray(path, dtype=float)
        path = path[np.all(np.isfinite(path), axis=1)]
        if len(path) < 2:
            parts.append(path)
            continue
        steps = np.linspace(0, 1, per_segment, endpoint=False)
        starts, ends = path[:-1, None, :], path[1:, None, :]
        parts.append((starts + (ends - starts) * steps[None, :, None]).reshape(-1, 2))
        parts.append(path[-1:])
    return np.concatenate(parts) if parts else np.zeros((0, 2))


def _hits(box, xy: np.ndarray) -> bool:
    left, bottom, right, top = box
    if not len(xy):
        return False
    return bool(np.any((xy[:, 0] >= left) & (xy[:, 0] <= right) & (xy[:, 1] >= bottom) & (xy[:, 1] <= top)))


def to_axes(ax, x, y) -> np.ndarray:
    """Data coordinates to axes fractions (linear axes), as an (n, 2) array."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return np.column_stack([(np.asarray(x, float) - x0) / (x1 - x0), (np.asarray(y, float) - y0) / (y1 - y0)])


def _overlap(one: str, other: str) -> bool:
    vertical_one, horizontal_one = one.split()
    vertical_other, horizontal_other = other.split()
    if vertical_one != vertical_other:
        return False
    return horizontal_one == horizontal_other or "center" in (horizontal_one, horizontal_other)
