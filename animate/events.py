"""The moments of a run worth pointing at, found from its trace alone: where the loss halved, fell by a
factor of ten, paused on a plateau; where every point came to be classified or the fit reached the
data's own noise; and how the run ended.

The renderer captions these moments and slows time around them. Everything here reads the recorded
numbers (NumPy only: no torch, no drawing), so a trace loaded from a file gives the same events as the
run that made it.

    >>> from animate.train import record_scene                     # doctest: +SKIP
    >>> [e.caption for e in find_events(record_scene("logistic"))]  # doctest: +SKIP
    ['loss halved by iteration 10', 'loss down 10× by iteration 18', 'stopping rule met at iteration 25: loss < 0.01']

Each event is placed at the *first snapshot* at which its condition holds: only recorded steps are seen,
so a trace recorded every N steps may place it up to N − 1 steps after training first met it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np

from .meta import LinearEquation

KINDS = ("halved", "decade", "all_classified", "within_noise", "plateau", "stopped", "diverged")

# Decades of loss reduction that get an event: 10×, 100×, 1,000× and 10,000×. More would crowd the
# captions of a long run, and by then the story has been told.
MAX_DECADES = 4
# A fit is "within the data's noise" once its squared error against the points is at most this many
# times the true function's own squared error against them (the noise no fit should go below).
NOISE_TOLERANCE = 1.05
# Data whose true function's squared error is below this fraction of the points' variance has no noise
# to speak of (poly's points lie on its target): "within the noise" would say nothing there.
NOISE_FREE = 1e-6
# A plateau: the loss stays within a factor PLATEAU_BAND (highest / lowest below 1.05) over a stretch of
# at least PLATEAU_SHARE of the run's steps, and afterwards falls below its lowest value by ten times
# that band (a factor 1.05**10, about 1.6). The last condition tells a pause before more descent from
# the converged end of a run, which is flat too but is no plateau.
PLATEAU_BAND = 1.05
PLATEAU_SHARE = 0.2
PLATEAU_DESCENT = PLATEAU_BAND ** 10


@dataclass(frozen=True)
class Event:
    """One moment of a run: where it happens in the trace, what it is, and the words for the frame.

    ``snapshot`` indexes the trace's snapshots (the first at which the event holds); ``step`` is
    ``trace.steps[snapshot]``; ``kind`` is one of :data:`KINDS`; ``caption`` is a short phrase such as
    ``"all 200 points classified at iteration 9"``.
    """

    snapshot: int
    step: int
    kind: str
    caption: str


def find_events(trace) -> list[Event]:
    """The events of ``trace`` (an :class:`~animate.trace.Trace`), sorted by snapshot, then by :data:`KINDS`.

    There is at most one event of a kind at a snapshot. Losses that are not finite are ignored, so a
    trace read from anywhere gives a list (possibly empty), never an error. See the module's
    constants for the thresholds each rule uses.
    """
    steps = np.asarray(trace.steps).astype(np.int64)
    if len(steps) == 0:
        return []
    loss = np.asarray(trace.loss, dtype=np.float64)
    name = trace.meta.step_name

    def event(snapshot: int, kind: str, caption: str) -> Event:
        return Event(int(snapshot), int(steps[snapshot]), kind, caption)

    found: list[Event] = []
    for snapshot, kind, factor in _loss_drops(loss):
        words = "loss halved" if kind == "halved" else f"loss down {factor:,}×"
        found.append(event(snapshot, kind, f"{words} by {name} {steps[snapshot]:,}"))
    classified = _all_classified(trace)
    if classified is not None:
        count = len(trace.static["points_x"])
        found.append(event(classified, "all_classified",
                           f"all {count:,} points classified at {name} {steps[classified]:,}"))
    noise = _within_noise(trace)
    if noise is not None:
        found.append(event(noise, "within_noise", f"fit within the data's noise at {name} {steps[noise]:,}"))
    for first, last in _plateaus(steps, loss):
        found.append(event(first, "plateau", f"plateau from {name} {steps[first]:,} to {steps[last]:,}"))
    ending, last = trace.meta.ending, len(steps) - 1
    if ending.kind == "stopped":
        limit = trace.meta.stop_below
        rule = f": loss < {limit:g}" if limit is not None else ""
        found.append(event(last, "stopped", f"stopping rule met at {name} {steps[last]:,}{rule}"))
    elif ending.kind == "diverged":
        found.append(event(last, "diverged", f"diverged at {name} {ending.diverged_at:,}"))
    # Each rule yields at most one event per snapshot, so sorting is all that is left to do.
    return sorted(found, key=lambda e: (e.snapshot, KINDS.index(e.kind)))


# ---- the loss: halved, and down by decades ---------------------------------------------------------
def _loss_drops(loss: np.ndarray) -> Iterator[tuple[int, str, int]]:
    """``(snapshot, kind, factor)`` for the first snapshot where the loss is at or below its start ÷ ``factor``:
    factor 2 (halved), then 10, 100, ... up to ``MAX_DECADES`` decades.

    The start is the first finite loss (normally snapshot 0's); a start at or below zero cannot be
    divided down, so it gives nothing. Decades first reached at the same snapshot (a big jump) give one
    event, for the largest.
    """
    finite = np.flatnonzero(np.isfinite(loss))
    if not finite.size or loss[finite[0]] <= 0:
        return
    start = loss[finite[0]]
    after = finite[1:]  # the start itself never counts as a drop

    def first_at_or_below(level: float) -> Optional[int]:
        hits = after[loss[after] <= level]
        return int(hits[0]) if hits.size else None

    halved = first_at_or_below(start / 2)
    if halved is not None:
        yield halved, "halved", 2
    decades: dict[int, int] = {}
    for power in range(1, MAX_DECADES + 1):
        snapshot = first_at_or_below(start / 10**power)
        if snapshot is None:
            break  # a lower level cannot be reached before a higher one
        decades[snapshot] = 10**power  # later (larger) factors overwrite smaller ones at the same snapshot
    for snapshot, factor in decades.items():
        yield snapshot, "decade", factor


# ---- a classifier: every point on its class's side --------------------------------------------------
def _all_classified(trace) -> Optional[int]:
    """The first snapshot at which each labelled point lies on its class's side of the boundary.

    A point of class 1 needs P(class 1) > 0.5 there, one of class 0 needs P < 0.5 (a point on the
    boundary is not classified). Where the meta gives the boundary as a line y = slope·x + intercept
    (a :class:`LinearEquation`, as the renderer draws it), the side is decided exactly from the line,
    since interpolating the coarse probability grid can misplace points close to it; otherwise P at
    each point is interpolated bilinearly from the recorded grid.
    """
    static = trace.static
    if trace.painter == "regions" and "points_label" in static and "probs" in trace.outputs:
        return _all_classified_regions(trace)
    if trace.painter != "boundary" or "points_label" not in static or "prob" not in trace.outputs:
        return None
    labels = np.asarray(static["points_label"]).astype(np.float64)
    if not labels.size or not np.all((labels == 0) | (labels == 1)):
        return None  # not the two classes this rule knows
    px = np.asarray(static["points_x"], dtype=np.float64)
    py = np.asarray(static["points_y"], dtype=np.float64)
    prob = np.asarray(trace.outputs["prob"])
    grid_x = np.asarray(static["grid_x"], dtype=np.float64)
    grid_y = np.asarray(static["grid_y"], dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        # Signed margin per snapshot and point: positive on the class-1 side, negative on the class-0 side.
        margin = _bilinear(prob, grid_x, grid_y, px, py) - 0.5
        line = _line_margin(trace, prob, grid_x, grid_y, px, py)
        if line is not None:
            known = np.all(np.isfinite(line), axis=1)
            margin[known] = line[known]
        right = np.where(labels == 1, margin > 0, margin < 0)
    hits = np.flatnonzero(np.all(right, axis=1))
    return int(hits[0]) if hits.size else None


def _all_classified_regions(trace) -> Optional[int]:
    """Several classes: the first snapshot at which each point's likeliest class (each class's probability
    interpolated at the point from the recorded grid) is its own."""
    static = trace.static
    probs = np.asarray(trace.outputs["probs"])
    labels = np.asarray(static["points_label"]).astype(np.int64)
    if not labels.size or labels.min() < 0 or labels.max() >= probs.shape[-1]:
        return None
    px = np.asarray(static["points_x"], dtype=np.float64)
    py = np.asarray(static["points_y"], dtype=np.float64)
    grid_x = np.asarray(static["grid_x"], dtype=np.float64)
    grid_y = np.asarray(static["grid_y"], dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        at_points = np.stack([_bilinear(probs[..., k], grid_x, grid_y, px, py) for k in range(probs.shape[-1])],
                             axis=-1)
    hits = np.flatnonzero(np.all(np.argmax(at_points, axis=-1) == labels, axis=1))
    return int(hits[0]) if hits.size else None


def _bilinear(prob: np.ndarray, grid_x: np.ndarray, grid_y: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """``prob`` (snapshots, len(grid_y), len(grid_x)) at the points, shape (snapshots, points); points
    outside the grid take the value at its edge, as ``np.interp`` does."""
    ix, tx = _cell(grid_x, px)
    iy, ty = _cell(grid_y, py)

    def corner(rows, columns):
        # Only the corners of each point's cell are gathered, then widened: O(snapshots × points), and
        # no float64 copy of the whole grid.
        return prob[:, rows, columns].astype(np.float64)

    low = corner(iy, ix) * (1 - tx) + corner(iy, ix + 1) * tx
    high = corner(iy + 1, ix) * (1 - tx) + corner(iy + 1, ix + 1) * tx
    return low * (1 - ty) + high * ty


def _cell(grid: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each value, the index of the grid cell holding it and its fraction across that cell (0 to 1)."""
    index = np.clip(np.searchsorted(grid, values, side="right") - 1, 0, len(grid) - 2)
    fraction = (values - grid[index]) / (grid[index + 1] - grid[index])
    return index, np.clip(np.nan_to_num(fraction, nan=0.0), 0.0, 1.0)


