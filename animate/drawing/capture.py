"""A picture taken apart for the browser: what never changes as SVG, what moves as numbers.

The explorable page (:mod:`animate.writers.page`) draws the same picture as the GIF, but in the
reader's browser and at any zoom. This module builds the picture exactly as a frame source does (the
same :class:`~animate.drawing.picture.Picture`, layout, theme and words), then takes its layers apart
in the order a frame composes them:

1. the background: every static artist, as SVG from matplotlib's own SVG backend;
2. the shading (a boundary's probabilities): a grid of values per frame and its colour ramp;
3. the moving artists under the overlay: their outlines, per frame, in SVG units;
4. the overlay (legends, points over a shading), as SVG;
5. the moving artists over it;
6. the changing text: its place, font and the lines of each frame.

Coordinates are in points of the figure (SVG user units, as matplotlib's SVG writer uses), y down.
Everything is captured over one frame per snapshot (a comparison: one per tick of its clock).
"""

from __future__ import annotations

import io
from typing import Optional

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.collections import Collection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Affine2D, IdentityTransform

from ..comparison import Comparison
from ..options import RenderOptions
from ..story import Timeline

UNITS = 100  # coordinates are stored as whole hundredths of a point
BREAK = -(2**31)  # a gap in a polyline (matplotlib breaks a line at a non-finite value)


class Coordinates:
    """Every polyline of every moving artist, in one integer array (hundredths of a point, each
    polyline delta-coded so that it deflates well); a polyline that is the start of one stored before
    (a loss curve so far) or equal to one is not stored again."""

    def __init__(self):
        self.values: list = []
        self._longest: dict = {}  # artist → (start, int array) of its longest polyline so far
        self._seen: dict = {}

    def add(self, artist_key: int, points: np.ndarray) -> list:
        """Store ``points`` (n × 2, points, y down); returns ``[start, count]`` (count in points)."""
        scaled = np.where(np.isfinite(points), np.round(points * UNITS), np.nan)
        key = scaled.tobytes()
        if key in self._seen:
            return self._seen[key]
        longest = self._longest.get(artist_key)
        if longest is not None and len(scaled) <= len(longest[1]) and np.array_equal(
                longest[1][:len(scaled)], scaled, equal_nan=True):
            return [longest[0], len(scaled)]
        start = sum(len(chunk) for chunk in self.values) // 2
        self.values.append(_delta_coded(scaled))
        span = [start, len(scaled)]
        self._seen[key] = span
        if longest is None or len(scaled) > len(longest[1]):
            self._longest[artist_key] = (start, scaled)
        return span

    def array(self) -> np.ndarray:
        return np.concatenate(self.values).astype("<i4") if self.values else np.zeros(0, "<i4")


def _delta_coded(scaled: np.ndarray) -> np.ndarray:
    """x0, y0, then differences; a non-finite point is BREAK, BREAK and the next point is absolute."""
    out = np.empty(scaled.size, dtype=np.int64)
    previous = None
    for i, (x, y) in enumerate(scaled):
        if not (np.isfinite(x) and np.isfinite(y)):
            out[2 * i:2 * i + 2] = BREAK
            previous = None
        elif previous is None:
            out[2 * i:2 * i + 2] = x, y
            previous = (x, y)
        else:
            out[2 * i:2 * i + 2] = x - previous[0], y - previous[1]
            previous = (x, y)
    return np.clip(out, BREAK, 2**31 - 1)


def capture(drawable, options: RenderOptions) -> dict:
    """The page's description of ``drawable`` (a trace or a comparison) drawn with ``options``: the SVG
    layers, the moving artists' outlines per frame (with ``coordinates``, an int32 array), the shading,
    the changing text and what each frame's step is."""
    from . import Renderer
    from .small_multiples import SmallMultiples

    if isinstance(drawable, Comparison):
        source = SmallMultiples(drawable, options, Timeline.plain(len(drawable.clock)))
        steps = [int(step) for step in drawable.clock]
    else:
        source = Renderer(drawable, options, Timeline.plain(len(drawable)))
        steps = [int(step) for step in drawable.steps]
    picture = source.picture
    count = len(source)
    figure = picture.figure
    scale = 72 / figure.dpi  # frame pixels → points
    width, height = figure.get_size_inches() * 72

    texts = _texts(picture, scale, count)
    shadings = _shadings(source, scale, count)

    # From here on the figure is at 72 dpi, so that display units are points (matplotlib's SVG units).
    for artist in picture._overlaid:
        if isinstance(artist.get_transform(), IdentityTransform):  # a text box placed in frame pixels
            artist.set_transform(Affine2D().scale(scale))
    figure.set_dpi(72)
    with rc_context({"svg.hashsalt": "animate", "svg.fonttype": "path"}):
        background = io.StringIO()
        # savefig draws animated artists too: the moving and the overlaid ones are hidden for the background.
        layered = [artist for artist in picture._dynamic + picture._overlaid if artist.get_visible()]
        for artist in layered:
            artist.set_visible(False)
        try:
            figure.savefig(background, format="svg", metadata={"Date": None}, facecolor=figure.get_facecolor())
        finally:
            for artist in layered:
                artist.set_visible(True)
        overlay = _svg_of(picture._overlaid, width, height)

    main = _main_axes(source, height)
    coordinates = Coordinates()
    artists = [_style(artist, key, height) for key, artist in enumerate(picture._dynamic)]
    frames = [[None] * count for _ in artists]
    for index in range(count):
        for panel in picture.panels:
            panel.update(index)
        dynamic = list(picture._dynamic)  # a contour is replaced by a new artist each frame
        for key, artist in enumerate(dynamic[:len(artists)]):
            if not artist.get_visible():
                continue
            frames[key][index] = [coordinates.add(key, line) for line in _outlines(artist, height)]
    for artist, spans in zip(artists, frames):
        artist["frames"] = spans
    if main is not None:
        fit = getattr(source.panel, "fit_line", None) or getattr(source.panel, "boundary", None)
        main["fit"] = picture._dynamic.index(fit) if fit in picture._dynamic and getattr(source.panel, "line", True) \
            is not None else None
    return {
        "width": float(width), "height": float(height), "paper": to_hex(picture.theme.paper), "main": main,
        "dark": picture.theme.name == "dark",
        "background": _clean_svg(background.getvalue()), "overlay": overlay,
        "artists": artists, "texts": texts, "shadings": shadings, "steps": steps, "count": count,
        "fps": _pace(drawable, options), "hold_last": options.hold_last, "hold_first": options.hold_first,
        "coordinates": coordinates.array(),
    }


