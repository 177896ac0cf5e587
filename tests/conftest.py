"""Shared fixtures: short real runs of the scenes, recorded once per test session."""

import pytest

from animate.options import RenderOptions
from animate.train import record_scene


@pytest.fixture(scope="session")
def linear_trace():
    """The linear scene for 300 steps, a frame every 30 (11 snapshots)."""
    return record_scene("linear", seed=0, steps=300, every=30)


@pytest.fixture(scope="session")
def logistic_trace():
    """The logistic scene with the blog's defaults (it stops by itself after about 25 steps)."""
    return record_scene("logistic", seed=0)


@pytest.fixture(scope="session")
def small_options():
    # Recorded states only and no captions: one frame per snapshot, as the writers' tests count them.
    return RenderOptions(size=(320, 240), dpi=50, fps=10, hold_last=1.0, motion="steps", captions=False)
