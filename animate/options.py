"""Frozen settings for rendering and writing, validated once where they are made."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Optional

from .errors import AnimateError

MIN_SIDE, MAX_SIDE = 64, 4096
MIN_INCHES = (2.4, 2.0)  # below this (size / dpi), the text leaves no room for the plot
MAX_TRAIL = 20
MAX_SCALE = 4
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
    how many processes draw them, the theme, and which panels and trails a frame shows.

    Width and height must be even because H.264 in yuv420p (what browsers play) needs it, and one size
    rule for every format keeps a GIF and an MP4 of the same trace pixel-identical in layout.
    """

    size: tuple[int, int] = (640, 480)
    dpi: int = 100
    fps: float = 20.0
    hold_last: float = 1.5
    workers: Optional[int] = None  # processes drawing frames; None: one per core for long animations
    theme: str = "light"  # "light" or "dark"
    loss_panel: bool = True  # the loss curve drawn up to the current step, beside the main plot
    trail: int = 0  # how many earlier fits fade out behind the current one
    param_path: bool = False  # for two-parameter models: the loss surface and the optimiser's path

    def __post_init__(self) -> None:
        # One type for each setting, however it was given (8 and 8.0 must describe the same file).
        object.__setattr__(self, "fps", float(self.fps))
        object.__setattr__(self, "hold_last", float(self.hold_last))
        object.__setattr__(self, "size", (int(self.size[0]), int(self.size[1])))
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
        if self.theme not in ("light", "dark"):
            raise AnimateError(f"unknown theme {self.theme!r}: valid themes are light, dark")
        if not (isinstance(self.trail, int) and 0 <= self.trail <= MAX_TRAIL):
            raise AnimateError(f"trail {self.trail!r} is out of range: use 0 to {MAX_TRAIL} earlier fits")
        if not (math.isfinite(self.hold_last) and 0 <= self.hold_last <= 60):
            raise AnimateError(f"hold {self.hold_last:g} s is out of range: use 0 to 60 seconds")

    def scaled(self, factor: float) -> "RenderOptions":
        """The same layout with ``factor`` times the pixels: sharper frames for high-DPI screens."""
        if not (math.isfinite(factor) and 1 <= factor <= MAX_SCALE):
            raise AnimateError(f"scale {factor:g} is out of range: use 1 to {MAX_SCALE}")
        width, height = (2 * round(side * factor / 2) for side in self.size)  # kept even
        return replace(self, size=(width, height), dpi=round(self.dpi * factor))

    @property
    def figsize(self) -> tuple[float, float]:
        """The figure size in inches that gives exactly ``size`` pixels at ``dpi``."""
        return self.size[0] / self.dpi, self.size[1] / self.dpi