def _main_axes(source, height: float) -> Optional[dict]:
    """A single run's plot (at 72 dpi): its box in points (y down) and its limits, so that the page can draw
    other runs' fits in it (overlaid). None for a comparison or a run with no plot of the fit."""
    panel = getattr(source, "panel", None) if not hasattr(source, "comparison") else None
    if panel is None or not hasattr(panel, "ax") or panel.ax.get_xscale() != "linear" or panel.ax.get_yscale() != "linear":
        return None
    box = panel.ax.get_window_extent()
    return {"box": [box.x0, height - box.y1, box.width, box.height], "xlim": list(panel.ax.get_xlim()),
            "ylim": list(panel.ax.get_ylim())}


def _pace(drawable, options: RenderOptions) -> float:
    """Recorded states a second at 1×: the run's own pace (the frame rate of a GIF in steps motion), not
    the higher rate smooth motion draws in-between frames at."""
    if isinstance(drawable, Comparison) or not getattr(drawable.meta, "pace", None):
        return float(options.fps)
    return float(min(options.fps, drawable.meta.pace))


def _texts(picture, scale: float, count: int) -> list:
    """The changing text blocks: place (points), font, colour and each frame's lines (as a string table)."""
    blocks = []
    for spec in picture._texts:
        block = spec.block
        lines = [list(spec.lines(index)) for index in range(count)]
        blocks.append({
            "left": block.left * scale, "top": block.top * scale, "size": block.size, "colour": to_hex(block.colour / 255),
            "ascent": block.ascent * scale, "lineHeight": block.line_height * scale, "align": block.align,
            "fonts": block.font_files, "weight": block.weight, "lines": lines,
        })
    return blocks


def _shadings(source, scale: float, count: int) -> list:
    """Each boundary panel's shading: its rectangle (points), the grid, the colour ramp and the values of
    each frame (0–255, as the GIF's colour codes are)."""
    found = []
    for panel in getattr(source, "panels", []):
        shading = getattr(panel, "shading", None)
        if shading is None:
            continue
        grids = []
        for index in range(count):
            before, after, _ = panel.blend(index)
            grids.append(np.clip(np.asarray(panel.probs[after], dtype=float) * 255 + 0.5, 0, 255).astype(np.uint8))
        (x_low, x_high), (y_low, y_high) = panel.ax.get_xlim(), panel.ax.get_ylim()
        regions = hasattr(shading, "tints")  # several classes: values a class each, tints per class and level
        found.append({
            "kind": "regions" if regions else "probability",
            "classes": int(panel.probs.shape[-1]) if regions else 1,
            "left": shading.left * scale, "top": shading.top * scale,
            "width": (shading.right - shading.left) * scale, "height": (shading.bottom - shading.top) * scale,
            "xlim": [x_low, x_high], "ylim": [y_low, y_high],
            "gridX": [float(v) for v in panel.trace.static["grid_x"]],
            "gridY": [float(v) for v in panel.trace.static["grid_y"]],
            "ramp": (shading.tints if regions else shading.colours).reshape(-1).tolist(), "values": np.stack(grids),
            "levels": int(shading.tints.shape[1]) if regions else 0,
        })
    return found


def _svg_of(artists: list, width: float, height: float) -> str:
    """The artists alone (by z-order) on a transparent SVG of the figure's size."""
    stream = io.StringIO()
    renderer = RendererSVG(width, height, stream)
    for artist in sorted(artists, key=lambda a: a.get_zorder()):
        if artist.get_visible():
            artist.draw(renderer)
    renderer.finalize()
    return _clean_svg(stream.getvalue())


