"""The two protocols frames flow through: a frame source draws them, a frame sink takes them.

Anything that yields RGB frames of one size is a source (a trace's drawing, a comparison's small
multiples, the same drawn by worker processes); anything that takes them one at a time is a sink (an
animation writer, a poster, a contact sheet, the null sink of the tests). A new venue is a new
source or sink, not a new path through the code.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class FrameSource(Protocol):
    """``len(source)`` frames of shape (height, width, 3), ``uint8``, drawn on demand."""

    colours: np.ndarray  # RGB colours (n, 3) the frames will use that a palette should hold exactly

    def __len__(self) -> int: ...

    def frames(self, indices: Iterable[int]) -> Iterator[np.ndarray]:
        """The frames at ``indices``, in that order."""

    def close(self) -> None:
        """Release what drawing holds (worker processes)."""


@runtime_checkable
class FrameSink(Protocol):
    """Takes frames one at a time; ``close`` finishes the file, ``abort`` gives up on it."""

    def write(self, frame: np.ndarray) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...
