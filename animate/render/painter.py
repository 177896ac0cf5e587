"""The frame machinery every painter shares: an Agg canvas, a layout fixed once, and blitting.

A painter draws the static part of the picture (axes, ticks, labels, anything that never changes)
once and saves it as a background. Each frame restores that background, updates only the artists
that change, draws just those, and copies the pixels out. Matplotlib's object-oriented API is used
throughout; pyplot's global state is never touched.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..options import RenderOptions
from ..trace import Trace
from . import style
from .text import format_loss, format_progress


class Painter:
    """Base class: subclasses implement :meth:`draw_static` and :meth:`update`.

    ``draw_static`` builds the picture and registers the changing artists with :meth:`animate`;
    ``update(index)`` sets those artists to snapshot ``index``.
    """

    # Colours this painter's frames will hold, e.g. the steps of a shading ramp (uint8, shape (n, 3)).
    colours = np.zeros((0, 3), dtype=np.uint8)

    def __init__(self, trace: Trace, options: RenderOptions):
        self.trace = trace
        self.options = options
        self.meta = dict(trace.meta)
        self.last_step = int(trace.steps[-1])
        # Constrained layout from the start (colorbars need it when they are made); frozen after one draw.
        self.figure = Figure(figsize=options.figsize, dpi=options.dpi, facecolor="white", layout="constrained")
        self.figure.get_layout_engine().set(h_pad=0.06, w_pad=0.06)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        self._dynamic = []
        self._draw_header()
        self.draw_static()
        self._fix_layout()
        for artist in self._dynamic:
            artist.set_animated(True)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def __len__(self) -> int:
        return len(self.trace)

    # ---- for subclasses -------------------------------------------------------------------------
    def draw_static(self) -> None:
        raise NotImplementedError

    def update(self, index: int) -> None:
        raise NotImplementedError

    def animate(self, artist):
        """Mark ``artist`` as changing from frame to frame; returns it for chaining."""
        self._dynamic.append(artist)
        return artist

    # ---- frames ---------------------------------------------------------------------------------
    def frame(self, index: int) -> np.ndarray:
        """Snapshot ``index`` as an RGB ``uint8`` array of shape (height, width, 3)."""
        self.canvas.restore_region(self._background)
        self._update_header(index)
        self.update(index)
        for artist in sorted(self._dynamic, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()

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
        self._progress = self.animate(self.figure.text(
            left, 1 - progress_top / height, "", ha="left", va="top", fontsize=style.TEXT_SIZE,
            color=style.MUTED,
        ))

    def _update_header(self, index: int) -> None:
        step = int(self.trace.steps[index])
        text = format_progress(step, self.last_step, self.meta.get("step_name", "iteration"))
        if index == len(self.trace) - 1 and self.meta.get("stopped_early"):
            text += f"  ·  stopped: loss < {self.meta.get('stop_below'):g}"
        self._progress.set_text(text)

    def loss_text(self, index: int) -> str:
        """``MSE loss = 9.123`` for snapshot ``index``."""
        name = self.meta.get("loss_name", "loss")
        return f"{name} = {format_loss(float(self.trace.loss[index]))}"

    def params_at(self, index: int) -> dict:
        return {name: values[index] for name, values in self.trace.params.items()}

    def _fix_layout(self) -> None:
        # Lay out once with the first frame's text in place, then freeze it so nothing moves later.
        self.update(0)
        self._update_header(0)
        self.canvas.draw()
        self.figure.set_layout_engine("none")
