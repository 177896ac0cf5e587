"""The picture every frame is drawn from: an Agg canvas, a header, a layout fixed once, and layers.

A picture holds one or more panels (a plot each). Everything that never changes is drawn once and
saved as a background. Each frame restores that background, lets the panels update their artists,
and composes: rasters (NumPy paintings, such as a shading), changing artists below
``OVERLAY_ZORDER``, the overlay (static artists that must stay above changing ones, blended from a
layer drawn once), changing artists above it, then changing text. Matplotlib's object-oriented API
is used throughout; pyplot's global state is never touched.
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
from . import style
from .glyphs import TextBlock
from .layers import Overlay
from .placement import spot_box

# Moving artists below this z-order are drawn under the overlay, the others over it.
OVERLAY_ZORDER = 5
BOX_PAD = 6  # pixels between a text box's edge and its text


@dataclass
class _TextSpec:
    """Text that changes each frame: ``lines(index)`` placed with its top-left at ``anchor``."""

    anchor: tuple[float, float]
    transform: object  # matplotlib transform from anchor coordinates to pixels
    lines: Callable[[int], list]
    size: float
    colour: str
    family: Optional[str]
    boxed: bool
    linespacing: float
    align: str
    spot: Optional[str] = None  # placed at this spot of ``ax`` (see placement.SPOTS) instead of ``anchor``
    ax: object = None
    block: Optional[TextBlock] = None


class Picture:
    """A figure for ``count`` frames: header, panels, and the layers that make each frame cheap.

    Panels are added with :meth:`add_panel` (each on an axes of this figure); :meth:`finish` fixes the
    layout and draws the background; :meth:`frame` composes frame ``index``.
    """

    def __init__(self, options: RenderOptions, count: int):
        self.options = options
        self.count = count
        self.theme = style.theme_named(options.theme)
        # Constrained layout from the start (colorbars need it when they are made); frozen after one draw.
        self.figure = Figure(figsize=options.figsize, dpi=options.dpi, facecolor=self.theme.paper,
                             layout="constrained")
        self.figure.get_layout_engine().set(h_pad=0.06, w_pad=0.06)
        self.canvas = FigureCanvasAgg(self.figure)
        self.panels = []
        self._dynamic, self._overlaid, self._rasters, self._texts = [], [], [], []
        self._background = self._overlay = None

    # ---- what panels register -------------------------------------------------------------------
    def animate(self, artist):
        """Mark ``artist`` as changing from frame to frame; returns it for chaining."""
        self._dynamic.append(artist)
        return artist

    def forget(self, artist) -> None:
        """Stop drawing ``artist`` (one replaced by a new one, such as a contour)."""
        self._dynamic.remove(artist)

    def overlay(self, artist):
        """Mark static ``artist`` as drawn above the changing ones (a legend, say); returns it."""
        self._overlaid.append(artist)
        return artist

    def raster(self, paint) -> None:
        """Add ``paint(buffer, index)``, which paints into the RGBA buffer right after the background."""
        self._rasters.append(paint)

    def dynamic_text(self, anchor, lines: Callable[[int], list], transform=None, size: float = style.TEXT_SIZE,
                     colour: Optional[str] = None, family: Optional[str] = None, boxed: bool = False,
                     linespacing: float = 1.25, align: str = "left", spot: Optional[str] = None, ax=None) -> None:
        """Declare text that changes each frame, drawn above everything else.

        ``lines(index)`` gives the lines for frame ``index``; ``anchor`` is the block's top-left corner
        (top-right with ``align="right"``) in the coordinates of ``transform`` (an axes' ``transAxes``,
        or by default the figure's fractions). A ``boxed`` block sits in a box sized once for its widest
        text over all frames, so the box never changes size. With ``spot`` (e.g. ``"upper left"``) and
        ``ax`` the block goes to that spot of the axes instead, whatever its size turns out to be.
        """
        transform = transform if transform is not None else self.figure.transFigure
        colour = colour or self.theme.ink
        self._texts.append(_TextSpec(anchor, transform, lines, size, colour, family, boxed, linespacing, align,
                                     spot, ax))

    # ---- building ---------------------------------------------------------------------------------
    def header(self, title: str, progress: Callable[[int], str], ending: Callable[[int], list],
               warning: bool = False) -> None:
        """A fixed band across the top: ``title``, the progress line, and how the run ended (right).

        The plots are laid out below the band, so the header lines up at the left edge whatever
        shape the axes take.
        """
        height = self.figure.get_figheight() * 72  # in points
        title_top, progress_top = 8, 8 + style.TITLE_SIZE * 1.45
        band = progress_top + style.TEXT_SIZE * 1.6
        self.figure.get_layout_engine().set(rect=(0, 0, 1, 1 - band / height))
        left = 10 / (self.figure.get_figwidth() * 72)
        self.figure.text(left, 1 - title_top / height, style.literal(title), ha="left", va="top",
                         fontsize=style.TITLE_SIZE, fontweight="bold", color=self.theme.ink)
        self.dynamic_text((left, 1 - progress_top / height), lambda index: [progress(index)], colour=self.theme.muted)
        self.dynamic_text((1 - left, 1 - progress_top / height), ending, align="right",
                          colour=self.theme.warning if warning else self.theme.muted)

    def add_panel(self, panel) -> None:
        """Add a panel (already bound to one of this figure's axes) and let it draw its static part."""
        self.panels.append(panel)
        panel.draw_static()

    def finish(self) -> None:
        """Fix the layout with the first frame in place, place the text, and draw the background."""
        for panel in self.panels:
            panel.update(0)
        self.canvas.draw()
        self.figure.set_layout_engine("none")  # frozen: nothing moves from here on
        self._place_texts()
        for panel in self.panels:
            panel.after_layout()
        for artist in self._dynamic + self._overlaid:
            artist.set_animated(True)  # left out of the background
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._overlay = Overlay(self.canvas, self.figure, self._overlaid) if self._overlaid else None

    # ---- frames -----------------------------------------------------------------------------------
    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an RGB ``uint8`` array of shape (height, width, 3)."""
        self.canvas.restore_region(self._background)
        for panel in self.panels:
            panel.update(index)
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

    def text_blocks(self) -> list:
        """The placed changing-text blocks, in the order they were declared (header first)."""
        return [text.block for text in self._texts]

    def _place_texts(self) -> None:
        height = self.canvas.get_width_height()[1]
        for text in self._texts:
            inset = BOX_PAD if text.boxed else 0
            block = TextBlock(0, 0, text.size, self.options.dpi, text.colour, family=text.family,
                              linespacing=text.linespacing, align=text.align)
            width, tall = self._measure(text, block) if text.boxed or text.spot else (0, 0)
            if text.spot is not None:
                frame = text.ax.get_window_extent()
                left, _, _, top = spot_box(text.spot, ((width + 2 * inset) / frame.width,
                                                        (tall + 2 * inset) / frame.height))
                x, y = frame.x0 + left * frame.width, frame.y0 + top * frame.height
            else:
                x, y = text.transform.transform(text.anchor)
            text.block = TextBlock(x + inset, height - y + inset, text.size, self.options.dpi, text.colour,
                                   family=text.family, linespacing=text.linespacing, align=text.align)
            if text.boxed:
                self._add_box(x, height - y, width, tall, height)

    def _measure(self, text: _TextSpec, block: TextBlock) -> tuple[int, int]:
        """The widest and tallest the block's text gets over all frames, in pixels."""
        widths, heights = zip(*(block.measure(text.lines(i)) for i in range(self.count)))
        return max(widths), max(heights)

    def _add_box(self, left: float, top: float, width: int, tall: int, frame_height: int) -> None:
        box_width, box_height = width + 2 * BOX_PAD, tall + 2 * BOX_PAD
        box = FancyBboxPatch(
            (left, frame_height - top - box_height), box_width, box_height, transform=IdentityTransform(),
            boxstyle="round,pad=0,rounding_size=5", facecolor=self.theme.box, edgecolor=self.theme.box_edge,
            alpha=0.92, linewidth=0.8,
        )
        self.figure.add_artist(box)
        self.overlay(box)
