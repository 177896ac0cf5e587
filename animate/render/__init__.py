"""Rendering: a trace in, RGB frames out. Uses matplotlib only; never imports torch.

    >>> frames = Renderer(trace, RenderOptions())      # doctest: +SKIP
    >>> first = frames.frame(0)                        # (480, 640, 3) uint8
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from ..errors import AnimateError
from ..options import RenderOptions
from ..trace import Trace
from .boundary import BoundaryPainter
from .line import LinePainter

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

    def __iter__(self) -> Iterator[np.ndarray]:
        for index in range(len(self)):
            yield self.frame(index)