def _line_margin(trace, prob, grid_x, grid_y, px, py) -> Optional[np.ndarray]:
    """Each point's signed distance (up to scale) from the boundary line, positive on the class-1 side,
    shape (snapshots, points); None where the meta gives no line.

    The line says where the boundary is, not which side is class 1: that is read from the recorded
    probabilities, as the sign of their correlation with ``slope·x + intercept − y`` over the whole grid.
    A snapshot whose side cannot be told (no correlation, or non-finite parameters) gets NaN, and the
    interpolated probabilities decide it instead.
    """
    equation = trace.meta.equation
    if not isinstance(equation, LinearEquation):
        return None
    count = len(trace.steps)
    slope = np.asarray(trace.params[equation.slope], dtype=np.float64).reshape(count, -1)[:, 0]
    intercept = np.asarray(trace.params[equation.intercept], dtype=np.float64).reshape(count, -1)[:, 0]
    # Σ (p − ½)(slope·x + intercept − y) over the grid, from sums of the probabilities along each axis,
    # so that no (snapshots × grid) array of margins, nor a float64 copy of the grid, is ever made.
    rows, columns = len(grid_y), len(grid_x)
    along_x = prob.sum(axis=1, dtype=np.float64) @ grid_x - 0.5 * rows * grid_x.sum()
    along_y = prob.sum(axis=2, dtype=np.float64) @ grid_y - 0.5 * columns * grid_y.sum()
    total = prob.sum(axis=(1, 2), dtype=np.float64) - 0.5 * rows * columns
    side = np.sign(slope * along_x + intercept * total - along_y)
    side[side == 0] = np.nan
    return side[:, None] * (slope[:, None] * px + intercept[:, None] - py)


