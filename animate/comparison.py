"""Several runs of one scene on one clock: the numbers behind a side-by-side animation (no torch).

Each run keeps its own snapshots (about where its own picture changes); the clock is the list of
steps the frames show, spread evenly in log-scaled time over the longest run, with every run's last
step on it. At each frame a run shows its latest snapshot at or before the clock's step, and stays
on its last one once it has ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import AnimateError


@dataclass(frozen=True)
class Comparison:
    """Traces of the runs, their labels, the clock (one step per frame) and a title."""

    traces: tuple
    labels: tuple
    clock: np.ndarray
    title: str = ""

    def __post_init__(self) -> None:
        if len(self.traces) != len(self.labels) or len(self.traces) < 2:
            raise AnimateError(f"a comparison needs two or more runs, each with a label; got {len(self.traces)}")

    def __len__(self) -> int:
        return len(self.clock)

    def index_of(self, run: int) -> Callable[[int], int]:
        """For run ``run``: frame index → the snapshot it shows then."""
        shown = np.searchsorted(self.traces[run].steps, self.clock, side="right") - 1
        shown = np.clip(shown, 0, len(self.traces[run]) - 1)
        return lambda index: int(shown[index])


def make_clock(traces: list, frames: int) -> np.ndarray:
    """About ``frames`` steps from all runs' snapshots, spread evenly in log-time; every run's last step kept."""
    steps = np.unique(np.concatenate([np.asarray(trace.steps) for trace in traces]))
    position = np.log1p(steps.astype(float))
    chosen = {0, len(steps) - 1}
    chosen.update(int(i) for i in np.searchsorted(steps, [int(trace.steps[-1]) for trace in traces]))
    for target in np.linspace(position[0], position[-1], max(frames, 2)):
        index = int(np.clip(np.searchsorted(position, target), 0, len(steps) - 1))
        if index > 0 and target - position[index - 1] < position[index] - target:
            index -= 1
        chosen.add(index)
    return steps[sorted(chosen)]


def build(traces: list, labels: list, frames: int, title: str = "") -> Comparison:
    """A :class:`Comparison` of ``traces`` with a clock of about ``frames`` steps."""
    return Comparison(tuple(traces), tuple(labels), make_clock(traces, frames), title)
