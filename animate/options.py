"""Frozen settings for rendering and writing, validated once where they are made."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Optional

from .errors import AnimateError

MIN_SIDE, MAX_SIDE = 64, 4096
MIN_INCHES = (2.4, 2.0)  # below this (size / dpi), the text leaves no room for the plot
MIN_DPI, MAX_DPI = 20, 600
MAX_FPS = 60.0


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``"640x480"`` into ``(640, 480)``; raise :class:`AnimateError` naming the bad value."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", str(text))
    if not match:
        raise AnimateError(f"size {text!r} is not WIDTHxHEIGHT in pixels, e.g. 640x480")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class RenderOptions:
    """How frames look and play: pixel size, dots per inch, frame rate, how long the last frame holds,
    and how many processes draw them.

    Width and height must be even because H.264 in yuv420p (what browsers play) needs it, and one size
    rule for every format keeps a GIF and an MP4 of the same trace pixel-identical in layout.
    """

    size: tuple[int, int] = (640, 480)
    dpi: int = 100
    fps: float = 20.0
    hold_last: float = 1.5
    workers: Optional[int] = None  # processes drawing frames; None: one per core for long animations

    def __post_init__(self) -> None:
        width, height = self.size
        for side in (width, height):
            if not (MIN_SIDE <= side <= MAX_SIDE) or side % 2:
                raise AnimateError(
                    f"size {width}x{height} is not valid: width and height must be even numbers "
                    f"from {MIN_SIDE} to {MAX_SIDE}"
                )
        if not (MIN_DPI <= self.dpi <= MAX_DPI):
            raise AnimateError(f"dpi {self.dpi} is out of range: use {MIN_DPI} to {MAX_DPI}")
        if width < MIN_INCHES[0] * self.dpi or height < MIN_INCHES[1] * self.dpi:
            least = (math.ceil(MIN_INCHES[0] * self.dpi / 2) * 2, math.ceil(MIN_INCHES[1] * self.dpi / 2) * 2)
            raise AnimateError(
                f"size {width}x{height} is too small for dpi {self.dpi}: the text would leave no room for the "
                f"plot; use at least {least[0]}x{least[1]} at this dpi, or a lower dpi"
            )
        if not (math.isfinite(self.fps) and 0 < self.fps <= MAX_FPS):
            raise AnimateError(f"fps {self.fps:g} is out of range: use a number above 0 and at most {MAX_FPS:g}")
        if self.workers is not None and not (isinstance(self.workers, int) and 1 <= self.workers <= 64):
            raise AnimateError(f"workers {self.workers!r} is not valid: use 1 to 64, or None for one per core")
        if not (math.isfinite(self.hold_last) and 0 <= self.hold_last <= 60):
            raise AnimateError(f"hold {self.hold_last:g} s is out of range: use 0 to 60 seconds")

    @property
    def figsize(self) -> tuple[float, float]:
        """The figure size in inches that gives exactly ``size`` pixels at ``dpi``."""
        return self.size[0] / self.dpi, self.size[1] / self.dpi
