"""The picture where it is seen: at every size and venue, no words covered and none covering the data.

From the drawing's own bounding boxes (matplotlib's extents for its text, the placed blocks for the
changing text), at the first, a middle and the last frame of every scene: every word is inside the
frame, no two texts overlap, and no text lies over a data point or over the fit at any recorded step.
"""

import numpy as np
import pytest

from animate.drawing import Renderer
from animate.drawing.placement import densified
from animate.options import RenderOptions, VENUES
from animate.scene import scene_names
from animate.train import record_scene

pytestmark = pytest.mark.slow

LAYOUTS = {
    "640x480": RenderOptions(size=(640, 480)),
    "320x240": RenderOptions(size=(320, 240)),
    "1920x1080": RenderOptions(size=(1920, 1080), dpi=160),
    "square": RenderOptions(size=(480, 480)),
    "portrait": RenderOptions(size=(360, 640)),
    **{f"--for {name}": RenderOptions(venue=name) for name in VENUES},
}


@pytest.fixture(scope="module")
def traces():
    return {name: record_scene(name, seed=0, steps=150, frames=24) for name in scene_names()}


def static_text_rects(renderer) -> list:
    """Every piece of matplotlib text in the figure, with its extent in pixels (rows down)."""
    figure = renderer.picture.figure
    draw = renderer.picture.canvas.get_renderer()
    height = renderer.picture.canvas.get_width_height()[1]
    artists = list(figure.texts) + list(figure.legends)
    for ax in figure.axes:
        artists += [ax.xaxis.label, ax.yaxis.label, ax.title, *ax.texts]
        artists += drawn_ticks(ax)
        if ax.get_legend() is not None:
            artists.append(ax.get_legend())
    rects = []
    for artist in artists:
        if hasattr(artist, "get_text") and not artist.get_text():
            continue
        box = artist.get_window_extent(draw)
        if box.width and box.height:
            rects.append((artist, (box.x0, height - box.y1, box.x1, height - box.y0)))
    return rects


def drawn_ticks(ax) -> list:
    """The tick labels matplotlib draws: those of ticks inside the plot (it lists more than it draws)."""
    box = ax.get_window_extent()
    labels = []
    for axis, along in ((ax.xaxis, 0), (ax.yaxis, 1)):
        for label, location in zip(axis.get_ticklabels(), axis.get_ticklocs()):
            point = (location, ax.get_ylim()[0]) if along == 0 else (ax.get_xlim()[0], location)
            pixel = ax.transData.transform(point)[along]
            low, high = (box.x0, box.x1) if along == 0 else (box.y0, box.y1)
            if label.get_visible() and low - 1 <= pixel <= high + 1:
                labels.append(label)
    return labels


def marks(renderer, trace) -> tuple:
    """The data points and the fit at every recorded step, in pixels (rows down), inside the main plot."""
    panel = renderer.panel
    ax, static = panel.ax, trace.static
    height = renderer.picture.canvas.get_width_height()[1]
    to_pixels = lambda xy: np.column_stack([xy[:, 0], height - xy[:, 1]])  # noqa: E731
    points = np.zeros((0, 2))
    if "points_x" in static:
        points = to_pixels(ax.transData.transform(np.column_stack([static["points_x"], static["points_y"]])))
    paths = []
    if trace.painter == "line":
        for curve in trace.outputs["curve"]:
            paths.append(to_pixels(ax.transData.transform(np.column_stack([static["grid_x"], curve]))))
    elif getattr(panel, "line", None) is not None:  # a regions picture has no line: its points are the marks
        from animate.wording import line_of

        for snapshot in range(len(trace)):
            slope, intercept = line_of(panel.line, panel.params_at(snapshot))
            xs = np.linspace(*ax.get_xlim(), 60)
            paths.append(to_pixels(ax.transData.transform(np.column_stack([xs, slope * xs + intercept]))))
    inside = ax.get_window_extent()
    box = (inside.x0, height - inside.y1, inside.x1, height - inside.y0)
    fit = densified(paths)
    return within(points, box), within(fit, box)


def within(xy: np.ndarray, box) -> np.ndarray:
    left, top, right, bottom = box
    return xy[(xy[:, 0] >= left) & (xy[:, 0] <= right) & (xy[:, 1] >= top) & (xy[:, 1] <= bottom)]


def overlaps(a, b, slack=1.0) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def covers(box, xy: np.ndarray, reach: float) -> int:
    left, top, right, bottom = box
    return int(np.sum((xy[:, 0] > left - reach) & (xy[:, 0] < right + reach)
                      & (xy[:, 1] > top - reach) & (xy[:, 1] < bottom + reach)))


