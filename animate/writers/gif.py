"""A streaming GIF encoder: one global palette, only changed pixels per frame, bounded memory.

Pillow's own GIF saving keeps every frame until the end (to compare and merge them), which grows
with the length of the animation. Here each frame is mapped to one fixed palette, compared with what
a viewer already shows, cropped to the rectangle that changed, and written at once. Inside that
rectangle, pixels that did not change (or changed by less than ``STILL_BELOW`` in RGB distance, too
little to see) are left transparent, which LZW compresses to almost nothing; a frame with no visible
change just lengthens the one before. Pillow does the LZW coding (``Image.tobytes("gif", ...)``);
this module writes the GIF89a container around it.

Memory held, whatever the length: the previous frame (packed colours and palette indices), what the
viewer shows, one pending frame's patch, and the palette's colour lookup table (16 MiB).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
from PIL import Image

from ..errors import AnimateError
from ..options import RenderOptions
from .palette import PaletteMapper, build_palette, pack
from .registry import register_writer, require_resolved

MAX_GIF_FPS = 50.0  # browsers slow down any delay under 2/100 s
TRANSPARENT = 255  # the palette index meaning "as the frame before"
MAX_DELAY = 0xFFFF  # the longest delay one GIF image can carry, in hundredths of a second
# A pixel whose palette colour moves less than this (Euclidean RGB, 0–441) keeps its old colour: it
# stops flicker between near-identical palette entries, which costs bytes and shows nothing. The
# error left is bounded by this and never accumulates, since the test is against what is shown. At 6,
# streaks showed in smooth shading; at 3 (below the ~5 levels between a shading ramp's steps) none do.
STILL_BELOW = 3.0


@register_writer
class GifWriter:
    """Writes an endlessly looping GIF; the first frame is held ``options.hold_first`` seconds longer (the
    untrained model, seen on every loop) and the last ``options.hold_last``.

    ``sample`` frames choose the palette (else the first frame does); ``colours`` are reserved in it;
    ``comment`` (ASCII text, such as provenance JSON) is stored in a GIF comment extension.
    """

    suffix = ".gif"
    samples_wanted = 3

    @staticmethod
    def check(options: RenderOptions) -> None:
        """Raise :class:`AnimateError` if ``options`` ask for what a GIF cannot do (Pillow is a dependency)."""
        if options.fps is not None and options.fps > MAX_GIF_FPS:
            raise AnimateError(f"fps {options.fps:g} is too fast for a GIF: use at most {MAX_GIF_FPS:g}")

    def __init__(self, path: str | Path, options: RenderOptions, sample: Iterable[np.ndarray] = (),
                 colours: Optional[np.ndarray] = None, comment: Optional[str] = None, count: Optional[int] = None):
        require_resolved(options, "GifWriter")
        self.path = Path(path)
        self.options = options
        sample = list(sample)
        self._reserved = colours
        self._comment = comment
        self._palette = build_palette(sample, colours, options.colours) if sample else None
        self._mapper: Optional[PaletteMapper] = None
        self._still: Optional[np.ndarray] = None  # (255, 255) bool: colour pairs too close to redraw
        self._file = open(self.path, "wb")
        self._scratch = np.zeros((options.size[1], options.size[0], 4), dtype=np.uint8)
        self._packed: Optional[np.ndarray] = None  # the previous frame's colours
        self._indices: Optional[np.ndarray] = None  # ... and their palette indices
        self._shown: Optional[np.ndarray] = None  # the palette indices a viewer sees now
        self._pending: Optional[tuple] = None  # (left, top, patch, transparent), written when its delay is known
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
        delay = self._delay_of(self._frames_in)
        if self._frames_in == 0:
            delay += round(self.options.hold_first * 100)
        self._frames_in += 1
        packed = pack(frame, out=self._scratch).copy()
        if self._mapper is None:
            self._start(frame)
            indices = self._mapper.lookup(packed)
            self._packed, self._indices, self._shown = packed, indices, indices
            self._pending, self._pending_delay = (0, 0, indices, False), delay
            return
        indices = self._indices.copy()
        moved = packed != self._packed  # only recoloured pixels need the palette again
        indices[moved] = self._mapper.lookup(packed[moved])
        self._packed, self._indices = packed, indices
        patch = self._patch(indices)
        if patch is None:
            self._pending_delay += delay  # nothing visible changed: the frame before just lasts longer
            return
        self._flush_pending()
        self._pending, self._pending_delay = patch, delay

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
        """Stop without finishing; the caller removes the incomplete file. Never raises: closing flushes
        what is buffered, which fails on the very disk that is full."""
        try:
            self._file.close()
        except OSError:
            pass

    # ---- encoding -------------------------------------------------------------------------------
    def _delay_of(self, index: int) -> int:
        # Delays are in hundredths of a second; rounding the running total (not each delay) keeps
        # the animation's length right at any frame rate.
        fps = self.options.fps
        return round(100 * (index + 1) / fps) - round(100 * index / fps)

    def _start(self, first_frame: np.ndarray) -> None:
        if self._palette is None:
            self._palette = build_palette([first_frame], self._reserved, self.options.colours)
        self._mapper = PaletteMapper(self._palette)
        colours = self._palette.astype(np.float32)
        distance = np.sqrt(((colours[:, None, :] - colours[None, :, :]) ** 2).sum(axis=2))
        self._still = np.zeros((256, 256), dtype=bool)
        self._still[: len(colours), : len(colours)] = distance < STILL_BELOW
        width, height = self.options.size
        table = np.zeros((256, 3), dtype=np.uint8)
        table[: len(self._palette)] = self._palette
        self._file.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0) + table.tobytes())
        # NETSCAPE2.0 application extension: loop forever (count 0).
        self._file.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")
        if self._comment:  # a comment extension: where this GIF came from, in 255-byte sub-blocks
            data = self._comment.encode("ascii", "backslashreplace")
            blocks = b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255))
            self._file.write(b"!\xfe" + blocks + b"\x00")

    def _patch(self, indices: np.ndarray):
        """The rectangle of visible change against what is shown, or None; updates what is shown."""
        differs = indices != self._shown
        rows, cols = np.flatnonzero(differs.any(axis=1)), np.flatnonzero(differs.any(axis=0))
        if rows.size == 0:
            return None
        top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        new, old = indices[top:bottom, left:right], self._shown[top:bottom, left:right]
        visible = differs[top:bottom, left:right] & ~self._still[new, old]
        rows, cols = np.flatnonzero(visible.any(axis=1)), np.flatnonzero(visible.any(axis=0))
        if rows.size == 0:
            return None
        bottom, right = top + int(rows[-1]) + 1, left + int(cols[-1]) + 1
        top, left = top + int(rows[0]), left + int(cols[0])
        visible = visible[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        new = indices[top:bottom, left:right]
        shown = self._shown.copy()
        shown[top:bottom, left:right] = np.where(visible, new, shown[top:bottom, left:right])
        self._shown = shown
        return left, top, np.where(visible, new, TRANSPARENT).astype(np.uint8), True

    def _flush_pending(self) -> None:
        if self._pending is None:
            return
        left, top, patch, transparent = self._pending
        delay = self._pending_delay
        # A GIF delay holds at most 655.35 s; a longer still (a slow rate, a long unchanged stretch) goes on
        # in empty, fully transparent 1×1 images that change nothing on screen.
        self._write_image(np.ascontiguousarray(patch, dtype=np.uint8), left, top, min(delay, MAX_DELAY), transparent)
        for rest in range(delay - MAX_DELAY, 0, -MAX_DELAY):
            self._write_image(np.full((1, 1), TRANSPARENT, np.uint8), 0, 0, min(rest, MAX_DELAY), True)
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
