"""Text that changes every frame, painted straight into the frame with matplotlib's own font engine.

Matplotlib's Text artist lays out, measures and draws its string through several layers each time;
for a few short lines that change every frame that costs several times more than the glyphs. A
:class:`TextBlock` keeps what it can fixed (font, size, position, line baselines) and per frame only
has FreeType lay out and rasterise the new strings, then blends them in with NumPy. The font file,
hinting and anti-aliasing are the ones matplotlib's Agg backend uses, so the glyphs look the same
as the static text around them. Baselines are fixed, so a line never shifts when its digits change.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Optional, Sequence

import numpy as np
from matplotlib import font_manager, rcParams
from matplotlib.colors import to_rgb

from .style import fallback_font

try:  # the flag matplotlib's Agg backend renders text with (rcParams["text.hinting"])
    from matplotlib.backends.backend_agg import get_hinting_flag
except ImportError:  # pragma: no cover - older or newer matplotlib
    def get_hinting_flag():
        return 0


RASTERS_KEPT = 64  # rasterised lines a block keeps (a few frames' worth; each a few KB)
WIDTHS_KEPT = 20_000  # measured widths a block keeps (a float each)


class TextBlock:
    """Lines of text with their top-left corner at pixel ``(left, top)`` of the frame (rows down);
    with ``align="right"``, ``left`` is where the lines end instead.

    ``family`` and ``size`` (points) pick the font as matplotlib would; ``dpi`` converts points to
    pixels; ``linespacing`` is in multiples of the font's line height.
    """

    def __init__(self, left: float, top: float, size: float, dpi: float, colour: str,
                 family=None, weight="normal", linespacing: float = 1.2, align: str = "left"):
        properties = font_manager.FontProperties(family=family or rcParams["font.family"], size=size,
                                                 weight=weight)
        self._path = font_manager.findfont(properties)
        self._fallback = fallback_font()  # for lines with characters the first font lacks (CJK words)
        self.weight = weight
        self.size, self.dpi = size, dpi
        self.left, self.top = int(round(left)), int(round(top))
        self.align = align
        self.colour = np.array(to_rgb(colour)) * 255
        font = self._font()
        scale = size * dpi / 72 / font.units_per_EM
        self.ascent, self.descent = font.ascender * scale, -font.descender * scale
        self.line_height = linespacing * (self.ascent + self.descent)
        self._flags = get_hinting_flag()
        # Rasterised lines by their text: a caption stays on screen for seconds and an in-between frame
        # repeats the numbers of the state it moves to, so most lines were drawn a frame or two before.
        self._rasters: "OrderedDict[str, tuple]" = OrderedDict()
        self._widths: dict = {}

    @property
    def font_files(self) -> list:
        """The font files the block draws with: its own, then the fallback for characters it lacks."""
        return [self._path] + ([self._fallback] if self._fallback else [])

    def measure(self, lines: Sequence[str]) -> tuple[int, int]:
        """Width and height in pixels the lines take (height from the top to the last baseline's descent)."""
        width = 0
        for line in lines:
            width = max(width, self._width(line))
        height = (len(lines) - 1) * self.line_height + self.ascent + self.descent
        return int(np.ceil(width)), int(np.ceil(height))

    def paint(self, buffer: np.ndarray, lines: Sequence[str]) -> None:
        """Blend ``lines`` into ``buffer`` (an RGBA frame, rows from the top) at the block's place."""
        for number, line in enumerate(lines):
            if not line:
                continue
            coverage, offset, height_above = self._raster(line)
            if coverage.size == 0:
                continue
            baseline = self.top + self.ascent + number * self.line_height
            x = self.left + offset
            if self.align == "right":
                x -= coverage.shape[1]
            y = int(round(baseline - height_above))
            self._blend(buffer, coverage, x, y)

    def _width(self, line: str) -> float:
        """The advance width of ``line`` in pixels (remembered: boxes are sized over every frame's lines,
        and the frames between two recorded states share their lines)."""
        if line not in self._widths:
            if len(self._widths) >= WIDTHS_KEPT:
                self._widths.clear()
            font = self._font_for(line)
            font.set_text(line, 0, flags=self._flags)
            self._widths[line] = font.get_width_height()[0] / 64
        return self._widths[line]

    def _raster(self, line: str) -> tuple:
        """``(coverage, x offset, height above the baseline)`` of ``line``, from the cache when it is there."""
        if line in self._rasters:
            self._rasters.move_to_end(line)
            return self._rasters[line]
        font = self._font_for(line)
        font.set_text(line, 0, flags=self._flags)
        font.draw_glyphs_to_bitmap(antialiased=rcParams["text.antialiased"])
        raster = (np.array(font.get_image()), int(round(font.get_bitmap_offset()[0] / 64)),
                  font.get_width_height()[1] / 64 - font.get_descent() / 64)
        self._rasters[line] = raster
        if len(self._rasters) > RASTERS_KEPT:
            self._rasters.popitem(last=False)
        return raster

    def _font_for(self, line: str):
        """The block's font, or the CJK fallback for a line with a character the font does not have."""
        font = self._font()
        if self._fallback is not None and any(font.get_char_index(ord(char)) == 0 for char in line if char.strip()):
            return self._font(self._fallback)
        return font

    def _font(self, path: Optional[str] = None):
        font = font_manager.get_font(path or self._path)  # shared with matplotlib: always reset before use
        font.clear()
        font.set_size(self.size, self.dpi)
        return font

    def _blend(self, buffer: np.ndarray, coverage: np.ndarray, x: int, y: int) -> None:
        rows, cols = coverage.shape
        top, left = max(y, 0), max(x, 0)
        bottom, right = min(y + rows, buffer.shape[0]), min(x + cols, buffer.shape[1])
        if bottom <= top or right <= left:
            return
        alpha = coverage[top - y:bottom - y, left - x:right - x, None].astype(np.float32) / 255
        region = buffer[top:bottom, left:right, :3]
        region[...] = (region * (1 - alpha) + self.colour * alpha + 0.5).astype(np.uint8)
