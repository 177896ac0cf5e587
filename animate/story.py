"""Story mode: which state each shown frame draws, for how long, and with what caption (numbers only).

A recorded trace is a list of real states (snapshots). A :class:`Timeline` lays the animation's
frames over them: each frame is a :class:`Moment` that draws the model on its way from one real
snapshot (``before``) to the next (``after``), ``t`` of the way there (eased), or exactly at a real
snapshot (``t == 1``). Only what the model draws (its line, curve or shading) is ever in between: the
step counter, the loss and every readout show ``after``, the real state being moved to, so no frame
shows a number the model never had.

Where consecutive snapshots are far apart on screen (the boundary of ``logistic`` turning 6° in one
update), ``smooth`` motion draws in-between frames; ``steps`` motion shows real states only. Around
the events of a run (see :mod:`animate.events`) time slows: the segment arriving at an event gets
more frames and the event's frame is held, with its caption on screen. A ``duration`` fixes the
number of frames, and they are shared out by the same weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

MOTIONS = ("smooth", "steps")
MAX_MOVE = 0.02  # the most a smooth frame moves the fit: 2% of the plot (6 px in a 320-px plot)
SMOOTH_ABOVE = 0.05  # "auto" motion smooths a run whose real states jump more than 5% of the plot
MAX_BETWEEN = 12  # in-between frames per pair of real states, at most (without a duration)
SLOW = 2.5  # the segment arriving at an event gets this many times its frames
EVENT_HOLD = 0.6  # seconds an event's frame is held
CAPTION_AFTER = 1.6  # seconds a caption stays on after its event's frame


@dataclass(frozen=True)
class Moment:
    """One shown frame: the model ``t`` of the way (eased) from snapshot ``before`` to ``after``."""

    before: int
    after: int
    t: float = 1.0
    caption: str = ""

    @property
    def real(self) -> bool:
        """Whether this frame draws a recorded state itself (not an in-between)."""
        return self.t >= 1.0 or self.before == self.after


@dataclass(frozen=True)
class Timeline:
    """The frames of an animation, in order, as moments over a trace's (or a clock's) snapshots."""

    moments: tuple
    motion: str = "steps"

    def __len__(self) -> int:
        return len(self.moments)

    def index_of(self, index: int) -> int:
        """The real snapshot frame ``index`` shows the numbers of (the one being moved to)."""
        return self.moments[index].after

    def blend(self, index: int) -> tuple:
        """``(before, after, t)`` for frame ``index``."""
        moment = self.moments[index]
        return moment.before, moment.after, moment.t

    def caption(self, index: int) -> str:
        return self.moments[index].caption

    @property
    def in_betweens(self) -> int:
        """How many frames draw a state between two recorded ones."""
        return sum(not moment.real for moment in self.moments)

    @staticmethod
    def plain(count: int) -> "Timeline":
        """One frame per snapshot, nothing in between, no captions: the animation as recorded."""
        return Timeline(tuple(Moment(i, i) for i in range(count)))


def ease(t: float) -> float:
    """Smoothstep: starts and ends at rest, so motion slows onto each real state."""
    return t * t * (3 - 2 * t)


# ---- how far the picture moves between snapshots -----------------------------------------------------
def moves(trace) -> np.ndarray:
    """For each pair of consecutive snapshots, how far what the model draws moves on screen, as a fraction
    of the plot (0: nothing moves; 1: across the whole plot)."""
    count = len(trace)
    if count < 2:
        return np.zeros(0)
    if trace.painter == "line" and "curve" in trace.outputs:
        curves = np.asarray(trace.outputs["curve"], dtype=float)
        span = _span([trace.static.get("points_y"), trace.static.get("truth_y"), curves[-1]])
        steps = np.abs(np.diff(curves, axis=0))
        return _finite(np.max(steps, axis=1) / span)
    if trace.painter == "regions" and "probs" in trace.outputs:
        probs = np.asarray(trace.outputs["probs"], dtype=float)
        labels = np.argmax(probs, axis=-1).reshape(count, -1)
        flipped = np.mean(labels[1:] != labels[:-1], axis=1)  # the share of the plane that changes class
        # Confidence changing within a region is a change of tint, not of shape: it counts for less.
        shading = np.mean(np.abs(np.diff(probs.reshape(count, -1), axis=0)), axis=1) / 4
        return _finite(np.maximum(flipped, shading))
    if trace.painter == "boundary" and "prob" in trace.outputs:
        probs = np.asarray(trace.outputs["prob"], dtype=float).reshape(count, -1)
        shading = np.mean(np.abs(np.diff(probs, axis=0)), axis=1)  # how much of the shading changes
        line = _line_moves(trace)
        return _finite(np.maximum(shading, line) if line is not None else shading)
    return np.zeros(count - 1)


def _span(parts: Sequence) -> float:
    values = np.concatenate([np.ravel(np.asarray(part, dtype=float)) for part in parts if part is not None])
    values = values[np.isfinite(values)]
    span = float(np.ptp(values)) if values.size else 0.0
    return span if span > 0 else 1.0


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, 1.0)


def _line_moves(trace) -> Optional[np.ndarray]:
    """A straight boundary's move: how far its ends at the plot's left and right edges travel."""
    equation = trace.meta.equation
    if equation is None or getattr(equation, "kind", None) != "linear" or "grid_x" not in trace.static:
        return None
    from .wording import line_of

    xs = np.asarray(trace.static["grid_x"], dtype=float)[[0, -1]]
    span = _span([trace.static.get("grid_y")])
    ends = []
    for snapshot in range(len(trace)):
        slope, intercept = line_of(equation, {name: values[snapshot] for name, values in trace.params.items()})
        ends.append(np.clip(slope * xs + intercept, -2 * span, 2 * span))  # a near-vertical line: capped
    return np.max(np.abs(np.diff(np.asarray(ends), axis=0)), axis=1) / span


def resolve_motion(motion: Optional[str], segment_moves: np.ndarray) -> str:
    """``motion`` as asked, or for ``None`` (auto) smooth where the recorded states jump visibly."""
    if motion is not None:
        return motion
    return "smooth" if segment_moves.size and float(segment_moves.max()) > SMOOTH_ABOVE else "steps"


# ---- laying frames over the snapshots --------------------------------------------------------------------
def build(segment_moves: np.ndarray, motion: str, fps: float, events: Sequence = (), frames: Optional[int] = None,
          opening: str = "", closing: str = "", pace: Optional[float] = None) -> Timeline:
    """The timeline over ``len(segment_moves) + 1`` snapshots.

    ``pace`` (recorded states a second, a scene's own rhythm) gives each state at least ``fps / pace``
    frames: in-betweens in smooth motion, the state held in steps motion.
    ``events`` (with ``.snapshot`` and ``.caption``) slow time and are captioned; ``frames`` (from a
    duration) fixes the number of frames; ``opening`` and ``closing`` caption the first and last frames
    (the set-up, and the result), which the writers hold.
    """
    segments = len(segment_moves)
    slow_into = {event.snapshot for event in events if event.snapshot > 0}
    holds = {event.snapshot: max(1, round(EVENT_HOLD * fps)) for event in events if 0 < event.snapshot < segments}
    per_state = max(1, math.ceil(fps / pace - 1e-9)) if pace else 1
    if motion == "smooth":
        natural = np.clip(np.ceil(segment_moves / MAX_MOVE), per_state, max(MAX_BETWEEN + 1, per_state))
    else:
        natural = np.full(segments, float(per_state))
    weight = natural * np.array([SLOW if i + 1 in slow_into else 1.0 for i in range(segments)])
    if motion == "smooth":
        counts = np.ceil(weight).astype(int)
    else:  # one frame for the state, the rest of its time held
        counts = np.ones(segments, dtype=int)
        holds = _merge(holds, {i + 1: per_state - 1 for i in range(segments) if per_state > 1})
    if frames is not None:
        counts, holds = _fit(weight, holds, frames - 1, motion, keep=set(holds) | slow_into, natural=natural)
    moments = [Moment(0, 0)]
    shown = 0  # the last real state shown: a segment left out (to fit a duration) is crossed by the next
    for segment, count in enumerate(counts):
        after = segment + 1
        if count == 0:
            continue
        for k in range(1, count + 1):
            t = 1.0 if motion == "steps" or k == count else ease(k / count)
            moments.append(Moment(shown, after, t))
        shown = after
        moments.extend(Moment(after, after) for _ in range(holds.get(after, 0)))
    return Timeline(tuple(_captioned(moments, events, fps, opening, closing)), motion)


def _fit(weight: np.ndarray, holds: dict, frames: int, motion: str, keep: set = frozenset(),
         natural: Optional[np.ndarray] = None) -> tuple:
    """Share ``frames`` among the segments by ``weight`` (and the event holds).

    With room for every segment's natural frames, each segment gets its share and at least one frame.
    In smooth motion with less room, frames go by on-screen motion alone: a run of states that barely
    move (the long tail of a converged fit) is crossed in one step, so the frames go to the large early
    jumps, shared by each segment's ``natural`` frames (time does not slow into events when frames are
    short: an even pace looks better than a fast stretch beside a slow one); the states in ``keep``
    (events) and the last state are always shown. In steps motion with
    fewer frames than segments, the real states kept are spread by weight."""
    segments = len(weight)
    holds = _shortened(holds, frames // 4)  # a short animation spends its frames on motion, not on pauses
    hold_total = sum(holds.values())
    room = frames - hold_total
    if room < segments:  # not even one frame a segment: drop the holds first, then segments
        holds = {}
        room = frames
    if room >= segments:
        if motion == "steps":  # real states only: extra frames hold states, by weight
            counts = np.ones(segments, dtype=int)
            extra = _largest_remainder(weight, room - segments)
            return counts, _merge(holds, {i + 1: int(n) for i, n in enumerate(extra) if n})
        if room >= np.ceil(weight).sum():
            return np.maximum(1, _largest_remainder(weight, room)), holds
        return _by_motion(weight if natural is None else natural, room, keep), holds
    # Fewer frames than segments: keep ``room`` real states, spread evenly along the cumulative weight.
    counts = np.zeros(segments, dtype=int)
    position = np.cumsum(weight) / weight.sum()
    for target in np.linspace(0, 1, room + 1)[1:]:
        counts[min(int(np.searchsorted(position, target - 1e-12)), segments - 1)] = 1
    counts[-1] = 1
    while counts.sum() > room:  # two targets fell on one segment earlier; drop the earliest extras
        counts[np.flatnonzero(counts)[0]] = 0
    return counts, {}


def _shortened(holds: dict, most: int) -> dict:
    """The event holds scaled down (each at least one frame) to take ``most`` frames in all, if more."""
    total = sum(holds.values())
    if total <= most or not holds:
        return holds
    scale = most / total
    return {state: max(1, int(count * scale)) for state, count in holds.items()}


def _by_motion(weight: np.ndarray, room: int, keep: set) -> np.ndarray:
    """``room`` frames shared by ``weight`` with no floor of one a segment, except that the segments
    arriving at a state in ``keep`` (1-based) and the last segment get at least one frame."""
    segments = len(weight)
    floor = np.zeros(segments, dtype=int)
    for state in keep:
        if 0 < state <= segments:
            floor[state - 1] = 1
    floor[-1] = 1
    if floor.sum() >= room:  # only room for the states that must be shown
        return floor if floor.sum() == room else _largest_remainder(floor.astype(float), room)
    # Rounding the running total spreads the frames evenly where the weights are even (largest remainders
    # would give all the spare frames to the first segments of a tie).
    running = np.floor(np.cumsum(weight) / weight.sum() * room + 0.5).astype(int)
    counts = np.maximum(floor, np.diff(np.concatenate([[0], running])))
    while counts.sum() > room:  # the floors pushed it over: take from the largest shares
        largest = int(np.argmax(np.where(counts > floor, counts, -1)))
        counts[largest] -= 1
    return counts


def _largest_remainder(weight: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers proportional to ``weight`` that sum to ``total`` (at least 1 each where total allows)."""
    if total <= 0:
        return np.zeros(len(weight), dtype=int)
    share = weight / weight.sum() * total
    counts = np.floor(share).astype(int)
    if total >= len(weight):
        counts = np.maximum(counts, 1)
    while counts.sum() > total:
        counts[np.argmax(counts)] -= 1
    order = np.argsort(-(share - np.floor(share)))
    k = 0
    while counts.sum() < total:
        counts[order[k % len(order)]] += 1
        k += 1
    return counts


