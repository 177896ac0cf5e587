"""Which steps become frames.

Two schedules, both keeping the first step and the final one:

- :class:`EveryN`: a frame every N steps, as the blogs plot.
- :class:`FrameBudget`: about K frames placed where the picture changes. Every early step is a
  candidate, later ones more sparsely (training changes fastest at first); the distance between
  consecutive candidates' pictures (the observer's arrays, or the loss when there
  is no observer) adds up to a "distance travelled". Frames are chosen evenly along a blend of that
  distance and log-scaled time, so fast early motion gets many frames, and slow late drift still
  gets some. Candidates are thinned as they come, so memory stays bounded however long the run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .errors import AnimateError
from .options import DEFAULT_FRAMES, MAX_FRAMES


@dataclass
class Snapshot:
    """One recorded step: its loss, parameters and observations, copied out of the model."""

    step: int
    loss: float
    params: dict
    outputs: dict
    scalars: dict = field(default_factory=dict)
    travelled: float = 0.0  # summed picture change from the first snapshot (FrameBudget only)


class EveryN:
    """Record the first step seen, then every step that is a multiple of ``n``.

    A run longer than anyone planned (a user's loop with no known end) cannot grow memory without
    bound: at ``MAX_FRAMES`` snapshots every other one is dropped and ``n`` doubles, so the frames stay
    evenly spaced, every ``2n`` steps from then on.
    """

    def __init__(self, n: int):
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
            raise AnimateError(f"every {n!r} is not valid: record every 1 or more steps")
        self.n = int(n)

    def due(self, step: int, snapshots: list) -> bool:
        return not snapshots or (step > snapshots[-1].step and step % self.n == 0)

    def keep(self, snapshots: list, snapshot: Snapshot) -> None:
        snapshots.append(snapshot)
        if len(snapshots) > MAX_FRAMES:
            self.n *= 2
            snapshots[:] = [snapshots[0]] + [s for s in snapshots[1:] if s.step % self.n == 0]

    def select(self, snapshots: list) -> list:
        return list(snapshots)


class FrameBudget:
    """About ``frames`` frames where the picture changes (see the module docstring).

    ``time_share`` is the part of the frames spread by log-scaled time rather than by change;
    at most ``4 × frames`` candidates are held at once.
    """

    def __init__(self, frames: int = DEFAULT_FRAMES, time_share: float = 0.25):
        if not isinstance(frames, (int, np.integer)) or isinstance(frames, bool) or not 2 <= frames <= MAX_FRAMES:
            raise AnimateError(f"frames {frames!r} is not valid: use 2 to {MAX_FRAMES:,} (an animation of more "
                               "frames than anyone watches only costs memory)")
        self.frames = int(frames)
        self.time_share = time_share
        self._previous_picture = None
        self._travelled = 0.0

    def due(self, step: int, snapshots: list) -> bool:
        # Candidates get sparser as training goes on (one every step // (2 × frames) steps), so a long
        # run costs about 2·frames·(1 + ln(steps / (2·frames))) observations, not one per step.
        if not snapshots:
            return True
        return step - snapshots[-1].step >= max(1, step // (2 * self.frames))

    def keep(self, snapshots: list, snapshot: Snapshot) -> None:
        picture = _picture(snapshot)
        if self._previous_picture is not None and picture.shape == self._previous_picture.shape:
            change = float(np.sqrt(np.mean((picture - self._previous_picture) ** 2)))
            self._travelled += change if math.isfinite(change) else 0.0
        self._previous_picture = picture
        snapshot.travelled = self._travelled
        snapshots.append(snapshot)
        if len(snapshots) >= 4 * self.frames:
            snapshots[:] = self._evenly(snapshots, 2 * self.frames)

    def select(self, snapshots: list) -> list:
        return self._evenly(snapshots, self.frames)

    def _evenly(self, snapshots: list, count: int) -> list:
        """``count`` snapshots evenly spaced along the blend of change and log-time; ends kept."""
        if len(snapshots) <= count:
            return list(snapshots)
        steps = np.array([s.step for s in snapshots], dtype=float)
        travelled = np.array([s.travelled for s in snapshots])
        time = np.log1p(steps - steps[0])
        position = self.time_share * _unit(time) + (1 - self.time_share) * _unit(travelled)
        if not position[-1] > position[0]:
            position = _unit(np.arange(len(snapshots), dtype=float))
        chosen = {0, len(snapshots) - 1}
        for target in np.linspace(position[0], position[-1], count)[1:-1]:
            index = int(np.clip(np.searchsorted(position, target), 1, len(snapshots) - 1))
            if target - position[index - 1] < position[index] - target:
                index -= 1
            chosen.add(index)
        # Where several targets fell on one candidate (a burst of change within one step), give the
        # spare frames to the widest gaps left (measured in position, where the picture changes
        # most), so the budget is used.
        order = sorted(chosen)
        while len(order) < count:
            room = np.diff(order) >= 2
            if not room.any():
                break
            gaps = np.where(room, position[order[1:]] - position[order[:-1]], -1.0)
            widest = int(np.argmax(gaps))
            low, high = order[widest], order[widest + 1]
            middle = (position[low] + position[high]) / 2
            split = int(np.clip(np.searchsorted(position, middle), low + 1, high - 1))
            order.insert(widest + 1, split)
        return [snapshots[i] for i in order]


def _picture(snapshot: Snapshot) -> np.ndarray:
    # What the viewer sees change: the observations, or else the loss on a log scale.
    if snapshot.outputs:
        return np.concatenate([np.ravel(values).astype(np.float64) for values in snapshot.outputs.values()])
    return np.array([math.log10(max(snapshot.loss, 1e-300))]) if math.isfinite(snapshot.loss) else np.array([0.0])


def _unit(values: np.ndarray) -> np.ndarray:
    span = values[-1] - values[0]
    return (values - values[0]) / span if span > 0 else np.zeros_like(values)
