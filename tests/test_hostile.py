"""What a hostile tester found, kept found: each of these once lost data, hid an error or left a process."""

import os
import signal
import stat
import textwrap

import numpy as np
import pytest
from click.testing import CliRunner

from animate.cli import main
from animate.errors import AnimateError
from animate.signals import Terminated, signals_deferred, terminate_on_signals
from animate.trace import Trace


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.output, result.output
    return lines[0]


def test_outputs_that_are_links_or_devices_are_refused_not_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real.gif").write_bytes(b"the user's file")
    (tmp_path / "link.gif").symlink_to(tmp_path / "real.gif")
    line = one_error_line(invoke("scene", "logistic", "-q", "-o", "link.gif"))
    assert "is a symbolic link" in line
    assert (tmp_path / "link.gif").is_symlink() and (tmp_path / "real.gif").read_bytes() == b"the user's file"
    line = one_error_line(invoke("scene", "logistic", "-q", "-o", "x.gif", "--trace", "/dev/null"))
    assert "'/dev/null' is not a regular file" in line
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # still the device
    os.mkfifo(tmp_path / "pipe.gif")
    assert "not a regular file" in one_error_line(invoke("scene", "logistic", "-q", "-o", "pipe.gif"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.gif", "pipe.gif", "real.gif"]


def test_render_refuses_to_write_over_the_trace_it_reads(tmp_path, monkeypatch, logistic_trace):
    monkeypatch.chdir(tmp_path)
    logistic_trace.save("run.json")  # a trace under a name its provenance sidecar would take
    before = (tmp_path / "run.json").read_bytes()
    line = one_error_line(invoke("render", "run.json", "-q"))
    assert "is the file this job reads" in line
    logistic_trace.save("shot.png")
    assert "is the file this job reads" in one_error_line(invoke("render", "shot.png", "--poster", "-q"))
    assert (tmp_path / "run.json").read_bytes() == before and Trace.load("run.json")


def test_words_too_long_and_frames_too_many_are_refused(logistic_trace):
    parts = dict(painter=logistic_trace.painter, steps=logistic_trace.steps, loss=logistic_trace.loss,
                 params=logistic_trace.params, outputs=logistic_trace.outputs, static=logistic_trace.static)
    with pytest.raises(AnimateError, match="title is 300 characters long"):
        Trace(**parts, meta=logistic_trace.meta.replace(title="x" * 300))
    with pytest.raises(AnimateError, match="at most 200"):
        from animate.options import RenderOptions

        RenderOptions(title="y" * 201)
    count = 10_001
    with pytest.raises(AnimateError, match="10,001 snapshots: an animation shows at most 10,000"):
        Trace(painter="history", steps=np.arange(count), loss=np.ones(count))


def test_infinite_probabilities_are_refused(logistic_trace):
    prob = logistic_trace.outputs["prob"].copy()
    prob[3, 5, 5] = np.inf
    with pytest.raises(AnimateError, match="NaN or infinity"):
        Trace(painter="boundary", steps=logistic_trace.steps, loss=logistic_trace.loss, params=logistic_trace.params,
              outputs={"prob": prob}, static=logistic_trace.static, meta=logistic_trace.meta)


def test_a_gallery_file_name_taken_by_a_folder_fails_before_rendering(tmp_path):
    (tmp_path / "site" / "logistic.png").mkdir(parents=True)
    (tmp_path / "site" / "logistic.png" / "keep").write_text("x")
    (tmp_path / "site" / "index.html").write_text("old page")
    line = one_error_line(invoke("gallery", "-o", str(tmp_path / "site"), "--scene", "logistic", "-q"))
    assert "logistic.png' is a folder" in line
    assert (tmp_path / "site" / "index.html").read_text() == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder


def test_sys_exit_in_a_scene_file_is_the_files_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leaves.py").write_text(textwrap.dedent("""\
        import sys

        from animate.scene import Defaults, Scene


        class Leaves(Scene):
            name = "leaves"
            defaults = Defaults(lr=0.1, steps=5)

            def build(self, lr):
                sys.exit(3)
    """))
    line = one_error_line(invoke("scene", "leaves.py", "-q"))
    assert "leaves.py" in line and "line 11" in line and "called sys.exit(3)" in line


def test_a_signal_held_while_files_are_put_in_place_acts_after_and_says_they_were_written():
    previous = terminate_on_signals()
    done = []
    try:
        with pytest.raises(Terminated) as stopped:
            with signals_deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                done.append("the block finished first")
        assert done == ["the block finished first"] and stopped.value.written
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
