"""One palette for a whole GIF, and exact nearest-colour mapping onto it.

Plots are mostly flat colours (white, ink, a few line colours), anti-aliased edges between them, and
sometimes a smooth shading ramp. The palette keeps the sample's most frequent colours exactly (so white
stays white), reserves the ramp a painter declares (so shading does not band), and lets Pillow's
octree quantiser choose the rest from sample frames.
"""

from __future__ import annotations

from typing import Iterable, Optional

import numpy as np
from PIL import Image

COLOURS = 255  # palette entries for pixels; the GIF writer keeps entry 255 for "transparent"
EXACT = 16  # the most frequent colours of the sample, kept exactly
_UNKNOWN = 255  # a lookup-table entry not filled yet (never a real colour index)


def pack(rgb: np.ndarray) -> np.ndarray:
    """RGB ``uint8`` (..., 3) to one 24-bit integer per pixel."""
    rgb = np.asarray(rgb)
    return (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]


def build_palette(sample: Iterable[np.ndarray], reserved: Optional[np.ndarray] = None) -> np.ndarray:
    """255 RGB colours, shape (255, 3), for every frame of an animation.

    First the ``reserved`` colours (at most half the palette), then the ``EXACT`` most frequent colours
    of the sample frames, then colours Pillow's fast octree quantiser picks from the sample. Entries
    still free get an even colour cube, so a colour that appears only later finds a near neighbour.
    """
    stacked = np.concatenate([np.asarray(frame, dtype=np.uint8) for frame in sample], axis=0)
    reserved = np.zeros((0, 3), np.uint8) if reserved is None else np.asarray(reserved, np.uint8).reshape(-1, 3)
    values, counts = np.unique(pack(stacked).ravel(), return_counts=True)
    frequent = values[np.argsort(-counts, kind="stable")[:EXACT]]
    frequent = np.stack([(frequent >> 16) & 255, (frequent >> 8) & 255, frequent & 255], axis=1)
    fixed = _unique_rows(np.concatenate([reserved[: COLOURS // 2], frequent.astype(np.uint8)]))
    free = COLOURS - len(fixed)
    quantised = Image.fromarray(stacked).quantize(colors=free, method=Image.Quantize.FASTOCTREE,
                                                  dither=Image.Dither.NONE)
    used = int(np.asarray(quantised).max()) + 1
    chosen = np.asarray(quantised.getpalette()[: 3 * used], dtype=np.uint8).reshape(-1, 3)
    levels = np.linspace(0, 255, 6).round().astype(np.uint8)
    cube = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(-1, 3)
    spare = free - len(chosen)
    filler = cube[np.linspace(0, len(cube) - 1, spare).round().astype(int)] if spare > 0 else cube[:0]
    return np.concatenate([fixed, chosen, filler])[:COLOURS].astype(np.uint8)


class PaletteMapper:
    """Maps RGB frames to palette indices, each pixel to its nearest palette colour (Euclidean RGB).

    A 24-bit lookup table (16 MiB) is filled lazily: the distances are computed once for each colour
    the first time it appears, and plot frames repeat their colours, so later frames cost a lookup.
    """

    def __init__(self, palette: np.ndarray):
        self.palette = np.asarray(palette, dtype=np.uint8)
        if not (1 <= len(self.palette) <= COLOURS):
            raise ValueError(f"a palette needs 1 to {COLOURS} colours, got {len(self.palette)}")
        self._palette_int = self.palette.astype(np.int32)
        self._table = np.full(1 << 24, _UNKNOWN, dtype=np.uint8)

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        """Palette indices (height, width) ``uint8`` for an RGB ``uint8`` frame."""
        packed = pack(frame)
        indices = self._table[packed]
        unknown = indices == _UNKNOWN
        if unknown.any():
            self._learn(np.unique(packed[unknown]))
            indices = self._table[packed]
        return indices

    def _learn(self, colours: np.ndarray) -> None:
        rgb = np.stack([(colours >> 16) & 255, (colours >> 8) & 255, colours & 255], axis=1).astype(np.int32)
        for start in range(0, len(rgb), 4096):  # bounded memory for the distance matrix
            chunk = rgb[start:start + 4096]
            distances = ((chunk[:, None, :] - self._palette_int[None, :, :]) ** 2).sum(axis=2)
            self._table[colours[start:start + 4096]] = distances.argmin(axis=1).astype(np.uint8)


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    _, first = np.unique(pack(rows), return_index=True)
    return rows[np.sort(first)]