def problems(renderer, trace) -> list:
    """What is wrong with the layout, in words (empty when nothing is)."""
    width, height = renderer.picture.canvas.get_width_height()
    found = []
    fixed = static_text_rects(renderer)
    points, fit = marks(renderer, trace)
    reach = 2 * renderer.picture.dpi_scale  # a data mark's radius, about
    for index in sorted({0, len(trace) // 2, len(trace) - 1}):
        renderer.frame(index)
        changing = renderer.picture.text_rects(index)
        texts = [(" / ".join(lines), rect) for lines, rect in changing]
        texts += [(getattr(artist, "get_text", lambda: type(artist).__name__)(), rect) for artist, rect in fixed]
        for what, rect in texts:
            if rect[0] < -1 or rect[1] < -1 or rect[2] > width + 1 or rect[3] > height + 1:
                found.append(f"frame {index}: {what!r} is cut off at {tuple(round(v) for v in rect)}")
        for number, (what, rect) in enumerate(texts):
            for other, rect_other in texts[number + 1:]:
                if overlaps(rect, rect_other):
                    found.append(f"frame {index}: {what!r} overlaps {other!r}")
        # The inline loss chart of a small picture: in the frame, off every text and off the plot.
        for chart in inline_charts(renderer):
            if chart[0] < -1 or chart[1] < -1 or chart[2] > width + 1 or chart[3] > height + 1:
                found.append(f"frame {index}: the inline chart is cut off at {tuple(round(v) for v in chart)}")
            for what, rect in texts + [("the plot", pixel_box(renderer, renderer.panel.ax))]:
                if overlaps(chart, rect):
                    found.append(f"frame {index}: the inline chart overlaps {what!r}")
        # Readouts and legends must not sit on the data or on the fit at any step; tick labels sit outside.
        words = [(" / ".join(lines), rect) for lines, rect in changing]
        words += [(type(artist).__name__, rect) for artist, rect in fixed if type(artist).__name__ == "Legend"]
        for what, rect in words:
            if covers(rect, points, reach):
                found.append(f"frame {index}: {what!r} covers {covers(rect, points, reach)} data points")
            if covers(rect, fit, reach):
                found.append(f"frame {index}: {what!r} lies on the fit of some step")
    return found


def pixel_box(renderer, ax) -> tuple:
    """The axes' plot area in pixels (rows down)."""
    height = renderer.picture.canvas.get_width_height()[1]
    box = ax.get_window_extent()
    return box.x0, height - box.y1, box.x1, height - box.y0


def inline_charts(renderer) -> list:
    """The inline loss charts drawn (a compact picture's), as pixel boxes grown by their end dot's reach."""
    reach = 3 * renderer.picture.dpi_scale
    boxes = []
    for panel in renderer.panels:
        if getattr(panel, "inline", False) and panel.lines:
            left, top, right, bottom = pixel_box(renderer, panel.ax)
            boxes.append((left - reach, top - reach, right + reach, bottom + reach))
    return boxes


def test_small_pictures_draw_the_loss_as_an_inline_chart(traces):
    """A compact picture has no loss panel: the loss is a chart beside its readout (where there is room)."""
    for name in ("linear", "logistic", "mlp"):
        renderer = Renderer(traces[name], RenderOptions(venue="readme").resolved(traces[name].meta.pace))
        assert len(inline_charts(renderer)) == 1, name
        regular = Renderer(traces[name], RenderOptions(size=(640, 480)).resolved(traces[name].meta.pace))
        assert inline_charts(regular) == [], name


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("name", scene_names())
def test_nothing_is_cut_off_overlapping_or_hiding_the_data(traces, name, layout):
    renderer = Renderer(traces[name], LAYOUTS[layout].resolved(traces[name].meta.pace))
    assert problems(renderer, traces[name]) == []


def test_the_layout_check_finds_what_is_wrong(traces):
    """The check above must be able to fail: a legend forced onto the data is found."""
    trace = traces["linear"]
    renderer = Renderer(trace, RenderOptions(size=(640, 480)))
    ax = renderer.panel.ax
    legend = ax.legend(["a legend placed on the data"], loc="center", fontsize=20)
    renderer.picture.canvas.draw()
    assert legend is not None
    found = problems(renderer, trace)
    assert any("Legend" in problem and ("covers" in problem or "fit" in problem) for problem in found), found


def test_chinese_words_are_drawn_not_as_boxes(traces):
    """The blogs are Chinese: a loss name or title in Chinese must draw its characters (a missing glyph
    draws the same empty box for every character, so two different characters would look the same)."""
    from animate.drawing import style
    from animate.drawing.glyphs import TextBlock

    if style.fallback_font() is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk; .ci/run installs it)")
    frames = {}
    for word in ("损失", "函数"):
        block = TextBlock(0, 0, 11, 100, "#000000")
        canvas = np.full((40, 120, 4), 255, np.uint8)
        block.paint(canvas, [word])
        frames[word] = canvas[:, :, :3]
        assert (canvas[:, :, :3] < 128).sum() > 20, f"{word!r} drew nothing"
    assert not np.array_equal(frames["损失"], frames["函数"])
    trace = traces["linear"]
    titles = {}
    for title in ("损失函数", "线性回归"):
        meta = trace.meta.replace(title=title)
        renderer = Renderer(type(trace)(painter=trace.painter, steps=trace.steps, loss=trace.loss, params=trace.params,
                                        outputs=trace.outputs, static=trace.static, meta=meta),
                            RenderOptions(size=(640, 480)))
        titles[title] = renderer.frame(0)[:30, :200]
    assert not np.array_equal(titles["损失函数"], titles["线性回归"])
