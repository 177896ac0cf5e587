"""Never lose the user's work: divergence, Ctrl-C, determinism, a missing encoder, unwritable places.

Signals are sent to real `animate` processes; everything else goes through click's CliRunner.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.options import RenderOptions
from animate.train import record_scene
from animate.drawing import Renderer
from animate.drawing.panel import ending_lines

ANIMATE = [sys.executable, "-m", "animate"]


def leftovers(folder: Path) -> list:
    """Partial files an interrupted or failed write might have left behind."""
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


# ---- divergence ---------------------------------------------------------------------------------------
def test_a_diverging_run_stops_at_the_first_non_finite_loss_and_says_so():
    trace = record_scene("linear-autograd", seed=10, lr=0.1)
    diverged_at = trace.meta.ending.diverged_at
    assert diverged_at is not None and 10 < diverged_at < 1000
    assert np.all(np.isfinite(trace.loss)) and trace.steps[-1] == diverged_at - 1  # the last finite state
    assert trace.loss[-1] > 1e30  # it really was running away
    for values in (*trace.params.values(), *trace.outputs.values()):
        assert np.all(np.isfinite(values))


def test_a_diverged_animation_keeps_sensible_axes_and_marks_the_divergence():
    trace = record_scene("linear-autograd", seed=10, lr=0.1)
    renderer = Renderer(trace, RenderOptions())
    data = np.concatenate([trace.static["points_y"], trace.static["truth_y"]])  # what the limits follow
    low, high = renderer.panel.ax.get_ylim()
    span = data.max() - data.min()
    assert data.min() - 1.2 * span <= low and high <= data.max() + 1.2 * span  # data-driven, not 1e19
    assert ending_lines(trace, len(trace) - 1) == [
        f"diverged at iteration {trace.meta.ending.diverged_at:,}: the loss became ∞ or nan"]
    last = renderer.frame(len(trace) - 1)
    header = last[:50, 320:]
    vermillion = np.all(np.abs(header.astype(int) - [0xD5, 0x5E, 0x00]) < 40, axis=2)
    assert vermillion.sum() > 100  # the warning is drawn, in the warning colour


@pytest.mark.slow
def test_the_cli_reports_divergence_and_still_writes_a_valid_file(tmp_path):
    out = tmp_path / "diverged.gif"
    result = CliRunner().invoke(main, ["scene", "linear-autograd", "--lr", "0.1", "--seed", "10", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "diverged at iteration" in result.stdout and "the loss was no longer finite" in result.stdout
    with Image.open(out) as image:
        assert image.n_frames > 10


# ---- Ctrl-C -------------------------------------------------------------------------------------------
class Running:
    """A real `animate` process whose stderr is read as it comes, to act at the right moment."""

    def __init__(self, args, cwd):
        self.process = subprocess.Popen(ANIMATE + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.stderr = []
        self._reader = threading.Thread(target=lambda: self.stderr.extend(iter(self.process.stderr.readline, "")),
                                        daemon=True)
        self._reader.start()

    def wait_for(self, text, seconds=120):
        """Block until ``text`` shows on stderr (click prints a progress bar's label when it starts)."""
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.stderr):
            assert self.process.poll() is None, f"exited before {text!r}: {''.join(self.stderr)}"
            assert time.monotonic() < deadline, f"no {text!r} within {seconds} s"
            time.sleep(0.05)

    def interrupt(self):
        self.process.send_signal(signal.SIGINT)

    def finish(self, seconds=120):
        stdout = self.process.stdout.read()
        self.process.wait(timeout=seconds)
        self._reader.join(timeout=5)
        return stdout, "".join(self.stderr)


@pytest.mark.slow
def test_ctrl_c_during_training_writes_the_frames_recorded_so_far(tmp_path):
    run = Running(["scene", "linear-param", "--steps", "10000000", "-o", "out.gif"], tmp_path)
    run.wait_for("training linear-param")
    time.sleep(1)  # a second of training: some frames recorded
    run.interrupt()
    stdout, stderr = run.finish()
    assert run.process.returncode == 0, stderr
    assert "Interrupted at step" in stderr and "Traceback" not in stderr
    assert "interrupted at epoch" in stdout
    with Image.open(tmp_path / "out.gif") as image:
        assert image.n_frames > 5
        image.seek(image.n_frames - 1)
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_a_second_ctrl_c_stops_at_once_and_writes_nothing(tmp_path):
    before = b"an animation the user already had"
    (tmp_path / "out.gif").write_bytes(before)
    run = Running(["scene", "linear-param", "--steps", "10000000", "--size", "1920x1080", "--frames", "400",
                   "-o", "out.gif"], tmp_path)
    run.wait_for("training linear-param")
    time.sleep(1)
    run.interrupt()
    run.wait_for("rendering")  # large frames: rendering takes a while
    run.interrupt()
    _, stderr = run.finish(seconds=60)
    assert run.process.returncode == 130
    assert "Interrupted: nothing was written." in stderr and "Traceback" not in stderr
    assert (tmp_path / "out.gif").read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_ctrl_c_while_rendering_a_trace_leaves_no_file(tmp_path):
    record_scene("linear", seed=0, frames=300).save(tmp_path / "run.npz")
    run = Running(["render", "run.npz", "--size", "1920x1080", "-o", "out.mp4"], tmp_path)
    run.wait_for("rendering")
    run.interrupt()
    _, stderr = run.finish(seconds=60)
    assert run.process.returncode == 130 and "Traceback" not in stderr
    assert not (tmp_path / "out.mp4").exists() and leftovers(tmp_path) == []