def _merge(first: dict, second: dict) -> dict:
    merged = dict(first)
    for key, value in second.items():
        merged[key] = merged.get(key, 0) + value
    return merged


def _captioned(moments: list, events: Sequence, fps: float, opening: str, closing: str) -> list:
    """Each event's caption on the frames from the start of the segment arriving at it until
    ``CAPTION_AFTER`` seconds after it (a later event takes over); the opening and closing words on the
    first and last frames."""
    captions = [""] * len(moments)
    linger = max(1, round(CAPTION_AFTER * fps))
    for event in sorted(events, key=lambda event: event.snapshot):
        arrived = next((i for i, moment in enumerate(moments) if moment.after >= event.snapshot and moment.real), None)
        if arrived is None:
            continue
        start = arrived
        while start > 0 and not moments[start - 1].real and moments[start - 1].after == event.snapshot:
            start -= 1
        for i in range(start, min(len(moments), arrived + linger)):
            captions[i] = event.caption
    if opening:
        captions[0] = opening
    if closing:
        captions[-1] = closing
    return [Moment(m.before, m.after, m.t, caption) for m, caption in zip(moments, captions)]


def frames_for(duration: float, fps: float, hold_first: float, hold_last: float) -> int:
    """How many frames (each 1/fps) an animation of ``duration`` seconds has besides its held ends."""
    return int(round((duration - hold_first - hold_last) * fps))


