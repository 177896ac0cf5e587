"""Layers a painter composes each frame without asking matplotlib to draw them again.

- :class:`Overlay`: static artists that sit above moving ones (a legend over a moving line, points
  over a moving shading). They are drawn once onto a transparent canvas, and each frame blends those
  pixels over the frame in NumPy, which costs far less than drawing the artists again.
- :class:`Shading`: a smooth field (a probability on a grid) painted straight into the frame: bilinear
  upsampling, then a colour lookup table.
"""

from __future__ import annotations

import numpy as np


class Overlay:
    """Static artists drawn once onto transparency and alpha-blended over each frame."""

    def __init__(self, canvas, figure, artists):
        renderer = canvas.get_renderer()
        renderer.clear()  # transparent white: drawing onto it leaves straight (not premultiplied) alpha
        for artist in sorted(artists, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                figure.draw_artist(artist)
        rgba = np.asarray(canvas.buffer_rgba()).reshape(-1, 4)
        self.where = np.flatnonzero(rgba[:, 3])  # only pixels the overlay touches are blended
        self.colour = rgba[self.where, :3].astype(np.uint16)
        self.alpha = rgba[self.where, 3:4].astype(np.uint16)

    def composite(self, buffer: np.ndarray) -> None:
        """Blend the overlay over ``buffer`` (the canvas's RGBA array), in place."""
        flat = buffer.reshape(-1, 4)
        under = flat[self.where, :3].astype(np.uint16)
        flat[self.where, :3] = ((self.colour * self.alpha + under * (255 - self.alpha) + 127) // 255).astype(np.uint8)


class Shading:
    """Paints ``values[index]`` (a grid over ``grid_x`` × ``grid_y``, rows along y) into the axes' pixels.

    Each pixel centre is mapped to data coordinates through the axes limits and the grid is
    interpolated there bilinearly; ``colours`` (a lookup table of shape (n, 3), uint8) turns values in
    [0, 1] into colours. The interpolation is separable (grid rows first, then pixel columns) and uses
    plain gathers, not matrix products, so it starts no BLAS threads to fight over the cores.
    """

    def __init__(self, ax, canvas, grid_x, grid_y, values, colours: np.ndarray):
        self.place(ax, canvas, grid_x, grid_y)
        self.values = values
        self.colours = np.asarray(colours, dtype=np.uint8)

    def place(self, ax, canvas, grid_x, grid_y) -> None:
        """Where the axes' pixels are, and for each pixel row and column the grid cell it falls in."""
        height = canvas.get_width_height()[1]
        box = ax.get_window_extent()
        self.left, self.right = int(round(box.x0)), int(round(box.x1))
        self.top, self.bottom = height - int(round(box.y1)), height - int(round(box.y0))
        (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
        columns = x_low + (np.arange(self.right - self.left) + 0.5) / (self.right - self.left) * (x_high - x_low)
        rows = y_high - (np.arange(self.bottom - self.top) + 0.5) / (self.bottom - self.top) * (y_high - y_low)
        self.row_low, self.row_share = _neighbours(rows, np.asarray(grid_y, dtype=float))
        self.column_low, self.column_share = _neighbours(columns, np.asarray(grid_x, dtype=float))

    def __call__(self, buffer: np.ndarray, index: int) -> None:
        self.paint(buffer, self.values[index])

    def paint(self, buffer: np.ndarray, grid: np.ndarray) -> None:
        """Paint ``grid`` (values on ``grid_y`` × ``grid_x``, such as one snapshot's or a blend of two)."""
        grid = np.asarray(grid, dtype=np.float32)
        share = self.row_share[:, None]
        rows = grid[self.row_low] * (1 - share) + grid[self.row_low + 1] * share  # (pixel rows, grid columns)
        share = self.column_share[None, :]
        field = rows[:, self.column_low] * (1 - share) + rows[:, self.column_low + 1] * share
        steps = len(self.colours) - 1
        codes = np.clip(field * steps + 0.5, 0, steps).astype(np.intp)
        buffer[self.top:self.bottom, self.left:self.right, :3] = self.colours[codes]


def _neighbours(positions: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position, the grid index just below it and how far it is towards the next (0–1)."""
    fraction = np.interp(positions, grid, np.arange(len(grid), dtype=float))
    low = np.clip(np.floor(fraction).astype(np.intp), 0, len(grid) - 2)
    return low, (fraction - low).astype(np.float32)