# ---- a regression: the fit as good as the noise allows ------------------------------------------------
def _within_noise(trace) -> Optional[int]:
    """The first snapshot at which the fit's mean squared error against the data points is at most
    ``NOISE_TOLERANCE`` times the true function's own.

    Both are read on the recorded grid and interpolated linearly to the points (``np.interp``). There is
    nothing to compare without points and a true function, with points outside the grid (they would be
    extrapolated), or with data that has no noise (see ``NOISE_FREE``).
    """
    static = trace.static
    if trace.painter != "line" or "truth_y" not in static or "points_x" not in static or "curve" not in trace.outputs:
        return None
    grid = np.asarray(static["grid_x"], dtype=np.float64)
    px = np.asarray(static["points_x"], dtype=np.float64)
    py = np.asarray(static["points_y"], dtype=np.float64)
    if not px.size or not (np.all(np.isfinite(px)) and np.all(np.isfinite(py))):
        return None
    if px.min() < grid[0] or px.max() > grid[-1]:
        return None
    with np.errstate(invalid="ignore", over="ignore"):
        truth = np.mean((np.interp(px, grid, np.asarray(static["truth_y"], dtype=np.float64)) - py) ** 2)
        if not np.isfinite(truth) or truth <= NOISE_FREE * np.var(py):
            return None
        index, fraction = _cell(grid, px)
        curve = np.asarray(trace.outputs["curve"], dtype=np.float64)
        fitted = curve[:, index] * (1 - fraction) + curve[:, index + 1] * fraction
        error = np.mean((fitted - py) ** 2, axis=1)
        hits = np.flatnonzero(error <= NOISE_TOLERANCE * truth)  # NaN compares False: never a hit
    return int(hits[0]) if hits.size else None


