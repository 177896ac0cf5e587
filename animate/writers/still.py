"""Still pictures taken from the same stream of frames: a poster (the last frame) and a contact sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
from PIL import Image

SHEET_COLUMNS = 4
SHEET_FRAMES = 8


class PosterWriter:
    """Keeps the last frame and writes it as a PNG: the preview image a web page shows before playing."""

    def __init__(self, path: str | Path, **hints):
        self.path = Path(path)
        self._last: Optional[np.ndarray] = None

    def write(self, frame: np.ndarray) -> None:
        self._last = frame

    def close(self) -> None:
        Image.fromarray(self._last).save(self.path, format="PNG", optimize=True)

    def abort(self) -> None:
        """Nothing written yet: nothing to undo."""


class ContactSheetWriter:
    """Key frames side by side at half size, in one PNG: the animation's story at a glance.

    The first and last of ``count`` frames and ones evenly between them (``SHEET_FRAMES`` in all);
    only those are kept, so memory does not grow with the length of the animation.
    """

    def __init__(self, path: str | Path, count: int, **hints):
        self.path = Path(path)
        wanted = min(SHEET_FRAMES, count)
        self.chosen = [int(i) for i in np.linspace(0, count - 1, wanted).round()]
        self._kept: dict = {}
        self._index = 0

    def write(self, frame: np.ndarray) -> None:
        if self._index in self.chosen:
            height, width = frame.shape[:2]
            self._kept[self._index] = Image.fromarray(frame).resize((width // 2, height // 2),
                                                                    Image.Resampling.LANCZOS)
        self._index += 1

    def close(self) -> None:
        thumbs = [self._kept[index] for index in self.chosen]
        width, height = thumbs[0].size
        columns = min(SHEET_COLUMNS, len(thumbs))
        rows = -(-len(thumbs) // columns)
        gap = 4
        sheet = Image.new("RGB", (columns * width + (columns - 1) * gap, rows * height + (rows - 1) * gap), "#999999")
        for number, thumb in enumerate(thumbs):
            sheet.paste(thumb, ((number % columns) * (width + gap), (number // columns) * (height + gap)))
        sheet.save(self.path, format="PNG", optimize=True)

    def abort(self) -> None:
        """Nothing written yet: nothing to undo."""