def blend_values(values: np.ndarray, before: int, after: int, t: float) -> np.ndarray:
    """``values[before]`` moved ``t`` of the way to ``values[after]`` (a convex combination)."""
    if before == after or t >= 1.0:
        return values[after]
    return (1 - t) * np.asarray(values[before], dtype=float) + t * np.asarray(values[after], dtype=float)


def blend_probabilities(probs: np.ndarray, before: int, after: int, t: float) -> np.ndarray:
    """Probabilities moved in log-odds (for a logistic model, exactly the shading of the blended
    parameters: its log-odds are linear in them)."""
    if before == after or t >= 1.0:
        return probs[after]
    low, high = (np.clip(np.asarray(probs[i], dtype=float), 1e-7, 1 - 1e-7) for i in (before, after))
    logit = (1 - t) * np.log(low / (1 - low)) + t * np.log(high / (1 - high))
    return 1 / (1 + np.exp(-logit))


def blend_class_probabilities(probs: np.ndarray, before: int, after: int, t: float) -> np.ndarray:
    """Class probabilities (last axis) moved in log space and normalised again: for a softmax classifier,
    exactly the probabilities of logits blended between the two states' (up to each point's constant)."""
    if before == after or t >= 1.0:
        return probs[after]
    low, high = (np.log(np.clip(np.asarray(probs[i], dtype=float), 1e-7, 1.0)) for i in (before, after))
    mixed = (1 - t) * low + t * high
    mixed = np.exp(mixed - mixed.max(axis=-1, keepdims=True))
    return mixed / mixed.sum(axis=-1, keepdims=True)


def length_seconds(timeline: Timeline, fps: float, hold_first: float, hold_last: float) -> float:
    """How long the animation plays: its frames at ``fps`` and the two held ends."""
    return len(timeline) / fps + hold_first + hold_last if math.isfinite(fps) else 0.0