# ---- determinism --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_same_command_writes_identical_files(tmp_path, monkeypatch):
    runner = CliRunner()
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        seed = "4" if name == "c" else "3"
        result = runner.invoke(main, ["scene", "mlp", "--seed", seed, "--frames", "80", "-o", "out.gif", "--trace", "run.npz",
                                     "-q"])
        assert result.exit_code == 0, result.output
    a, b, c = (tmp_path / name for name in ("a", "b", "c"))
    for file in ("out.gif", "run.npz", "out.json"):  # 80 frames drawn by workers; provenance included
        assert (a / file).read_bytes() == (b / file).read_bytes(), file
    assert (c / "out.gif").read_bytes() != (a / "out.gif").read_bytes()


# ---- a missing or failing encoder ---------------------------------------------------------------------
def run_with_ffmpeg(executable, tmp_path, args):
    environment = {**os.environ, "IMAGEIO_FFMPEG_EXE": str(executable)}
    return subprocess.run(ANIMATE + args, cwd=tmp_path, env=environment, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.slow
def test_mp4_without_ffmpeg_fails_before_training_with_a_fix(tmp_path):
    result = run_with_ffmpeg(tmp_path / "no-such-ffmpeg", tmp_path, ["scene", "logistic", "-o", "x.mp4"])
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: MP4 output needs ffmpeg, but ")
    assert "pip install --force-reinstall imageio-ffmpeg" in lines[0]
    assert "training" not in result.stderr and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_an_ffmpeg_that_fails_gives_a_clear_error_and_no_file(tmp_path):
    broken = tmp_path / "ffmpeg"
    broken.write_text("#!/bin/sh\necho 'this ffmpeg is broken' >&2\nexit 1\n")
    broken.chmod(0o755)
    (tmp_path / "work").mkdir()
    result = run_with_ffmpeg(broken, tmp_path / "work", ["scene", "logistic", "-o", "x.mp4", "-q"])
    assert result.returncode == 1, result.stderr
    # Found before training, by asking it for its version, with its own words in the one line.
    assert result.stderr.startswith("Error: MP4 output needs ffmpeg, but ") and "Traceback" not in result.stderr
    assert "does not run: this ffmpeg is broken" in result.stderr and "training" not in result.stderr
    assert list((tmp_path / "work").iterdir()) == []  # no fallback to another format, no partial file


# ---- unwritable places and broken traces --------------------------------------------------------------
@pytest.mark.slow
def test_an_unwritable_place_is_a_clear_error(tmp_path):
    target = "/proc/animate-test.gif"  # exists as a folder, refuses new files even to root
    result = CliRunner().invoke(main, ["scene", "logistic", "-o", target, "-q"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "/proc" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "does not exist"),
    (lambda p: p.write_bytes(b"not a zip at all"), "is not a readable animate trace"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "is not a readable animate trace"),
])
def test_render_refuses_files_that_are_not_traces(tmp_path, make, message):
    path = tmp_path / "run.npz"
    make(path)
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "out.gif")])
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "out.gif").exists()


@pytest.mark.slow
def test_render_replays_a_trace_at_another_size_and_format(tmp_path):
    record_scene("logistic", seed=0).save(tmp_path / "run.npz")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "run.npz"), "-o", str(tmp_path / "big.mp4"),
                                       "--size", "960x720", "--motion", "steps", "--no-captions"])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'big.mp4'}: 26 frames" in result.stdout


# ---- long runs stay small -----------------------------------------------------------------------------
@pytest.mark.slow
def test_a_long_run_keeps_a_small_trace(tmp_path):
    trace = record_scene("linear-param", seed=0)  # 20000 epochs
    trace.save(tmp_path / "long.npz")
    assert len(trace) == 200
    assert (tmp_path / "long.npz").stat().st_size < 100_000
