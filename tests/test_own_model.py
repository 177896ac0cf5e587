"""Bring your own model: scene files, side-by-side runs, notebook display, the example, Lightning."""

import base64
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.comparison import build, make_clock
from animate.train import record_scene
from animate.outputs import Written, embed_html

ROOT = Path(__file__).resolve().parent.parent

SCENE_FILE = '''
"""A parabola fitted by a tiny network: written exactly like the built-in scenes."""
import torch

from animate.observe import Curve
from animate.scene import Defaults, Scene, Setup, register


@register
class Parabola(Scene):
    name = "parabola-test"
    title = "A parabola, from a file"
    summary = "three hidden units fit y = x squared"
    defaults = Defaults(lr=0.1, steps=60)

    def build(self, lr):
        x = torch.linspace(-1, 1, 40).unsqueeze(1)
        y = x ** 2
        model = torch.nn.Sequential(torch.nn.Linear(1, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        return Setup(model=model, loss=lambda: torch.nn.functional.mse_loss(model(x), y), optimizer=optimizer,
                     observe=Curve(x_range=(-1, 1), truth=lambda g: g ** 2), points=(x, y))
'''


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


# ---- scenes from a file --------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_scene_file_runs_like_a_built_in_scene(tmp_path):
    scene = write(tmp_path, "parabola.py", SCENE_FILE)
    for _ in range(2):  # loading the same file twice is fine
        result = CliRunner().invoke(main, ["scene", str(scene), "-o", str(tmp_path / "p.gif"), "--size", "320x240",
                                           "--dpi", "50", "--motion", "steps", "--no-captions"])
        assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'p.gif'}: " in result.stdout and "at iteration 60" in result.stdout
    with Image.open(tmp_path / "p.gif") as image:
        assert image.n_frames == 61


@pytest.mark.parametrize("text, message", [
    ("import torch\nthis is not python\n", "could not load scene file"),
    ("import torch\n", "defines no scene"),
    (SCENE_FILE + SCENE_FILE.split("@register")[1].replace("Parabola", "Second").replace(
        '"parabola-test"', '"second"'), "defines several scenes (parabola-test, second): pick one as"),
    (SCENE_FILE.replace("    defaults = Defaults(lr=0.1, steps=60)\n", ""), "needs defaults = Defaults("),
    ("raise RuntimeError('boom')\n", "RuntimeError: boom"),
])
def test_a_broken_scene_file_is_one_clear_line(tmp_path, text, message):
    scene = write(tmp_path, "broken.py", text)
    result = CliRunner().invoke(main, ["scene", str(scene), "-o", str(tmp_path / "x.gif")])
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.gif").exists()


def test_a_scene_file_may_reuse_a_built_in_name_without_replacing_it(tmp_path):
    from animate.scene import get_scene

    scene = write(tmp_path, "mine.py", SCENE_FILE.replace('"parabola-test"', '"linear"'))
    assert get_scene(str(scene)).title == "A parabola, from a file"
    assert get_scene("linear").title == "Linear regression with nn.Linear"  # the built-in is untouched


