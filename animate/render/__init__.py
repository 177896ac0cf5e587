"""Rendering: a trace in, RGB frames out. Uses matplotlib only; never imports torch.

    >>> frames = Renderer(trace, RenderOptions())      # doctest: +SKIP
    >>> first = frames.frame(0)                        # (480, 640, 3) uint8
"""

from __future__ import annotations

from typing import Iterable, Iterator

import numpy as np

from ..errors import AnimateError
from ..options import RenderOptions
from ..trace import Trace
from .boundary import BoundaryPainter
from .line import LinePainter
from .parallel import ParallelRenderer, worker_count

PAINTERS = {"line": LinePainter, "boundary": BoundaryPainter}


class Renderer:
    """The frames of one trace, drawn on demand: ``len(renderer)`` frames, ``renderer.frame(i)``."""

    def __init__(self, trace: Trace, options: RenderOptions = RenderOptions()):
        if trace.painter not in PAINTERS:
            raise AnimateError(
                f"no painter named {trace.painter!r} for this trace: valid painters are {', '.join(sorted(PAINTERS))}"
            )
        self.trace = trace
        self.options = options
        self.painter = PAINTERS[trace.painter](trace, options)

    def __len__(self) -> int:
        return len(self.trace)

    @property
    def colours(self) -> np.ndarray:
        """RGB colours (n, 3) the frames will use that an encoder's palette should hold exactly."""
        return self.painter.colours

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an RGB ``uint8`` array of shape (height, width, 3)."""
        return self.painter.frame(index)

    def frames(self, indices: Iterable[int]) -> Iterator[np.ndarray]:
        """The frames at ``indices``, in that order."""
        for index in indices:
            yield self.frame(index)

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.frames(range(len(self)))

    def close(self) -> None:
        """Nothing to release (the parallel renderer has workers to stop)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_renderer(trace: Trace, options: RenderOptions = RenderOptions()):
    """A :class:`Renderer`, or a :class:`ParallelRenderer` when the frames are many and cores are spare.

    ``options.workers`` overrides the choice (1 draws in this process). Use as a context manager.
    """
    workers = worker_count(len(trace), options.workers)
    if workers:
        if trace.painter not in PAINTERS:
            Renderer(trace, options)  # raises the clear error here rather than in a worker
        return ParallelRenderer(trace, options, workers)
    return Renderer(trace, options)
