"""A streaming GIF encoder: one global palette, only changed pixels per frame, bounded memory.

Pillow's own GIF saving keeps every frame until the end (to compare and merge them), which grows
with the length of the animation. Here each frame is mapped to one fixed palette, compared with the
frame before, cropped to the rectangle that changed, and written at once; unchanged pixels inside
that rectangle become transparent, which LZW compresses to almost nothing. Pillow does the LZW
coding (``Image.tobytes("gif", ...)``); this module writes the GIF89a container around it.
Memory held: the previous frame's palette indices, one pending frame and
the palette's colour lookup table (16 MiB), whatever the length of the animation.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
from PIL import Image

from ..errors import AnimateError
from ..options import RenderOptions
from .palette import PaletteMapper, build_palette

MAX_GIF_FPS = 50.0  # browsers slow down any delay under 2/100 s
TRANSPARENT = 255  # the palette index meaning "unchanged since the frame before"


class GifWriter:
    """Writes an endlessly looping GIF; the last frame is held ``options.hold_last`` seconds longer.

    ``sample`` frames choose the palette (else the first frame does); ``colours`` are reserved in it.
    """

    suffix = ".gif"
    samples_wanted = 3

    def __init__(self, path: str | Path, options: RenderOptions, sample: Iterable[np.ndarray] = (),
                 colours: Optional[np.ndarray] = None):
        if options.fps > MAX_GIF_FPS:
            raise AnimateError(f"fps {options.fps:g} is too fast for a GIF: use at most {MAX_GIF_FPS:g}")
        self.path = Path(path)
        self.options = options
        sample = list(sample)
        self._reserved = colours
        self._palette = build_palette(sample, colours) if sample else None
        self._mapper: Optional[PaletteMapper] = None
        self._file = open(self.path, "wb")
        self._canvas: Optional[np.ndarray] = None  # what a viewer shows after the frames written so far
        self._pending: Optional[np.ndarray] = None  # the newest frame, written once its delay is known
        self._pending_delay = 0
        self._frames_in = 0
        self.frames_written = 0
        self._centiseconds = 0

    @property
    def duration(self) -> float:
        """Seconds the frames written so far play for."""
        return self._centiseconds / 100

    def write(self, frame: np.ndarray) -> None:
        """Add one RGB ``uint8`` frame of the options' size."""
        frame = np.asarray(frame)
        width, height = self.options.size
        if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
            raise AnimateError(f"frame of shape {frame.shape} {frame.dtype}, expected ({height}, {width}, 3) uint8")
        if self._mapper is None:
            self._start(frame)
        indices = self._mapper(frame)
        delay = self._delay_of(self._frames_in)
        self._frames_in += 1
        if self._pending is not None and np.array_equal(indices, self._pending):
            self._pending_delay += delay  # an identical frame only makes the one before last longer
            return
        self._flush_pending()
        self._pending, self._pending_delay = indices, delay

    def close(self) -> None:
        """Write the last frame (with its hold) and the trailer, and close the file."""
        if self._pending is None:
            self._file.close()
            raise AnimateError("no frames were written to the GIF")
        self._pending_delay += round(self.options.hold_last * 100)
        self._flush_pending()
        self._file.write(b";")
        self._file.close()

    def abort(self) -> None:
        """Stop without finishing; the caller removes the incomplete file."""
        self._file.close()

    # ---- encoding -------------------------------------------------------------------------------
    def _delay_of(self, index: int) -> int:
        # Delays are in hundredths of a second; rounding the running total (not each delay) keeps
        # the animation's length right at any frame rate.
        fps = self.options.fps
        return round(100 * (index + 1) / fps) - round(100 * index / fps)

    def _start(self, first_frame: np.ndarray) -> None:
        if self._palette is None:
            self._palette = build_palette([first_frame], self._reserved)
        self._mapper = PaletteMapper(self._palette)
        width, height = self.options.size
        table = np.zeros((256, 3), dtype=np.uint8)
        table[: len(self._palette)] = self._palette
        self._file.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + table.tobytes())
        # NETSCAPE2.0 application extension: loop forever (count 0).
        self._file.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")

    def _flush_pending(self) -> None:
        if self._pending is None:
            return
        indices, delay = self._pending, self._pending_delay
        if self._canvas is None:
            left, top, patch, transparent = 0, 0, indices, False
        else:
            changed = indices != self._canvas
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if rows.size == 0:  # identical after all: keep one pixel so the delay still counts
                rows, cols = np.array([0]), np.array([0])
            top, left = int(rows[0]), int(cols[0])
            bottom, right = int(rows[-1]) + 1, int(cols[-1]) + 1
            patch = np.where(changed[top:bottom, left:right], indices[top:bottom, left:right], TRANSPARENT)
            transparent = True
        self._write_image(np.ascontiguousarray(patch, dtype=np.uint8), left, top, delay, transparent)
        self._canvas = indices
        self.frames_written += 1
        self._centiseconds += delay
        self._pending = None

    def _write_image(self, patch: np.ndarray, left: int, top: int, delay: int, transparent: bool) -> None:
        height, width = patch.shape
        # Graphic control extension: disposal 1 (leave this frame in place), delay, transparency.
        flags = (1 << 2) | int(transparent)
        self._file.write(b"!\xf9\x04" + struct.pack("<BHB", flags, delay, TRANSPARENT) + b"\x00")
        self._file.write(b"," + struct.pack("<HHHHB", left, top, width, height, 0))
        image = Image.fromarray(patch, mode="P")
        self._file.write(b"\x08" + image.tobytes("gif", "P", 8, 0) + b"\x00")
