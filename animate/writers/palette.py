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


def pack(rgb: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """RGB ``uint8`` (..., 3) to one integer per pixel, R + 256·G + 65536·B.

    The bytes are laid out as R, G, B, 0 and read as little-endian 32-bit words, which costs one copy
    instead of three shifts. ``out`` (uint8, shape (..., 4)) is reused when given.
    """
    rgb = np.asarray(rgb, dtype=np.uint8)
    if out is None:
        out = np.zeros(rgb.shape[:-1] + (4,), dtype=np.uint8)
    out[..., :3] = rgb
    return out.view("<u4")[..., 0]


def unpack(packed: np.ndarray) -> np.ndarray:
    """Inverse of :func:`pack`: integers to RGB ``uint8`` rows of shape (n, 3)."""
    packed = np.asarray(packed, dtype=np.uint32)
    return np.stack([packed & 255, (packed >> 8) & 255, (packed >> 16) & 255], axis=-1).astype(np.uint8)


def build_palette(sample: Iterable[np.ndarray], reserved: Optional[np.ndarray] = None, size: int = 255) -> np.ndarray:
    """``size`` (at most 255) RGB colours, shape (size, 3), for every frame of an animation.

    First the ``reserved`` colours (at most half the palette), then the ``EXACT`` most frequent colours
    of the sample frames, then colours Pillow's fast octree quantiser picks from the sample. Entries
    still free get an even colour cube, so a colour that appears only later finds a near neighbour.
    """
    count = max(1, min(size, COLOURS))
    stacked = np.concatenate([np.asarray(frame, dtype=np.uint8) for frame in sample], axis=0)
    reserved = np.zeros((0, 3), np.uint8) if reserved is None else np.asarray(reserved, np.uint8).reshape(-1, 3)
    values, counts = np.unique(pack(stacked).ravel(), return_counts=True)
    frequent = unpack(values[np.argsort(-counts, kind="stable")[:EXACT]])
    fixed = _unique_rows(np.concatenate([reserved[: count // 2], frequent]))[:count]
    free = count - len(fixed)
    chosen = np.zeros((0, 3), np.uint8)
    if free > 0:  # a small palette (--colours) may be all reserved and frequent colours
        quantised = Image.fromarray(stacked).quantize(colors=free, method=Image.Quantize.FASTOCTREE,
                                                      dither=Image.Dither.NONE)
        used = int(np.asarray(quantised).max()) + 1
        chosen = np.asarray(quantised.getpalette()[: 3 * used], dtype=np.uint8).reshape(-1, 3)
    levels = np.linspace(0, 255, 6).round().astype(np.uint8)
    cube = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(-1, 3)
    spare = free - len(chosen)
    filler = cube[np.linspace(0, len(cube) - 1, spare).round().astype(int)] if spare > 0 else cube[:0]
    return np.concatenate([fixed, chosen, filler])[:count].astype(np.uint8)


class PaletteMapper:
    """Maps colours to palette indices, each to its nearest palette colour (Euclidean RGB).

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
        return self.lookup(pack(frame))

    def lookup(self, packed: np.ndarray) -> np.ndarray:
        """Palette indices for colours packed by :func:`pack` (any shape)."""
        indices = self._table[packed]
        unknown = indices == _UNKNOWN
        if unknown.any():
            self._learn(np.unique(packed[unknown]))
            indices = self._table[packed]
        return indices

    def _learn(self, colours: np.ndarray) -> None:
        rgb = unpack(colours).astype(np.int32)
        for start in range(0, len(rgb), 4096):  # bounded memory for the distance matrix
            chunk = rgb[start:start + 4096]
            distances = ((chunk[:, None, :] - self._palette_int[None, :, :]) ** 2).sum(axis=2)
            self._table[colours[start:start + 4096]] = distances.argmin(axis=1).astype(np.uint8)


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    _, first = np.unique(pack(rows), return_index=True)
    return rows[np.sort(first)]