def _clean_svg(text: str) -> str:
    """The ``<svg>`` element alone (no XML declaration or doctype), ready to sit inside HTML."""
    return text[text.index("<svg"):]


def _style(artist, key: int, height: float) -> dict:
    """How a moving artist looks: colour, width (points), dashes, marker, z-order, clip rectangle."""
    style = {"key": key, "zorder": artist.get_zorder(), "alpha": artist.get_alpha()}
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    if clip is not None:
        style["clip"] = [clip.x0, height - clip.y1, clip.width, clip.height]
    if isinstance(artist, Line2D):
        dashes = artist._dash_pattern[1] if artist.get_linestyle() not in ("-", "None", "") else None
        style.update(kind="line", colour=_colour(artist.get_color()),
                     width=artist.get_linewidth() if artist.get_linestyle() not in ("None", "") else 0,
                     dashes=list(dashes) if dashes else None, cap=artist.get_solid_capstyle(),
                     marker=artist.get_marker() if artist.get_marker() not in (None, "None", "", " ") else None,
                     markerSize=artist.get_markersize(), markerFace=_colour(artist.get_markerfacecolor()),
                     markerEdge=_colour(artist.get_markeredgecolor()), markerEdgeWidth=artist.get_markeredgewidth())
    elif isinstance(artist, Collection):
        colours = artist.get_edgecolor()
        widths = artist.get_linewidth()
        style.update(kind="line", colour=_colour(colours[0] if len(colours) else "none"),
                     width=float(np.atleast_1d(widths)[0]), dashes=None, cap="round", marker=None)
    elif isinstance(artist, Patch):
        style.update(kind="line", colour=_colour(artist.get_edgecolor()), width=artist.get_linewidth(), dashes=None,
                     cap="butt", marker=None)
    else:  # pragma: no cover - a painter that animates an artist of a new kind must teach it here
        raise TypeError(f"the page cannot draw a moving {type(artist).__name__}")
    return style


def _colour(value) -> Optional[str]:
    rgba = to_rgba(value)
    return None if rgba[3] == 0 else to_hex(rgba, keep_alpha=rgba[3] < 1)


def _outlines(artist, height: float) -> list:
    """The artist's polylines in points, y down."""
    if isinstance(artist, Line2D):
        xy = artist.get_xydata()
        if len(xy) == 0:
            return []
        points = artist.get_transform().transform(np.asarray(xy, dtype=float))
        clip = artist.get_clip_box() if artist.get_clip_on() else None
        if clip is not None and len(points) > 1 and artist.get_marker() in (None, "None", "", " "):
            # A runaway fit reaches far past the plot: cut it where it leaves (a margin around) the plot, so
            # that what is stored is exact where it is seen, and small.
            margin = max(clip.width, clip.height)
            box = (clip.x0 - margin, clip.y0 - margin, clip.x1 + margin, clip.y1 + margin)
            inside = ((points[:, 0] >= box[0]) & (points[:, 0] <= box[2]) & (points[:, 1] >= box[1])
                      & (points[:, 1] <= box[3]))
            if not inside.all():  # (the common case, all inside, needs no cutting)
                return [_flip(piece, height) for piece in clip_polyline(points, box)]
        return [_flip(points, height)]
    lines = []
    transform = artist.get_transform()
    for path in artist.get_paths():
        vertices = transform.transform(path.vertices)
        codes = path.codes
        if codes is None:
            lines.append(_flip(vertices, height))
            continue
        starts = list(np.flatnonzero(codes == 1)) + [len(codes)]  # MOVETO begins each piece
        for first, end in zip(starts, starts[1:]):
            piece = vertices[first:end][codes[first:end] != 79]  # CLOSEPOLY carries no point of its own
            if len(piece):
                lines.append(_flip(piece, height))
    return lines


def clip_polyline(points: np.ndarray, box: tuple) -> list:
    """The parts of the polyline ``points`` (n × 2) inside ``box`` (x0, y0, x1, y1), each segment cut where it
    crosses the box's edge (Liang–Barsky); a non-finite point breaks the line, as matplotlib draws it."""
    x0, y0, x1, y1 = box
    pieces, piece = [], []

    def close():
        if len(piece) > 1:
            pieces.append(np.array(piece))
        piece.clear()

    for a, b in zip(points[:-1], points[1:]):
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            close()
            continue
        d = b - a
        t0, t1, inside = 0.0, 1.0, True
        for p, q in ((-d[0], a[0] - x0), (d[0], x1 - a[0]), (-d[1], a[1] - y0), (d[1], y1 - a[1])):
            if p == 0:
                if q < 0:
                    inside = False
                    break
                continue
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                inside = False
                break
        if not inside:
            close()
            continue
        start, end = a + t0 * d, a + t1 * d
        if not piece or not np.allclose(piece[-1], start):
            close()
            piece.append(start)
        piece.append(end)
        if t1 < 1.0:
            close()
    close()
    return pieces


def _flip(points: np.ndarray, height: float) -> np.ndarray:
    flipped = np.array(points, dtype=float)
    flipped[:, 1] = height - flipped[:, 1]
    return flipped
