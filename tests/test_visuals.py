"""Pictures that explain: loss panel, trails, parameter path, themes, scale, and the files around a frame."""

import json
import shlex
import subprocess
import sys

import imageio_ffmpeg
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.errors import AnimateError
from animate.options import RenderOptions
from animate.train import record_scene
from animate.drawing import Renderer
from animate.drawing.history import HistoryPanel
from animate.drawing.path import ParamPathPanel
from animate.wording import format_loss
from animate.scene import scene_names

from imaging import psnr

TWO_PARAMETERS = ["linear", "linear-autograd", "linear-param", "linear-layer", "logistic"]


@pytest.fixture(scope="module")
def traces():
    return {name: record_scene(name, seed=0, steps=150, frames=24) for name in scene_names()}


@pytest.mark.slow
@pytest.mark.parametrize("name", scene_names())
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_scene_has_a_loss_panel_by_default_in_both_themes(traces, name, theme):
    trace = traces[name]
    renderer = Renderer(trace, RenderOptions(theme=theme))
    assert any(isinstance(panel, HistoryPanel) for panel in renderer.panels)
    frame = renderer.frame(len(trace) - 1)
    corner = frame[5:15, -15:-5].mean()  # the paper, top right
    assert corner > 240 if theme == "light" else corner < 40
    lines = renderer.panels[-1].lines[0]
    assert len(lines.get_xdata()) == len(trace)  # drawn up to the current (last) step


def test_no_loss_panel_leaves_it_out(traces):
    renderer = Renderer(traces["linear"], RenderOptions(loss_panel=False))
    assert len(renderer.panels) == 1


@pytest.mark.parametrize("name", TWO_PARAMETERS)
def test_two_parameter_scenes_draw_their_path_over_the_loss_surface(traces, name):
    trace = traces[name]
    assert trace.static["surface"].shape == (48, 48)
    renderer = Renderer(trace, RenderOptions(param_path=True))
    path = next(panel for panel in renderer.panels if isinstance(panel, ParamPathPanel))
    renderer.frame(len(trace) // 2)
    assert len(path.path.get_xdata()) == len(trace) // 2 + 1
    a, b = path.a[-1], path.b[-1]
    grid_a, grid_b = trace.static["surface_a"], trace.static["surface_b"]
    assert grid_a[0] <= a <= grid_a[-1] and grid_b[0] <= b <= grid_b[-1]  # the path stays on the surface


def test_the_surface_is_the_scenes_own_loss(traces):
    trace = traces["linear"]
    x, y = trace.static["points_x"].astype(float), trace.static["points_y"].astype(float)
    grid_a, grid_b, surface = trace.static["surface_a"], trace.static["surface_b"], trace.static["surface"]
    expected = np.mean((grid_a[7] * x + grid_b[30] - y) ** 2)
    assert surface[30, 7] == pytest.approx(expected, rel=1e-4)


@pytest.mark.parametrize("name", ["mlp", "poly"])
def test_models_with_more_parameters_refuse_the_path_clearly(traces, name):
    from animate.drawing import check_drawable

    with pytest.raises(AnimateError, match="two parameters"):
        check_drawable(traces[name], RenderOptions(param_path=True))


@pytest.mark.slow
def test_trails_show_earlier_fits_fading(traces):
    trace = traces["linear"]
    plain = Renderer(trace, RenderOptions()).frame(10)
    trailed = Renderer(trace, RenderOptions(trail=3))
    frame = trailed.frame(10)
    assert not np.array_equal(plain, frame)
    alphas = [line.get_alpha() for line in trailed.panel.trails]
    assert len(alphas) == 3 and alphas == sorted(alphas, reverse=True)
    trailed.frame(1)
    assert [line.get_visible() for line in trailed.panel.trails] == [True, False, False]


@pytest.mark.slow
def test_scale_gives_more_pixels_with_the_same_layout(traces):
    trace = traces["logistic"]
    small, large = Renderer(trace, RenderOptions()), Renderer(trace, RenderOptions().scaled(2))
    assert large.frame(0).shape == (960, 1280, 3)
    for one, two in zip(small.panels, large.panels):
        assert np.allclose(one.ax.get_position().bounds, two.ax.get_position().bounds, atol=0.01)
    halved = np.asarray(Image.fromarray(large.frame(5)).resize((640, 480), Image.Resampling.LANCZOS))
    assert psnr(halved, small.frame(5)) > 18  # the same picture, drawn sharper


@pytest.mark.slow
def test_extras_are_written_from_one_render(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["scene", "linear", "--steps", "300", "--extras", "-o", "line.gif"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["line-frames.png", "line.alt.txt", "line.gif", "line.html", "line.json", "line.mp4", "line.png",
                     "line.webm"]

    trace = record_scene("linear", steps=300)
    with Image.open("line.gif") as gif:
        assert gif.size == (640, 480)
        gif.seek(gif.n_frames - 1)
        last = np.asarray(gif.convert("RGB"))
        comment = gif.info.get("comment", b"")
    with Image.open("line.png") as poster:
        assert poster.size == (640, 480)
        assert psnr(np.asarray(poster.convert("RGB")), last) > 35  # the poster is the last frame
    with Image.open("line-frames.png") as sheet:
        assert sheet.size == (4 * 320 + 3 * 4, 2 * 240 + 4)

    alt = (tmp_path / "line.alt.txt").read_text()
    assert f"from {format_loss(float(trace.loss[0]))} to {format_loss(float(trace.loss[-1]))}" in alt
    assert "over 300 epochs" in alt and "ŷ = " in alt

    snippet = (tmp_path / "line.html").read_text()
    for referenced in ('src="line.webm"', 'src="line.mp4"', 'src="line.gif"', 'poster="line.png"', "autoplay loop muted playsinline"):
        assert referenced in snippet
    assert alt.strip().replace('"', "&quot;") in snippet

    provenance = json.loads((tmp_path / "line.json").read_text())
    assert provenance["seed"] == 0 and provenance["settings"]["steps"] == 300
    assert provenance["versions"]["torch"].startswith("2.") and provenance["command"].startswith("animate scene linear")
    assert json.loads(comment) == provenance  # the GIF carries the same provenance
    metadata = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-i", "line.mp4", "-f", "ffmetadata", "-"],
                              capture_output=True, text=True).stdout
    assert '"command":"animate scene linear' in metadata  # and so does the MP4


@pytest.mark.slow
def test_the_provenance_command_remakes_the_same_file(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    result = subprocess.run([sys.executable, "-m", "animate", "scene", "logistic", "--trail", "2", "-q",
                             "-o", "it.gif"], cwd=first, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    command = json.loads((first / "it.json").read_text())["command"]
    words = shlex.split(command)
    assert words[0] == "animate"
    again = subprocess.run([sys.executable, "-m", "animate", *words[1:], "-q"], cwd=second, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert (first / "it.gif").read_bytes() == (second / "it.gif").read_bytes()