# ---- plateaus --------------------------------------------------------------------------------------------
def _plateaus(steps: np.ndarray, loss: np.ndarray) -> list[tuple[int, int]]:
    """``(first, last)`` snapshots of each plateau (see ``PLATEAU_BAND`` and the constants after it).

    Only finite losses take part (others are skipped over, as if not recorded), and a stretch holding a
    loss at or below zero is none (a ratio of losses says nothing there). Plateaus do not overlap:
    after one is found, the search goes on after its end. Each start's longest stretch is found in one
    pass with running maximum and minimum queues, so the whole search is linear in the snapshots.
    """
    kept = np.flatnonzero(np.isfinite(loss))
    if len(kept) < 2:
        return []
    values = loss[kept]
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(values > 0, np.log(np.where(values > 0, values, 1.0)), np.nan)
    at = steps[kept]
    needed = PLATEAU_SHARE * (at[-1] - at[0])
    if needed <= 0:
        return []
    band, descent = np.log(PLATEAU_BAND), np.log(PLATEAU_DESCENT)
    # The lowest log-loss from each position on, NaN (a non-positive loss) skipped.
    lowest_from = np.fmin.accumulate(logs[::-1])[::-1]
    ends, lows = _stretches(logs, band)
    found = []
    start = 0
    while start < len(logs):
        end = ends[start]
        if (end >= start and at[end] - at[start] >= needed and end + 1 < len(logs)
                and lowest_from[end + 1] <= lows[start] - descent):
            found.append((int(kept[start]), int(kept[end])))
            start = end + 1
        else:
            start += 1
    return found


def _stretches(logs: np.ndarray, band: float) -> tuple[np.ndarray, np.ndarray]:
    """For each start ``i``: the last ``j`` with ``max(logs[i..j]) − min(logs[i..j]) < band`` (``i − 1``
    where ``logs[i]`` is NaN), and that stretch's minimum. Two pointers and two monotonic queues."""
    count = len(logs)
    ends = np.empty(count, dtype=np.int64)
    lows = np.full(count, np.nan)
    highest: deque = deque()  # indices of the window, their log-losses decreasing
    lowest: deque = deque()  # indices of the window, their log-losses increasing
    end = 0  # one past the window's last index
    for start in range(count):
        if end < start:  # the previous window was empty
            end = start
        while highest and highest[0] < start:
            highest.popleft()
        while lowest and lowest[0] < start:
            lowest.popleft()
        while end < count and not np.isnan(logs[end]):
            value = logs[end]
            top = max(logs[highest[0]], value) if highest else value
            bottom = min(logs[lowest[0]], value) if lowest else value
            if top - bottom >= band:
                break
            while highest and logs[highest[-1]] <= value:
                highest.pop()
            highest.append(end)
            while lowest and logs[lowest[-1]] >= value:
                lowest.pop()
            lowest.append(end)
            end += 1
        ends[start] = end - 1
        if end > start:
            lows[start] = logs[lowest[0]]
    return ends, lows
