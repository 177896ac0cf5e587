"""The command line through click's CliRunner (and once as `python -m animate` in a real process)."""

import dataclasses
import re
import subprocess
import sys

import numpy as np

import pytest
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.scene import scene_names
from animate.trace import Trace


@pytest.fixture
def runner():
    return CliRunner()


def test_list_shows_every_scene_with_its_description_and_blog(runner):
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0
    for name in scene_names():
        assert any(line.startswith(name + " ") for line in result.output.splitlines())
    assert "from blog 000" in result.output and "from blog 001" in result.output


@pytest.mark.slow
def test_scene_writes_name_gif_in_the_current_folder_and_prints_a_summary(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["scene", "logistic"])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "logistic.gif") as image:
        frames = image.n_frames
        assert image.size == (640, 480)
        seconds = 0.0
        for index in range(frames):
            image.seek(index)
            seconds += image.info["duration"] / 1000
    # Story mode: 26 recorded states at logistic's pace (1/8 s each) with in-betweens at 20 fps, time slowed
    # around its events, the untrained model held 1 s and the last frame 1.5 s; the summary says what plays.
    summary = result.stdout.strip().splitlines()[-1]
    match = re.match(r"logistic\.gif: (\d+) frames, ([\d.]+) s, ", summary)
    assert match and int(match.group(1)) > 26 and float(match.group(2)) == pytest.approx(seconds, abs=0.051)
    assert seconds >= 26 / 8 + 2.5
    assert "final loss 0.00857 at iteration 25 (stopped: loss < 0.01)" in summary
    assert "w = -0.9511, b = -0.02908" in summary
    assert 26 < frames <= int(match.group(1))  # the GIF merges a held frame's repeats into one


@pytest.mark.slow
def test_scene_options_reach_training_rendering_and_the_trace(runner, tmp_path):
    out, trace_path = tmp_path / "line.mp4", tmp_path / "line.npz"
    result = runner.invoke(main, [
        "scene", "linear", "-o", str(out), "--steps", "120", "--every", "40", "--lr", "0.002", "--seed", "3",
        "--fps", "12", "--size", "320x240", "--dpi", "50", "--trace", str(trace_path), "--motion", "steps",
        "--no-captions",
    ])
    assert result.exit_code == 0, result.output
    trace = Trace.load(trace_path)
    assert trace.steps.tolist() == [0, 40, 80, 120]
    assert dataclasses.asdict(trace.meta.settings) == {"seed": 3, "lr": 0.002, "steps": 120, "every": 40, "frames": None,
                                      "optimizer": None}
    assert out.stat().st_size > 0 and f"{out}: 4 frames" in result.stdout


@pytest.mark.slow
def test_frames_sets_the_frame_budget(runner, tmp_path):
    out = tmp_path / "f.gif"
    result = runner.invoke(main, ["scene", "mlp", "-o", str(out), "--frames", "30", "--size", "320x240", "--dpi", "50",
                                  "--motion", "steps", "--no-captions"])
    assert result.exit_code == 0, result.output
    assert "30 frames" in result.stdout
    with Image.open(out) as image:
        assert image.n_frames == 30


@pytest.mark.slow
def test_quiet_prints_nothing(runner, tmp_path):
    result = runner.invoke(main, ["scene", "linear", "-o", str(tmp_path / "q.gif"), "--steps", "20", "--quiet"])
    assert result.exit_code == 0
    assert result.output == ""
    assert (tmp_path / "q.gif").exists()


@pytest.mark.slow
def test_progress_goes_to_stderr_not_stdout(runner, tmp_path):
    result = runner.invoke(main, ["scene", "linear", "-o", str(tmp_path / "p.gif"), "--steps", "20"])
    assert "training linear" in result.stderr and "rendering" in result.stderr
    assert result.stdout.count("\n") == 1  # only the summary line


@pytest.mark.parametrize(
    "args, message",
    [
        (["scene", "lineer"], "unknown scene 'lineer': did you mean linear, "),
        (["scene", "lineer"], "valid scenes are linear, linear-autograd, linear-layer, linear-param, logistic, mlp, poly"),
        (["scene", "linear", "-o", "out.avi"], "valid suffixes are .gif, .html, .mp4, .webm, .webp"),
        (["scene", "linear", "-o", "no/such/folder/x.gif"], "output folder 'no/such/folder' does not exist"),
        (["scene", "linear", "--size", "641x480"], "width and height must be even"),
        (["scene", "linear", "--size", "big"], "is not WIDTHxHEIGHT"),
        (["scene", "linear", "--lr", "-1"], "is not a positive number"),
        (["scene", "linear", "--lr", "fast"], "is not a number"),
        (["scene", "linear", "--every", "0"], "0 is not in the range x>=1"),
        (["scene", "linear", "--fps", "0"], "not in the range"),
        (["scene", "linear", "--dpi", "5"], "not in the range"),
        (["scene", "linear", "--fps", "55"], "too fast for a GIF"),
        (["scene", "linear", "--every", "5", "--frames", "10"], "choose frames in two ways: give one"),
        (["scene", "linear", "--frames", "1"], "1 is not in the range 2<=x<=10000"),
        (["scene", "linear", "--frames", "10001"], "10001 is not in the range 2<=x<=10000"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_nonzero_exit(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args + ["--steps", "5"])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert list(tmp_path.iterdir()) == []  # nothing half-written


@pytest.mark.slow
def test_python_dash_m_animate_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "animate", "list"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "logistic" in result.stdout


def test_an_error_does_not_replace_an_existing_output(runner, tmp_path):
    target = tmp_path / "old.gif"
    target.write_bytes(b"keep me")
    result = runner.invoke(main, ["scene", "linear", "-o", str(target), "--steps", "5", "--fps", "55"])
    assert result.exit_code == 1
    assert target.read_bytes() == b"keep me"


@pytest.mark.slow
def test_seed_makes_runs_repeatable_through_the_cli(runner, tmp_path, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        runner.invoke(main, ["scene", "logistic", "-o", "out.gif", "-q"])
    assert (tmp_path / "a" / "out.gif").read_bytes() == (tmp_path / "b" / "out.gif").read_bytes()
    with Image.open(tmp_path / "a" / "out.gif") as image:
        assert not np.array_equal(np.asarray(image.convert("RGB")), 0)
