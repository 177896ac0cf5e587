"""The frame machinery every painter shares: an Agg canvas, a layout fixed once, and blitting.

A painter draws the static part of the picture (axes, ticks, labels, anything that never changes)
once and saves it as a background. Each frame restores that background, updates only the artists
that change, draws just those, and copies the pixels out. Matplotlib's object-oriented API is used
throughout; pyplot's global state is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.transforms import IdentityTransform

from ..options import RenderOptions
from ..trace import Trace
from . import style
from .glyphs import TextBlock
from .layers import Overlay
from .text import format_loss, format_progress


# Moving artists below this z-order are drawn under the overlay, the others over it.
OVERLAY_ZORDER = 5
BOX_PAD = 6  # pixels between a text box's edge and its text


@dataclass
class _TextSpec:
    """Text that changes each frame: ``lines(index)`` placed with its top-left at ``anchor``."""

    anchor: tuple[float, float]
    coordinates: str  # "axes" (fractions of the plot) or "figure" (fractions of the frame)
    lines: Callable[[int], list]
    size: float
    colour: str
    family: Optional[str]
    boxed: bool
    linespacing: float
    align: str = "left"
    block: Optional[TextBlock] = None


class Painter:
    """Base class: subclasses implement :meth:`draw_static` and :meth:`update`.

    ``draw_static`` builds the picture and sorts its artists into layers: left alone, an artist is
    part of the static background; :meth:`animate` marks one that changes; :meth:`overlay` marks a
    static one that must stay above changing ones; :meth:`raster` adds a NumPy painting step.
    ``update(index)`` sets the changing artists to snapshot ``index``. A frame is: background, rasters,
    changing artists below ``OVERLAY_ZORDER``, the overlay, then the changing artists above it.
    """

    # Colours this painter's frames will hold, e.g. the steps of a shading ramp (uint8, shape (n, 3)).
    colours = np.zeros((0, 3), dtype=np.uint8)

    def __init__(self, trace: Trace, options: RenderOptions):
        self._texts: list[_TextSpec] = []
        self.trace = trace
        self.options = options
        self.meta = dict(trace.meta)
        self.last_step = int(trace.steps[-1])
        # Constrained layout from the start (colorbars need it when they are made); frozen after one draw.
        self.figure = Figure(figsize=options.figsize, dpi=options.dpi, facecolor="white", layout="constrained")
        self.figure.get_layout_engine().set(h_pad=0.06, w_pad=0.06)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        self._dynamic, self._overlaid, self._rasters = [], [], []
        self._draw_header()
        self.draw_static()
        self._fix_layout()
        self._place_texts()
        self.after_layout()
        for artist in self._dynamic + self._overlaid:
            artist.set_animated(True)  # left out of the background
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._overlay = Overlay(self.canvas, self.figure, self._overlaid) if self._overlaid else None

    def __len__(self) -> int:
        return len(self.trace)

    # ---- for subclasses -------------------------------------------------------------------------
    def draw_static(self) -> None:
        raise NotImplementedError

    def update(self, index: int) -> None:
        raise NotImplementedError

    def after_layout(self) -> None:
        """Called once the layout is fixed, for set-up that needs final pixel positions."""

    def animate(self, artist):
        """Mark ``artist`` as changing from frame to frame; returns it for chaining."""
        self._dynamic.append(artist)
        return artist

    def overlay(self, artist):
        """Mark static ``artist`` as drawn above the changing ones (a legend, say); returns it."""
        self._overlaid.append(artist)
        return artist

    def raster(self, paint) -> None:
        """Add ``paint(buffer, index)``, which paints into the RGBA buffer right after the background."""
        self._rasters.append(paint)

    def dynamic_text(self, anchor, lines: Callable[[int], list], coordinates: str = "axes",
                     size: float = style.TEXT_SIZE, colour: str = style.INK, family: Optional[str] = None,
                     boxed: bool = False, linespacing: float = 1.25, align: str = "left") -> None:
        """Declare text that changes each frame, drawn above everything else.

        ``lines(index)`` gives the lines for snapshot ``index``; ``anchor`` is the block's top-left
        corner in ``coordinates``. A ``boxed`` block sits in a box sized once for its widest text over
        the whole trace, so the box never changes size from frame to frame. ``align="right"`` puts the
        anchor at the lines' right end instead.
        """
        self._texts.append(_TextSpec(anchor, coordinates, lines, size, colour, family, boxed, linespacing, align))

    # ---- frames ---------------------------------------------------------------------------------
    def frame(self, index: int) -> np.ndarray:
        """Snapshot ``index`` as an RGB ``uint8`` array of shape (height, width, 3)."""
        self.canvas.restore_region(self._background)
        self.update(index)
        buffer = np.asarray(self.canvas.buffer_rgba())
        for paint in self._rasters:
            paint(buffer, index)
        moving = sorted((a for a in self._dynamic if a.get_visible()), key=lambda a: a.get_zorder())
        for artist in moving:
            if artist.get_zorder() < OVERLAY_ZORDER:
                self.figure.draw_artist(artist)
        if self._overlay is not None:
            self._overlay.composite(buffer)
        for artist in moving:
            if artist.get_zorder() >= OVERLAY_ZORDER:
                self.figure.draw_artist(artist)
        for text in self._texts:
            text.block.paint(buffer, text.lines(index))
        return buffer[:, :, :3].copy()

    # ---- the header every painter shares: scene title, iteration, loss ---------------------------
    def _draw_header(self) -> None:
        # A fixed band across the top holds the title and the progress line; the plots are laid out
        # below it, so the header lines up at the left edge whatever shape the axes take.
        height = self.figure.get_figheight() * 72  # in points
        title_top, progress_top = 8, 8 + style.TITLE_SIZE * 1.45
        band = progress_top + style.TEXT_SIZE * 1.6
        self.figure.get_layout_engine().set(rect=(0, 0, 1, 1 - band / height))
        left = 10 / (self.figure.get_figwidth() * 72)
        self.figure.text(left, 1 - title_top / height, self.meta.get("title", ""), ha="left", va="top",
                         fontsize=style.TITLE_SIZE, fontweight="bold", color=style.INK)
        self.dynamic_text((left, 1 - progress_top / height), lambda index: [self.progress_text(index)],
                          coordinates="figure", colour=style.MUTED)
        # How the run ended, on its last frame: right-aligned in the progress row, in warning colour
        # when the run diverged or was interrupted.
        right = 1 - left
        warning = self.meta.get("diverged_at") is not None or self.meta.get("interrupted_at") is not None
        self.dynamic_text((right, 1 - progress_top / height), self.ending_lines, coordinates="figure",
                          colour=style.VERMILLION if warning else style.MUTED, align="right")

    def progress_text(self, index: int) -> str:
        """``iteration 289 of 1,077``."""
        step = int(self.trace.steps[index])
        return format_progress(step, self.last_step, self.meta.get("step_name", "iteration"))

    def ending_lines(self, index: int) -> list:
        """On the last frame, why the run ended early: stopping rule, divergence or Ctrl-C."""
        if index != len(self.trace) - 1:
            return []
        name = self.meta.get("step_name", "iteration")
        if self.meta.get("diverged_at") is not None:
            return [f"diverged at {name} {self.meta['diverged_at']:,}: the loss became ∞ or nan"]
        if self.meta.get("interrupted_at") is not None:
            return [f"interrupted at {name} {self.meta['interrupted_at']:,}"]
        if self.meta.get("stopped_early"):
            return [f"stopped: loss < {self.meta.get('stop_below'):g}"]
        return []

    def _place_texts(self) -> None:
        width, height = self.canvas.get_width_height()
        for text in self._texts:
            transform = self.ax.transAxes if text.coordinates == "axes" else self.figure.transFigure
            x, y = transform.transform(text.anchor)
            inset = BOX_PAD if text.boxed else 0
            text.block = TextBlock(x + inset, height - y + inset, text.size, self.options.dpi, text.colour,
                                   family=text.family, linespacing=text.linespacing, align=text.align)
            if text.boxed:
                self._add_box(text, x, height - y, height)

    def _add_box(self, text: _TextSpec, left: float, top: float, frame_height: int) -> None:
        widths, heights = zip(*(text.block.measure(text.lines(i)) for i in range(len(self.trace))))
        box_width, box_height = max(widths) + 2 * BOX_PAD, max(heights) + 2 * BOX_PAD
        box = FancyBboxPatch(
            (left, frame_height - top - box_height), box_width, box_height, transform=IdentityTransform(),
            boxstyle="round,pad=0,rounding_size=5", facecolor=style.BOX["facecolor"],
            edgecolor=style.BOX["edgecolor"], alpha=style.BOX["alpha"], linewidth=0.8,
        )
        self.figure.add_artist(box)
        self.overlay(box)

    def loss_text(self, index: int) -> str:
        """``MSE loss = 9.123`` for snapshot ``index``."""
        name = self.meta.get("loss_name", "loss")
        return f"{name} = {format_loss(float(self.trace.loss[index]))}"

    def params_at(self, index: int) -> dict:
        return {name: values[index] for name, values in self.trace.params.items()}

    def _fix_layout(self) -> None:
        # Lay out once with the first frame's artists in place, then freeze it so nothing moves later.
        self.update(0)
        self.canvas.draw()
        self.figure.set_layout_engine("none")
