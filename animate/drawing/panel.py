"""Panels: one plot of a frame, drawing one trace (or several, for the loss panel of a comparison).

A panel draws its static part once, registers what changes with its :class:`~animate.drawing.picture.Picture`,
and updates its artists for each frame. ``index_of`` maps a frame's index to the snapshot the panel
shows, which lets several runs share one clock.
"""

from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from ..trace import Trace
from . import style
from .glyphs import TextBlock
from .placement import empty_spot, quietest
from ..story import blend_values
from ..wording import ending_text, format_loss, format_progress


class Panel:
    """Base class: subclasses implement :meth:`draw_static` and :meth:`update`."""

    # Colours this panel's pixels will hold, e.g. the steps of a shading ramp (uint8, shape (n, 3)).
    colours = np.zeros((0, 3), dtype=np.uint8)

    def __init__(self, picture, ax, trace: Trace, index_of: Optional[Callable[[int], int]] = None,
                 compact: bool = False, colour: Optional[str] = None,
                 blend: Optional[Callable[[int], tuple]] = None):
        self.picture = picture
        self.theme = picture.theme
        self.ax = ax
        self.trace = trace
        self.meta = trace.meta
        self.index_of = index_of or (lambda index: index)
        # Frame index → (before, after, t): what the model draws is ``t`` of the way from snapshot ``before``
        # to ``after`` (story mode's in-between frames); every number shown is ``after``'s (``index_of``).
        self.blend = blend or (lambda index: (self.index_of(index), self.index_of(index), 1.0))
        self.compact = compact  # a small multiple: fewer words, smaller type
        self.colour = colour  # the run's own colour in a comparison, for what the model draws (fit, boundary)
        self.ending = ""  # in a small multiple, how this run ended, shown once it has

    def draw_static(self) -> None:
        raise NotImplementedError

    def after_layout(self) -> None:
        """Called once the layout is fixed, for set-up that needs final pixel positions."""

    def update(self, index: int) -> None:
        """Set the changing artists to frame ``index``."""
        raise NotImplementedError

    def ended(self, snapshot: int) -> list:
        """``[self.ending]`` once ``snapshot`` is the run's last (for small multiples), else ``[]``."""
        return [self.ending] if self.ending and snapshot == len(self.trace) - 1 else []

    def axes_fraction(self, width_px: float, height_px: float) -> tuple[float, float]:
        """A size in pixels as fractions of this panel's axes (its size before the final layout)."""
        box = self.ax.get_position()
        figure_width, figure_height = self.picture.canvas.get_width_height()
        return width_px / (box.width * figure_width), height_px / (box.height * figure_height)

    def text_size(self, lines_of, size: float, family=None) -> tuple[float, float]:
        """The largest box (in axes fractions) the text ``lines_of(snapshot)`` needs over the whole trace."""
        block = TextBlock(0, 0, size, self.picture.options.dpi, self.theme.ink, family=family)
        widths, heights = zip(*(block.measure(lines_of(i)) for i in range(len(self.trace))))
        return self.axes_fraction(max(widths) + 14, max(heights) + 14)

    def place_readout(self, points, paths, lines_of, size: float, family=None) -> Optional[str]:
        """Put the changing readouts (equation, loss, scalars) where they hide nothing at any step, or, where
        no such spot exists, on their own lines above the plot. Small multiples take their quietest spot.
        Returns the spot used inside the plot, if any."""
        lines = lambda index: lines_of(self.index_of(index))  # noqa: E731
        if self.compact:
            spot = quietest(points, paths, self.text_size(lines_of, size, family))
        else:
            spot = None if self.picture.compact else empty_spot(points, paths, self.text_size(lines_of, size, family),
                                                              pad=self.mark_pad())
            if spot is None:
                joined = lambda index: [" · ".join(lines(index))]  # noqa: E731  (one line where it fits)
                fits = self.picture.widest(joined, self.picture.sizes.text, family) <= self.picture.room_px
                if fits and not self.picture.chart_fits_beside(joined, family=family):
                    # Lines under each other are narrower: they may leave the inline chart room beside them.
                    fits = not self.picture.chart_fits_beside(lines, family=family)
                self.picture.band_text(joined if fits else lines, family=family, chart=True)
                return None
        self.picture.dynamic_text(None, lines, boxed=True, size=size, family=family, spot=spot, ax=self.ax)
        return spot

    def place_legend(self, points, paths, taken: tuple = (), **legend_options) -> None:
        """A legend where it hides nothing at any step, or in a row of its own above the plot."""
        legend = self.theme.legend(self.ax, self.picture.sizes.small, family=style.families(), loc="upper left",
                                   **legend_options)
        spot = None if self.picture.compact else empty_spot(points, paths, self.legend_size(legend),
                                                            taken=tuple(t for t in taken if t), pad=self.mark_pad())
        if spot is None:
            handles, labels = legend.legend_handles, [text.get_text() for text in legend.get_texts()]
            legend.remove()
            self.picture.band_legend(handles, labels)
            return
        legend.set_loc(spot)
        self.picture.overlay(legend)

    def square_plot(self, grid_x, grid_y) -> tuple:
        """Set up a plot of the plane over the grid (a classifier's): limits, equal scales, labels, the theme.
        Returns ``(sizes, label size, theme)``."""
        ax, sizes = self.ax, self.picture.sizes
        ax.set_xlim(grid_x[0], grid_x[-1])
        ax.set_ylim(grid_y[0], grid_y[-1])
        ax.set_aspect("equal")
        small = sizes.small if self.compact else sizes.text
        ax.set_xlabel(style.literal(self.meta.xlabel), fontsize=small, fontfamily=style.families())
        ax.set_ylabel(style.literal(self.meta.ylabel), fontsize=small, fontfamily=style.families())
        self.theme.style_axes(ax, sizes.small if self.compact else sizes.tick)
        return sizes, small, self.theme

    def mark_pad(self) -> tuple[float, float]:
        """How far a data mark or a thick line reaches beyond its centre, in axes fractions (a few pixels)."""
        return self.axes_fraction(5 * self.picture.dpi_scale, 5 * self.picture.dpi_scale)

    def legend_size(self, legend) -> tuple[float, float]:
        """A legend's size in axes fractions, measured before it is placed."""
        extent = legend.get_window_extent(self.picture.canvas.get_renderer())
        return self.axes_fraction(extent.width + 8, extent.height + 8)

    def scalar_lines(self, snapshot: int) -> list:
        """``accuracy = 0.9650`` for each named scalar recorded with the snapshots."""
        return [f"{name} = {format_loss(float(values[snapshot]))}" for name, values in self.trace.scalars.items()]

    def loss_text(self, snapshot: int) -> str:
        """``MSE loss = 9.123`` for ``snapshot``."""
        name = "loss" if self.compact or self.picture.compact else self.meta.loss_name  # small pictures: short words
        return f"{name} = {format_loss(float(self.trace.loss[snapshot]))}"

    def params_at(self, snapshot: int) -> dict:
        return {name: values[snapshot] for name, values in self.trace.params.items()}

    def params_blended(self, index: int) -> dict:
        """The parameters frame ``index`` draws: a recorded snapshot's, or between two (story mode)."""
        before, after, t = self.blend(index)
        return {name: blend_values(values, before, after, t) for name, values in self.trace.params.items()}


def progress_text(trace: Trace, index: int) -> str:
    """``iteration 289 of 1,077``, in the run's own word for a step."""
    return format_progress(int(trace.steps[index]), int(trace.steps[-1]), trace.meta.step_name)


def ending_lines(trace: Trace, index: int) -> list:
    """On the last frame, why the run ended early: stopping rule, divergence or Ctrl-C."""
    text = ending_text(trace.meta, "frame") if index == len(trace) - 1 else ""
    return [text] if text else []


def ends_badly(meta) -> bool:
    """Whether the run diverged or was interrupted (its ending is drawn as a warning)."""
    return meta.ending.kind in ("diverged", "interrupted")
