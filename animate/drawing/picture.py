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
from matplotlib.font_manager import FontProperties
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
EDGE = 10  # points between the frame's edge and the header's text
LINE = 1.4  # a header line's height, in multiples of its type size
CHART_LINES = 2.2  # an inline chart is as tall as this many lines of text
CHART_ROOM = 0.2  # ... and at least this fraction of the frame wide, where it goes beside the readouts
MOST_BAND = 0.4  # the header band may take this fraction of the frame's height for an inline chart's row


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
        self.compact = options.compact
        self.sizes = style.COMPACT if self.compact else style.REGULAR
        self._band = EDGE * 0.8  # points used from the top by the header's lines so far
        self._side = None  # the column at the right that takes the band's readouts and legend, when in use
        self._chart = None  # the inline chart's axes and where it goes (points from the top-left), when asked for

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
        """A band across the top: ``title``, the progress line, and how the run ended (at the right, or on a
        line of its own where the two would meet). Panels may add lines below (:meth:`band_text`,
        :meth:`band_legend`); the plots are laid out under the band, so nothing there covers them.
        """
        title_size, title = self._fitted_title(title)
        self.figure.text(self._x(0), self._y(self._band), style.literal(title), ha="left", va="top",
                         fontsize=title_size, fontweight="bold", color=self.theme.ink, fontfamily=style.families())
        self._band += title_size * LINE
        colour = self.theme.warning if warning else self.theme.muted
        size = self.sizes.text
        widest_ending = self.widest(ending, size)
        # Both on one line where, in every frame, they fit side by side (the first frame's progress is the
        # longest, "... · before training", and only the last frame has an ending).
        both = self.widest(lambda index: [progress(index) + " " * 6 + " ".join(ending(index))], size)
        shared = both <= self.width_px - 2 * self._edge_px
        if widest_ending and shared:  # the ending at the right of the progress line
            self.dynamic_text((1 - self._x(0), self._y(self._band)), ending, align="right", size=size, colour=colour)
        side, self._side = self._side, None  # the progress line goes across the top in any case
        self.band_text(lambda index: [progress(index)], size=size, colour=self.theme.muted)
        self._side = side
        if widest_ending and not shared:  # too long to share the line: under it (or in the side column)
            self.band_text(ending, size=size, colour=colour)

    def use_side_column(self) -> None:
        """From now on, readouts and legends go in a column at the right rather than lines across the top:
        for a square plot in a wide frame, whose height is what limits it."""
        self._side = {"top": None, "width": 0.0, "texts": [], "legends": []}  # starts under the header

    def inline_chart(self):
        """An axes for a small chart that goes with the readouts (the loss, in a compact picture, which has
        no room for a panel of its own). It goes at the right of the readout lines that :meth:`band_text`
        is given with ``chart=True`` where they leave room, on a row of its own under them where they do
        not, and under the readouts and legend in a side column. Placed for good by :meth:`finish`."""
        self._chart = {"ax": self.figure.add_axes((0, 0, 0.1, 0.1)), "box": None}
        return self._chart["ax"]

    def band_text(self, lines: Callable[[int], list], size: Optional[float] = None, colour: Optional[str] = None,
                  family: Optional[str] = None, chart: bool = False, across: bool = False) -> None:
        """Changing text on its own lines of the header band, at the left (or in the side column, unless
        ``across`` the whole frame): outside every plot, so it never covers data. With ``chart``, the inline
        chart goes beside these lines."""
        if across and self._side is not None:
            side, self._side = self._side, None
            try:
                return self.band_text(lines, size, colour, family, chart)
            finally:
                self._side = side
        size = size or self.sizes.text
        count = max(len(lines(index)) for index in range(self.count))
        height = size * LINE * count + (2 if count else 0)
        if self._side is not None:
            if self._side["top"] is None:
                self._side["top"] = self._band + EDGE * 0.6
            self.dynamic_text((0, self._y(self._side["top"])), lines, size=size, colour=colour, family=family)
            self._side["texts"].append(self._texts[-1])
            self._side["width"] = max(self._side["width"], self.widest(lines, size))
            self._side["top"] += height + EDGE * 0.5
            return
        self.dynamic_text((self._x(0), self._y(self._band)), lines, size=size, colour=colour, family=family)
        self._band += height
        if chart and self._chart is not None:
            self._chart_beside(lines, size, height, family)

    def _chart_beside(self, lines: Callable[[int], list], size: float, height: float,
                      family: Optional[str] = None) -> None:
        """Reserve the inline chart's place, once the lines (``height`` points tall) are placed just above
        the band's end: at their right (as tall as CHART_LINES lines, level with their top) where their
        widest leaves CHART_ROOM of the frame, else on a row under them."""
        tall = CHART_LINES * size * LINE
        room = self._room_beside(lines, size, family)
        frame = self.figure.get_figwidth() * 72
        if room >= CHART_ROOM * frame:
            self._chart["box"] = (frame - EDGE - room, self._band - height + 0.2 * size, room, tall)
            self._band += max(0.0, tall + 0.8 * size - height)  # the band grows by what the chart adds
        elif self._band + tall + size <= MOST_BAND * self.figure.get_figheight() * 72:
            self._chart["box"] = (EDGE, self._band + 0.2 * size, 0.5 * (frame - 2 * EDGE), tall)
            self._band += tall + size
        else:  # a row of its own would squeeze the plot itself: the readout's number has to do
            self._chart["ax"].remove()
            self._chart = None

    def _room_beside(self, lines: Callable[[int], list], size: float, family: Optional[str] = None) -> float:
        """The width (points) the lines leave for the inline chart at their right."""
        gap = 2 * size  # between the words and the chart
        frame = self.figure.get_figwidth() * 72
        return frame - 2 * EDGE - self.widest(lines, size, family) / self.dpi_scale - gap

    def chart_fits_beside(self, lines: Callable[[int], list], size: Optional[float] = None,
                          family: Optional[str] = None) -> bool:
        """Whether an inline chart is wanted and would fit at the right of these band lines."""
        if self._chart is None or self._side is not None:
            return False
        frame = self.figure.get_figwidth() * 72
        return self._room_beside(lines, size or self.sizes.text, family) >= CHART_ROOM * frame

    @property
    def has_chart(self) -> bool:
        """Whether the inline chart asked for (:meth:`inline_chart`) is still to be drawn: a picture whose
        header band is already deep gives it up rather than squeeze the plot."""
        return self._chart is not None

    def _place_chart(self, band: float, right: float) -> float:
        """Put the inline chart where it was reserved; one not reserved goes under the side column's
        readouts, or on a row of its own at the bottom of the band. Returns the band's height after it."""
        frame_width, frame_height = self.figure.get_figwidth() * 72, self.figure.get_figheight() * 72
        size = self.sizes.text
        tall = CHART_LINES * size * LINE
        if self._chart["box"] is not None:
            left, top, width, tall = self._chart["box"]
        elif self._side is not None:
            left = right * frame_width + EDGE
            top = self._side["top"] if self._side["top"] is not None else band
            width = frame_width - left - EDGE
        else:
            left, top, width = EDGE, band, 0.5 * (frame_width - 2 * EDGE)
            band += tall + 0.25 * size
        self._chart["ax"].set_position((left / frame_width, 1 - (top + tall) / frame_height,
                                        width / frame_width, tall / frame_height))
        return band

    def band_legend(self, handles: list, labels: list):
        """A legend in one row (two where one is too wide) on its own line of the header band, at the left;
        in the side column, one entry a line."""
        if self._side is not None:
            if self._side["top"] is None:
                self._side["top"] = self._band + EDGE * 0.6
            legend = self.figure.legend(handles, labels, loc="upper left", ncols=1, frameon=False,
                                        bbox_to_anchor=(0, self._y(self._side["top"])), prop=self._legend_font(),
                                        labelcolor=self.theme.ink, borderaxespad=0, handlelength=1.6, borderpad=0)
            extent = legend.get_window_extent(self.canvas.get_renderer())
            self._side["legends"].append((legend, self._y(self._side["top"])))
            self._side["width"] = max(self._side["width"], extent.width)
            self._side["top"] += extent.height / self.dpi_scale + EDGE * 0.5
            return legend
        for rows in (1, 2, 3):
            columns = -(-len(handles) // rows)
            legend = self.figure.legend(handles, labels, loc="upper left", ncols=columns, frameon=False,
                                        bbox_to_anchor=(self._x(0) - 0.01, self._y(self._band)),
                                        prop=self._legend_font(), labelcolor=self.theme.ink, borderaxespad=0,
                                        handlelength=1.6, columnspacing=1.2, borderpad=0.2)
            extent = legend.get_window_extent(self.canvas.get_renderer())
            if extent.width <= self.width_px - 2 * self._edge_px or rows == 3:
                break
            legend.remove()
        self._band += extent.height * 72 / self.figure.dpi + 2
        return legend

    def _legend_font(self) -> FontProperties:
        return FontProperties(family=list(style.families()), size=self.sizes.small)

    @property
    def width_px(self) -> int:
        return self.canvas.get_width_height()[0]

    @property
    def room_px(self) -> float:
        """The width a line of the header band may take, in pixels (in the side column, under half the frame)."""
        if self._side is not None:
            return 0.42 * self.width_px
        return self.width_px - 2 * self._edge_px

    @property
    def dpi_scale(self) -> float:
        """Pixels per point."""
        return self.figure.dpi / 72

    @property
    def _edge_px(self) -> float:
        return EDGE * self.dpi_scale

    def _x(self, points_in: float) -> float:
        return (EDGE + points_in) / (self.figure.get_figwidth() * 72)

    def _y(self, points_down: float) -> float:
        return 1 - points_down / (self.figure.get_figheight() * 72)

    def widest(self, lines: Callable[[int], list], size: float, family: Optional[str] = None) -> int:
        """The widest the lines get over all frames, in pixels (0 when they are always empty)."""
        block = TextBlock(0, 0, size, self.options.dpi, self.theme.ink, family=family)
        return max(block.measure(lines(index))[0] if lines(index) else 0 for index in range(self.count))

    def wrapped(self, text: str, size: float) -> list:
        """``text`` broken at spaces into lines that fit across the frame (a word too long for a line is cut)."""
        block = TextBlock(0, 0, size, self.options.dpi, self.theme.ink)
        room = self.width_px - 2 * self._edge_px
        lines, line = [], ""
        for word in text.split(" "):
            trial = f"{line} {word}" if line else word
            if line and block.measure([trial])[0] > room:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
        return lines

    def _fitted_title(self, title: str) -> tuple[float, str]:
        """The title's type size and words: the full size, or smaller (down to the text size) so that it fits
        the width, and cut short with an ellipsis if even that is too wide."""
        room = self.width_px - 2 * self._edge_px
        for size in (self.sizes.title, (self.sizes.title + self.sizes.text) / 2, self.sizes.text):
            block = TextBlock(0, 0, size, self.options.dpi, self.theme.ink, weight="bold")
            if block.measure([title])[0] <= room:
                return size, title
        words = title
        while words and block.measure([words + "…"])[0] > room:
            words = words[:-1]
        return self.sizes.text, words.rstrip() + "…"

    def add_panel(self, panel) -> None:
        """Add a panel (already bound to one of this figure's axes) and let it draw its static part."""
        self.panels.append(panel)
        panel.draw_static()

    def finish(self) -> None:
        """Fix the layout with the first frame in place, place the text, and draw the background."""
        band = self._band + EDGE * 0.3
        right = 1.0
        if self._side is not None:  # the column's left edge, now that its widest line is known
            right = 1 - (self._side["width"] + 2 * self._edge_px) / self.width_px
            for text in self._side["texts"]:
                text.anchor = (right + self._edge_px / self.width_px, text.anchor[1])
            for legend, top in self._side["legends"]:
                legend.set_bbox_to_anchor((right + 0.6 * self._edge_px / self.width_px, top),
                                          transform=self.figure.transFigure)
        if self._chart is not None:
            band = self._place_chart(band, right)
        # A sliver at the left: constrained layout can leave a rotated axis label's box a few pixels past the
        # edge (seen with a square plot beside a side column).
        left = 0.012 if self.compact else 0.0
        self.figure.get_layout_engine().set(rect=(left, 0, right - left, 1 - band / (self.figure.get_figheight() * 72)))
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

    def text_rects(self, index: int) -> list:
        """``(lines, (left, top, right, bottom))`` in pixels (rows down) for each changing text of frame
        ``index`` that shows something: where it is drawn, its box included. For checking the layout."""
        rects = []
        for text in self._texts:
            lines = [line for line in text.lines(index) if line]
            if not lines:
                continue
            width, height = text.block.measure(lines)
            if text.boxed:  # the box is sized once, for the widest text of the whole animation
                width, height = self._measure(text, text.block)
            left = text.block.left - (width if text.align == "right" else 0)
            pad = BOX_PAD if text.boxed else 0
            rects.append((lines, (left - pad, text.block.top - pad, left + width + pad, text.block.top + height + pad)))
        return rects

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
