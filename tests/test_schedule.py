"""Frame schedules: every N steps, or a budget of frames placed where the picture changes."""

import numpy as np
import pytest
import torch

from animate.errors import AnimateError
from animate.train import record_scene
from animate.record import Recorder
from animate.schedule import FrameBudget, Snapshot


def moving_point(steps, position_at):
    """A recorder fed a one-number picture that sits at ``position_at(step)``."""
    recorder = Recorder({"p": torch.zeros(1)}, frames=20)

    class Observer:
        painter = "history"  # only the schedule is looked at here: no picture is drawn

        def static(self):
            return {}

        def __call__(self, model):
            return {"curve": np.array([position_at(current)])}

    recorder.observe = Observer()
    for current in range(steps):
        recorder.step(current, 1.0)
    current = steps
    recorder.finish(steps, 1.0)
    return recorder.trace().steps


def test_budget_puts_frames_where_the_picture_moves():
    # Moves 100 units in the first 50 steps, then 1 unit over the next 9950.
    steps = moving_point(10_000, lambda s: 2.0 * s if s < 50 else 100 + (s - 50) / 9950)
    assert steps[0] == 0 and steps[-1] == 10_000
    assert len(steps) == 20
    assert np.sum(steps <= 50) >= 12  # most frames where the motion is
    assert np.sum(steps > 5000) >= 1  # and the slow end is not skipped


def test_budget_spreads_frames_over_time_when_nothing_moves():
    steps = moving_point(5000, lambda s: 0.0)
    assert len(steps) == 20 and steps[-1] == 5000
    gaps = np.diff(np.log1p(steps))
    assert gaps.max() < 4 * np.median(gaps)  # evenly spread in log-time, no big holes


def test_budget_keeps_every_step_of_a_short_run():
    trace = record_scene("logistic", seed=0)
    assert trace.steps.tolist() == list(range(26))


def test_budget_memory_is_bounded_on_long_runs():
    budget = FrameBudget(frames=10)
    held = []
    for step in range(100_000):
        if budget.due(step, held):
            budget.keep(held, Snapshot(step=step, loss=1.0, params={}, outputs={"y": np.array([step ** 0.5])}))
        assert len(held) < 40
    assert len(budget.select(held)) == 10


def test_every_and_frames_are_exclusive_and_checked():
    with pytest.raises(AnimateError, match="not both"):
        Recorder({}, every=3, frames=10)
    with pytest.raises(AnimateError, match="frames 1 is not valid"):
        Recorder({}, frames=1)


def test_every_n_gives_the_plain_schedule_through_a_scene():
    trace = record_scene("mlp", seed=0, every=250)
    assert trace.steps.tolist() == [0, 250, 500, 750, 1000]


@pytest.mark.slow
def test_frames_option_sets_the_budget():
    trace = record_scene("linear", seed=0, steps=2000, frames=50)
    assert len(trace) == 50 and trace.steps[0] == 0 and trace.steps[-1] == 2000
    assert np.sum(trace.steps < 200) > np.sum(trace.steps > 1000)  # denser where the line swings in
