"""Frames on several cores: once the trace is recorded, every frame can be drawn independently.

Worker processes are forked (so they start at once, with matplotlib already imported and the trace
already in memory), each builds its own renderer, and frames come back in order through a window of
a few chunks, so memory stays bounded however long the animation. Where fork is not available, or
the animation is short, frames are drawn in this process instead.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import traceback
from typing import Iterable, Iterator

import numpy as np

from ..lifeline import die_with_parent
from ..signals import signals_deferred

CHUNK = 4  # frames per task: big enough to amortise the messaging, small enough to keep order cheap
MIN_FRAMES = 32  # below this, starting workers costs more than it saves
# Memory for drawing and writing, measured on this code (a 2048×2048 GIF peaks near 74 bytes a pixel in
# one process, over matplotlib's own): each drawing process holds a figure's buffers and a chunk of
# frames; the writing process holds frames in flight and the encoder's state.
BASE_BYTES = 150 * 2**20
DRAWING_BYTES_PER_PIXEL = 60
WRITING_BYTES_PER_PIXEL = 40

def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(frames: int, wanted, size: tuple = (640, 480)) -> int:
    """How many worker processes to use for ``frames`` frames of ``size`` (0 means draw here): one per
    core for a long animation, as many as ``wanted`` says, and never more than the memory holds."""
    if wanted is not None:
        count = 0 if wanted <= 1 else int(wanted)
    elif frames < MIN_FRAMES or not sys.platform.startswith("linux"):
        count = 0
    else:
        cores = available_cores()
        count = cores if cores > 1 else 0
    while count > 1 and memory_needed(size, count) > usable_memory():
        count -= 1
    return 0 if count == 1 and wanted is None else count


def memory_needed(size: tuple, workers: int) -> int:
    """About how many bytes drawing and writing frames of ``size`` take with ``workers`` processes (0: here)."""
    pixels = size[0] * size[1]
    return BASE_BYTES + pixels * (WRITING_BYTES_PER_PIXEL + DRAWING_BYTES_PER_PIXEL * max(workers, 1))


def usable_memory() -> float:
    """Four fifths of the memory available now (``MemAvailable``), or infinity where that is unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return 0.8 * int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return float("inf")


class ParallelRenderer:
    """Frames drawn by ``workers`` forked processes, each with its own ``factory(*args)`` renderer.

    ``count`` is the number of frames. Use as a context manager. Each worker has one pipe and serves
    its chunks in order; chunk ``i`` goes to worker ``i % workers``, so reading the workers in turn
    gives the frames in order. There are no helper threads: closing kills the workers at once, and
    nothing can be left waiting on a half-sent frame (the way ``multiprocessing.Pool.terminate`` can).
    A worker ends with this process however it ends, SIGKILL included (see :mod:`animate.lifeline`).
    """

    def __init__(self, factory, args: tuple, count: int, workers: int):
        context = multiprocessing.get_context("fork")
        self.workers = workers
        self.count = count
        self._workers = []
        try:
            for _ in range(workers):
                ours, theirs = context.Pipe()
                # The child gets copies of this side's ends (its own and the earlier workers'): it must
                # close them, or its pipe never reports this process gone.
                ends = [connection for _, connection in self._workers] + [ours]
                process = context.Process(target=_serve, args=(theirs, ends, os.getpid(), factory, args),
                                          daemon=True)
                with signals_deferred():  # a signal during the fork would be lost in its after-fork hooks
                    process.start()
                theirs.close()
                self._workers.append((process, ours))
            ready = [_receive(connection) for _, connection in self._workers]
        except BaseException:
            self.close()
            raise
        self.colours = ready[0]

    def __len__(self) -> int:
        return self.count

    def frames(self, indices: Iterable[int]) -> Iterator[np.ndarray]:
        """The frames at ``indices``, in that order."""
        indices = list(indices)
        chunks = [indices[start:start + CHUNK] for start in range(0, len(indices), CHUNK)]
        workers = len(self._workers)
        sent = 0
        while sent < min(len(chunks), 2 * workers):  # a window of two chunks per worker
            self._workers[sent % workers][1].send(chunks[sent])
            sent += 1
        for number in range(len(chunks)):
            frames = _receive(self._workers[number % workers][1])
            if sent < len(chunks):
                self._workers[sent % workers][1].send(chunks[sent])  # to the worker that just delivered
                sent += 1
            yield from frames

    def close(self) -> None:
        """Stop the workers at once: anything still drawing is no longer wanted."""
        for process, connection in self._workers:
            if process.is_alive():
                process.kill()
            process.join()
            connection.close()
        self._workers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(connection, parent_ends: list, parent_pid: int, factory, args: tuple) -> None:
    """A worker: build a renderer, say it is ready (with its palette colours), then draw chunks."""
    # Ctrl-C reaches the whole process group; the parent decides what happens, workers just stop.
    # SIGTERM and SIGHUP end a worker at once (the parent's handlers for them are not for workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    die_with_parent(parent_pid)
    for end in parent_ends:
        end.close()
    try:
        renderer = factory(*args)
        connection.send(("ok", renderer.colours))
        while True:
            indices = connection.recv()
            connection.send(("ok", list(renderer.frames(indices))))
    except EOFError:  # the parent closed the pipe: done
        return
    except Exception:  # report it, so that the parent fails with the reason rather than waiting
        connection.send(("error", traceback.format_exc()))


def _receive(connection):
    try:
        kind, payload = connection.recv()
    except EOFError:
        raise RuntimeError("a rendering worker process stopped unexpectedly") from None
    if kind == "error":
        raise RuntimeError(f"a rendering worker failed:\n{payload}")
    return payload
