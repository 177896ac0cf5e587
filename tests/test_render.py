"""The renderer: exact pixel sizes, frames that change only where the picture changes."""

import numpy as np
import pytest

from animate.errors import AnimateError
from animate.options import RenderOptions, parse_size
from animate.train import record_scene
from animate.drawing import Renderer
from animate.drawing.panel import progress_text
from animate.scene import scene_names
from animate.trace import Trace


@pytest.mark.parametrize("size, dpi", [((640, 480), 100), ((320, 240), 50), ((1280, 720), 144), ((500, 500), 72)])
def test_frames_have_exactly_the_asked_size(linear_trace, size, dpi):
    frame = Renderer(linear_trace, RenderOptions(size=size, dpi=dpi)).frame(0)
    assert frame.shape == (size[1], size[0], 3) and frame.dtype == np.uint8


@pytest.mark.slow
@pytest.mark.parametrize("name", scene_names())
def test_nothing_outside_the_plot_moves_between_frames(name):
    trace = record_scene(name, seed=0, steps=120, frames=12)
    renderer = Renderer(trace, RenderOptions())
    height = renderer.options.size[1]
    # Where a frame may change: inside the plot (and its frame line) and the progress line of the
    # header, whose text grows as the numbers do, so its extent is gathered over all frames drawn.
    indices = range(0, len(renderer), max(1, len(renderer) // 6))
    frames = [renderer.frame(index) for index in indices]
    # Where a frame may change: inside each panel (and its frame line), the progress line of the
    # header (whose text grows as the numbers do) and, on the last frame, how the run ended.
    allowed = np.zeros((height, renderer.options.size[0]), dtype=bool)
    for panel in renderer.panels:
        box = panel.ax.get_window_extent()
        reach = 6  # the current point's dot is drawn whole at the plot's edge, past the frame line
        allowed[height - int(np.ceil(box.y1)) - reach:height - int(box.y0) + reach,
                int(box.x0) - reach:int(np.ceil(box.x1)) + reach] = True
    # ... and where the changing text is drawn (the progress line, how the run ended, readouts above
    # the plot), as placed for each frame drawn.
    for index in indices:
        for _, (left, top, right, bottom) in renderer.picture.text_rects(index):
            allowed[max(int(top) - 3, 0):int(bottom) + 3, max(int(left) - 3, 0):int(right) + 3] = True
    for frame in frames[1:]:
        moved = np.any(frame != frames[0], axis=2)
        assert moved.any()
        assert not np.any(moved & ~allowed), "pixels outside the plot changed between frames"


@pytest.mark.slow
def test_rendering_is_repeatable(logistic_trace):
    first = Renderer(logistic_trace, RenderOptions()).frame(5)
    again = Renderer(logistic_trace, RenderOptions()).frame(5)
    assert np.array_equal(first, again)


def test_the_fitted_line_is_drawn_in_the_fit_colour(linear_trace):
    frame = Renderer(linear_trace, RenderOptions()).frame(len(linear_trace) - 1)
    vermillion = np.array([0xD5, 0x5E, 0x00])
    close = np.all(np.abs(frame.astype(int) - vermillion) < 12, axis=2)
    assert close.sum() > 500  # a thick line across the plot


def test_an_unknown_painter_is_a_clear_error():
    with pytest.raises(AnimateError, match="valid painters are boundary, history, line"):
        Trace(painter="spiral", steps=np.array([0]), loss=np.array([1.0]))


@pytest.mark.parametrize("text", ["640", "640x", "x480", "abcxdef", "640*480", ""])
def test_malformed_sizes_are_refused(text):
    with pytest.raises(AnimateError, match="WIDTHxHEIGHT"):
        parse_size(text)


@pytest.mark.parametrize("size", [(641, 480), (640, 10), (10000, 480)])
def test_odd_or_out_of_range_sizes_are_refused(size):
    with pytest.raises(AnimateError, match="even numbers"):
        RenderOptions(size=size)


def test_a_classifier_without_a_line_equation_gets_its_boundary_as_a_contour():
    import torch

    from animate.observe import Boundary
    from animate.record import Recorder

    torch.manual_seed(0)
    xy = torch.randn(60, 2)
    labels = (xy[:, 0] ** 2 + xy[:, 1] ** 2 < 1).float()
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    recorder = Recorder(model, Boundary((-3, 3), (-3, 3), resolution=40), every=20)
    for step in range(60):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(xy).squeeze(1), labels)
        recorder.step(step, loss)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    recorder.finish(60)
    trace = recorder.trace(points=(xy[:, 0], xy[:, 1], labels), title="circle")
    renderer = Renderer(trace, RenderOptions(size=(320, 240), dpi=50))
    frames = [renderer.frame(i) for i in range(len(renderer))]
    assert renderer.panel.contour is not None and not renderer.panel.boundary.get_visible()
    assert not np.array_equal(frames[0], frames[-1])


def test_frames_drawn_by_worker_processes_equal_frames_drawn_here(linear_trace):
    from animate.drawing import open_frames
    from animate.drawing.parallel import ParallelRenderer

    trace = record_scene("logistic", seed=0)
    here = list(Renderer(trace, RenderOptions(size=(320, 240), dpi=50)).frames(range(len(trace))))
    with open_frames(trace, RenderOptions(size=(320, 240), dpi=50, workers=2)) as workers:
        assert isinstance(workers, ParallelRenderer)
        assert np.array_equal(workers.colours, Renderer(trace, RenderOptions(size=(320, 240), dpi=50)).colours)
        there = list(workers.frames(range(len(trace))))
        picked = list(workers.frames([5, 0, 25]))  # any order asked is the order given
    assert len(there) == len(here) == len(trace)
    assert all(np.array_equal(a, b) for a, b in zip(here, there))
    assert all(np.array_equal(a, here[i]) for a, i in zip(picked, [5, 0, 25]))


def test_short_animations_are_drawn_in_this_process(logistic_trace):
    from animate.drawing import open_frames

    with open_frames(logistic_trace, RenderOptions()) as renderer:
        assert isinstance(renderer, Renderer)  # 26 frames: workers would cost more than they save
    with pytest.raises(AnimateError, match="workers 0"):
        RenderOptions(workers=0)


class _Broken:
    """A renderer factory that fails inside the worker, as a bug would."""

    def __init__(self, trace, options):
        raise ValueError("drawing went wrong")


def test_a_failing_worker_reports_its_reason_instead_of_hanging(logistic_trace):
    from animate.drawing.parallel import ParallelRenderer

    with pytest.raises(RuntimeError, match="drawing went wrong"):
        ParallelRenderer(_Broken, (logistic_trace, RenderOptions()), len(logistic_trace), 2)


def test_frames_too_large_for_the_free_memory_are_refused_before_training(tmp_path, monkeypatch):
    from animate.drawing import parallel
    from animate.job import scene_job

    monkeypatch.setattr(parallel, "usable_memory", lambda: 200 * 2**20)
    with pytest.raises(AnimateError, match=r"frames of 4096x4096 pixels need about 1\.7 GiB .* about 0\.2 GiB is free"):
        scene_job("linear", tmp_path / "big.gif", options=RenderOptions(size=(4096, 4096), dpi=100))
    assert list(tmp_path.iterdir()) == []


def test_workers_are_fewer_where_memory_is_short(monkeypatch):
    from animate.drawing import parallel

    monkeypatch.setattr(parallel, "available_cores", lambda: 8)
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    plenty, short = 64 * 2**30, parallel.memory_needed((2048, 2048), 3) + 1
    monkeypatch.setattr(parallel, "usable_memory", lambda: plenty)
    assert parallel.worker_count(200, None, (2048, 2048)) == 8
    monkeypatch.setattr(parallel, "usable_memory", lambda: short)
    assert parallel.worker_count(200, None, (2048, 2048)) == 3
