"""Frames on several cores: once the trace is recorded, every frame can be drawn independently.

Worker processes are forked (so they start at once, with matplotlib already imported and the trace
already in memory), each builds its own painter, and frames come back in order through a window of
a few chunks, so memory stays bounded however long the animation. Where fork is not available, or
the animation is short, frames are drawn in this process instead.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from typing import Iterable, Iterator

import numpy as np

CHUNK = 4  # frames per task: big enough to amortise the messaging, small enough to keep order cheap
MIN_FRAMES = 32  # below this, starting workers costs more than it saves

_renderer = None  # each worker's own Renderer


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(frames: int, wanted) -> int:
    """How many worker processes to use for ``frames`` frames (0 means draw here)."""
    if wanted is not None:
        return 0 if wanted <= 1 else int(wanted)
    if frames < MIN_FRAMES or not sys.platform.startswith("linux"):
        return 0
    cores = available_cores()
    return cores if cores > 1 else 0


class ParallelRenderer:
    """Frames drawn by ``workers`` forked processes, each with its own ``factory(*args)`` renderer.

    ``count`` is the number of frames. Use as a context manager.
    """

    def __init__(self, factory, args: tuple, count: int, workers: int):
        context = multiprocessing.get_context("fork")
        self.workers = workers
        self.count = count
        self._pool = context.Pool(workers, initializer=_start_worker, initargs=(factory, args))
        self.colours = self._pool.apply(_worker_colours)

    def __len__(self) -> int:
        return self.count

    def frames(self, indices: Iterable[int]) -> Iterator[np.ndarray]:
        """The frames at ``indices``, in that order."""
        indices = list(indices)
        chunks = iter([indices[start:start + CHUNK] for start in range(0, len(indices), CHUNK)])
        window = deque()
        for chunk in chunks:
            window.append(self._pool.apply_async(_draw, (chunk,)))
            if len(window) >= 2 * self.workers:
                break
        while window:
            frames = window.popleft().get()
            chunk = next(chunks, None)
            if chunk is not None:
                window.append(self._pool.apply_async(_draw, (chunk,)))
            yield from frames

    def close(self) -> None:
        """Stop the workers (at once: anything still drawing is no longer wanted)."""
        self._pool.terminate()
        self._pool.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _start_worker(factory, args: tuple) -> None:
    global _renderer
    # Ctrl-C reaches the whole process group; the parent decides what happens, workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _renderer = factory(*args)


def _worker_colours() -> np.ndarray:
    return _renderer.colours


def _draw(indices: list) -> list:
    return list(_renderer.frames(indices))