@pytest.mark.slow
def test_a_scene_file_can_be_picked_by_name_and_a_missing_file_is_clear(tmp_path):
    scene = write(tmp_path, "two.py", SCENE_FILE + SCENE_FILE.split("@register")[1].replace(
        "Parabola", "Second").replace('"parabola-test"', '"second"'))
    result = CliRunner().invoke(main, ["scene", f"{scene}:second", "-o", str(tmp_path / "s.gif"), "-q",
                                       "--size", "320x240", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["scene", str(tmp_path / "nope.py")])
    assert result.exit_code == 1 and "does not exist" in result.output


# ---- side by side -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_compare_trains_each_run_and_draws_them_on_one_clock(tmp_path):
    out = tmp_path / "compare.gif"
    result = CliRunner().invoke(main, ["compare", "logistic", "--optimizer", "sgd", "--optimizer", "adam",
                                       "--steps", "40", "--size", "960x540", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "training logistic, SGD, lr 0.02" in result.stderr and "training logistic, Adam, lr 0.02" in result.stderr
    with Image.open(out) as image:
        assert image.size == (960, 540) and image.n_frames > 10
        frames = int(result.stdout.split(": ")[1].split(" frames")[0])
        assert image.n_frames <= frames  # identical frames may merge, never more


def test_the_clock_keeps_every_runs_end_and_each_run_holds_its_last_frame():
    short = record_scene("logistic", seed=0)  # stops after 25
    long = record_scene("logistic", seed=0, optimizer="sgd", steps=300)
    comparison = build([short, long], ["own", "sgd"], frames=50, title="t")
    assert 25 in comparison.clock and 300 in comparison.clock and comparison.clock[0] == 0
    assert np.all(np.diff(comparison.clock) > 0)
    own = comparison.index_of(0)
    assert own(len(comparison) - 1) == len(short) - 1  # ended early: stays on its last snapshot
    for index, step in enumerate(comparison.clock):
        assert short.steps[own(index)] <= step  # never a snapshot from the future
    assert make_clock([short, long], 10).size <= 14


@pytest.mark.parametrize("args, message", [
    (["--lr", "0.1"], "compare needs two or more runs"),
    (["--lr", "0.1", "--lr", "0.2", "--lr", "0.3", "--lr", "0.4", "--optimizer", "sgd", "--optimizer", "adam",
      "--optimizer", "momentum"], "at most 9 runs"),
    (["--optimizer", "rmsprop", "--optimizer", "sgd"], "Invalid value for '--optimizer'"),
])
def test_compare_refuses_what_it_cannot_show(tmp_path, args, message):
    result = CliRunner().invoke(main, ["compare", "logistic", *args, "-o", str(tmp_path / "c.gif")])
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "c.gif").exists()


# ---- notebooks ----------------------------------------------------------------------------------------
def test_written_files_show_themselves_in_a_notebook(tmp_path):
    gif = tmp_path / "a.gif"
    gif.write_bytes(b"GIF89a-not-really")
    html = Written(gif, 1, 0.1, gif.stat().st_size)._repr_html_()
    assert html.startswith('<img src="data:image/gif;base64,')
    assert base64.b64decode(html.split("base64,")[1].split('"')[0]) == gif.read_bytes()
    mp4 = tmp_path / "b.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    video = embed_html(mp4)
    assert video.startswith("<video autoplay loop muted playsinline") and "data:video/mp4;base64," in video


@pytest.mark.slow
def test_a_scene_run_shows_its_animation_and_summary_in_a_notebook(tmp_path):
    import animate

    summary = animate.run_scene("logistic", tmp_path / "l.gif")
    html = summary._repr_html_()
    assert "data:image/gif;base64," in html and f"{summary.written.frames} frames" in html


# ---- the example --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_moons_example_runs(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "moons.py")], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "moons.gif") as image:
        assert image.n_frames > 100


# ---- Lightning ----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_lightning_callback_records_a_lightning_module(tmp_path):
    lightning = pytest.importorskip("lightning", reason="the lightning extra is not installed")
    import animate
    from animate.lightning import AnimateCallback

    torch.manual_seed(0)
    x = torch.linspace(-2, 2, 64).unsqueeze(1)
    y = 3 * x + 1

    class Line(lightning.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(1, 1)

        def training_step(self, batch, batch_idx):
            inputs, targets = batch
            return torch.nn.functional.mse_loss(self.layer(inputs), targets)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

        def forward(self, inputs):
            return self.layer(inputs)

    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
    callback = AnimateCallback(observe=animate.Curve(x_range=(-2, 2)), every=4)
    trainer = lightning.Trainer(max_epochs=5, callbacks=[callback], logger=False, enable_checkpointing=False,
                                enable_progress_bar=False, enable_model_summary=False, default_root_dir=tmp_path)
    trainer.fit(Line(), loader)
    trace = callback.trace(points=(x, y), title="Lightning")
    assert trace.steps[0] == 1 and trace.steps[-1] == 20  # 4 batches × 5 epochs
    assert trace.params["layer.weight"][-1].item() == pytest.approx(3, abs=0.3)
    written = animate.render(trace, tmp_path / "lightning.gif", animate.RenderOptions(motion="steps", captions=False))
    assert written.frames == len(trace)
