"""A sink that keeps nothing: it counts frames and checks their shape, for tests and for timing drawing alone."""

from __future__ import annotations

import numpy as np

from ..errors import AnimateError
from ..options import RenderOptions
from .registry import require_resolved


class NullSink:
    """Takes frames like a writer and writes nothing; ``frames_written`` and ``duration`` say what it saw."""

    def __init__(self, options: RenderOptions):
        require_resolved(options, "NullSink")
        self.options = options
        self.frames_written = 0
        self.closed = False

    @property
    def duration(self) -> float:
        """Seconds the frames would play for, with the last one held."""
        held = (self.options.hold_first if self.frames_written else 0.0) + (self.options.hold_last if self.closed else 0.0)
        return self.frames_written / self.options.fps + held

    def write(self, frame: np.ndarray) -> None:
        width, height = self.options.size
        if np.shape(frame) != (height, width, 3):
            raise AnimateError(f"frame of shape {np.shape(frame)}, expected ({height}, {width}, 3)")
        self.frames_written += 1

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        """Nothing to undo."""
