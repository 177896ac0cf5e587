"""Real faults, for real: signals sent to a real `animate` process, a full file system, closed pipes.

Each test runs `python -m animate` as its own process (in its own session, as a shell would run it)
and checks what a user would: the exit status, the first line of stderr, no traceback, no file left
half-written or changed, and no process left behind (children are found by PID in /proc).
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")]

ANIMATE = [sys.executable, "-m", "animate"]
# Long enough to be caught in the act: 300 frames drawn by worker processes.
LONG_RENDER = ["scene", "linear", "--steps", "3000", "--frames", "300", "--size", "320x240", "--dpi", "50"]


def start(args, cwd, **options):
    """`animate ARGS` in its own session (so that a signal to its group reaches what a terminal's would)."""
    return subprocess.Popen(ANIMATE + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, **options)


def wait_for(condition, timeout=120.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def children(pid: int) -> set:
    """The PIDs of a process's children (all its threads'), and theirs, now."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except OSError:
            pass
    for child in list(found):
        found |= children(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie, dead and waiting to be reaped, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def stderr_so_far(process, seen: list) -> str:
    """Read what ``process`` has written to stderr so far, without blocking."""
    os.set_blocking(process.stderr.fileno(), False)
    chunk = process.stderr.read()
    if chunk:
        seen.append(chunk)
    return b"".join(seen).decode(errors="replace")


def until_rendering(process, seen: list) -> None:
    wait_for(lambda: "rendering" in stderr_so_far(process, seen) or process.poll() is not None,
             what="rendering to start")
    assert process.poll() is None, stderr_so_far(process, seen)


def finish(process, seen: list, timeout=60):
    process.wait(timeout=timeout)
    os.set_blocking(process.stderr.fileno(), True)
    rest = process.stderr.read()
    return process.returncode, (b"".join(seen) + rest).decode(errors="replace")


def files_in(folder: Path) -> list:
    return sorted(p.name for p in folder.iterdir())


# ---- 1. no process outlives its parent ----------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_sigkill_mid_render_leaves_no_worker_and_no_ffmpeg(tmp_path, suffix):
    process = start(LONG_RENDER + ["-o", f"out{suffix}"], tmp_path)
    seen = []
    until_rendering(process, seen)
    wait_for(lambda: len(children(process.pid)) >= 2, what="the worker processes")
    workers = children(process.pid)
    process.kill()
    process.wait(timeout=30)
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10, what="the workers to end")
    assert not (tmp_path / f"out{suffix}").exists()


# ---- 2. SIGTERM and SIGHUP stop it like Ctrl-C --------------------------------------------------------

@pytest.mark.parametrize("number, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_stop_signal_while_rendering_leaves_nothing(tmp_path, number, status):
    (tmp_path / "out.gif").write_bytes(b"the user's file")
    process = start(LONG_RENDER + ["-o", "out.gif", "--poster"], tmp_path)
    seen = []
    until_rendering(process, seen)
    workers = children(process.pid)
    process.send_signal(number)
    code, stderr = finish(process, seen)
    assert code == status, stderr
    assert "Traceback" not in stderr and f"{signal.Signals(number).name}: nothing was written." in stderr
    assert files_in(tmp_path) == ["out.gif"] and (tmp_path / "out.gif").read_bytes() == b"the user's file"
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10, what="the workers to end")


def test_sigterm_while_training_stops_without_rendering(tmp_path):
    process = start(["scene", "linear", "--steps", "2000000", "-o", "out.gif"], tmp_path)
    seen = []
    wait_for(lambda: "training linear" in stderr_so_far(process, seen), what="training to start")
    process.terminate()
    code, stderr = finish(process, seen)
    assert code == 143 and "Traceback" not in stderr and "rendering" not in stderr
    assert files_in(tmp_path) == []


def test_ctrl_c_while_starting_exits_130_quietly(tmp_path):
    process = start(["scene", "logistic", "-o", "out.gif"], tmp_path)
    maps = Path(f"/proc/{process.pid}/maps")

    def importing_torch():
        try:
            return "torch" in maps.read_text()
        except OSError:
            return process.poll() is not None

    wait_for(importing_torch, what="torch to start loading")
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    code, stderr = finish(process, [])
    assert code == 130, stderr
    assert "Aborted!" not in stderr and "Traceback" not in stderr
    assert files_in(tmp_path) == []


# ---- 3. the gallery is all or nothing -----------------------------------------------------------------

def test_an_interrupted_gallery_leaves_the_old_one_and_no_staging_folder(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "logistic.gif").write_bytes(b"old gif")
    (site / "index.html").write_text("old page")
    readme = tmp_path / "README.md"
    readme.write_text("<!-- gallery:start (made by `animate gallery --readme README.md`; edits here are "
                      "overwritten) -->\nold\n<!-- gallery:end -->\n")
    before = {path: path.read_bytes() for path in [*site.iterdir(), readme]}
    process = start(["gallery", "-o", "site", "--scene", "logistic", "--scene", "linear", "--readme", "README.md"],
                    tmp_path)
    staged = lambda: [p for p in tmp_path.glob(".site.staging-*/*.gif")]  # noqa: E731
    wait_for(lambda: staged() or process.poll() is not None, what="a first card in the staging folder")
    assert process.poll() is None
    os.killpg(process.pid, signal.SIGINT)
    code, stderr = finish(process, [])
    assert code == 130 and "Traceback" not in stderr, stderr
    assert {path: path.read_bytes() for path in [*site.iterdir(), readme]} == before
    assert files_in(tmp_path) == ["README.md", "site"]  # no staging folder left
    in_session = lambda: subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True,  # noqa: E731
                                        text=True).stdout.split()
    wait_for(lambda: not in_session(), timeout=10, what="every process of its session to end")


def test_a_gallery_with_a_missing_readme_fails_before_rendering(tmp_path):
    result = subprocess.run(ANIMATE + ["gallery", "-o", "site", "--readme", "NOPE.md"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stderr.startswith("Error: README 'NOPE.md' does not exist")
    assert files_in(tmp_path) == []


# ---- 4. checked before training ------------------------------------------------------------------------

def test_an_ffmpeg_that_does_not_run_is_found_before_training(tmp_path):
    broken = tmp_path / "ffmpeg"
    broken.write_bytes(b"\x7fELF this is not a program")
    broken.chmod(0o755)
    (tmp_path / "work").mkdir()
    environment = {**os.environ, "IMAGEIO_FFMPEG_EXE": str(broken)}
    result = subprocess.run(ANIMATE + ["scene", "linear", "-o", "x.mp4"], cwd=tmp_path / "work", env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "training" not in result.stderr
    assert result.stderr.startswith("Error: MP4 output needs ffmpeg, but ") and "does not run" in result.stderr
    assert files_in(tmp_path / "work") == []


def test_an_ffmpeg_that_fails_while_encoding_is_reported_in_one_line(tmp_path):
    real = subprocess.run([sys.executable, "-c", "import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())"],
                          capture_output=True, text=True).stdout.strip()
    script = tmp_path / "ffmpeg"
    script.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        case "$*" in *-version*) exec {real} "$@";; esac
        echo "Unknown encoder 'libx264'" >&2
        exit 1
    """))
    script.chmod(0o755)
    (tmp_path / "work").mkdir()
    environment = {**os.environ, "IMAGEIO_FFMPEG_EXE": str(script)}
    result = subprocess.run(ANIMATE + ["scene", "logistic", "-o", "x.mp4", "-q"], cwd=tmp_path / "work",
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: ffmpeg") and "Unknown encoder" in result.stderr
    assert "Traceback" not in result.stderr and files_in(tmp_path / "work") == []


@pytest.mark.parametrize("name, message", [
    ("x" * 240 + ".gif", "is too long for its folder's file system"),
    (os.fsdecode(b"caf\xe9.gif"), "is not a valid UTF-8 file name"),
])
def test_names_the_file_system_would_refuse_are_refused_before_training(tmp_path, name, message):
    result = subprocess.run(ANIMATE + ["scene", "linear", "-o", os.fsencode(name)], cwd=tmp_path,
                            capture_output=True, timeout=60)
    stderr = result.stderr.decode(errors="replace")
    assert result.returncode == 1 and message in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1 and "training" not in stderr
    assert files_in(tmp_path) == []


# ---- 6. memory bounded by what can be seen -------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--frames", "10000000"], "not in the range 2<=x<=10000"),
    (["--every", "1", "--steps", "10000000"], "makes 10,000,001 frames: an animation takes at most 10,000"),
    (["--size", "4096x4096", "--scale", "2"], "frames hold at most 4096 a side"),
])
def test_requests_beyond_what_anyone_can_watch_are_refused_at_once(tmp_path, args, message):
    started = time.monotonic()
    result = subprocess.run(ANIMATE + ["scene", "linear", *args], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode in (1, 2) and message in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 30 and files_in(tmp_path) == []


# ---- 7. output streams and a full disk -----------------------------------------------------------------

def test_a_reader_that_closes_the_pipe_early_gets_no_traceback():
    process = subprocess.Popen(ANIMATE + ["list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()
    process.wait(timeout=60)
    stderr = process.stderr.read().decode()
    assert "Traceback" not in stderr and "Exception ignored" not in stderr and stderr == ""
    assert process.returncode in (0, 141)  # 0 when all of it fitted in the pipe before it closed


def test_version_to_a_closed_pipe_exits_141_like_every_other_command():
    reader, writer = os.pipe()
    os.close(reader)  # closed before animate starts: its one line meets a closed pipe for sure
    result = subprocess.run(ANIMATE + ["--version"], stdout=writer, stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(writer)
    assert result.returncode == 141 and result.stderr == ""


def test_a_full_stdout_is_one_line():
    with open("/dev/full", "w") as full:
        result = subprocess.run(ANIMATE + ["list"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == "Error: could not write to standard output: No space left on device\n"


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KiB file system (tmpfs), or a skip where this machine cannot mount one (not root)."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_a_full_disk_names_the_file_that_did_not_fit(full_disk, tmp_path, suffix):
    (full_disk / "keep.txt").write_text("the user's file")
    target = str(full_disk / f"out{suffix}")
    result = subprocess.run(ANIMATE + ["scene", "linear", "--steps", "300", "-q", "-o", target],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    line = result.stderr.strip()
    assert line == f"Error: could not write '{full_disk / f'out{suffix}'}': No space left on device", line
    assert "reinstall" not in line  # not blamed on ffmpeg
    assert files_in(full_disk) == ["keep.txt"]


# ---- 8. a loss that is not finite at the start ---------------------------------------------------------

def test_a_loss_not_finite_at_step_0_says_so(tmp_path):
    (tmp_path / "nan.py").write_text(textwrap.dedent("""\
        import torch

        from animate.observe import Curve
        from animate.scene import Defaults, Scene, Setup


        class NotANumber(Scene):
            name = "nan"
            defaults = Defaults(lr=0.1, steps=10)

            def build(self, lr):
                x = torch.linspace(0, 1, 10).unsqueeze(1)
                model = torch.nn.Linear(1, 1)
                return Setup(model=model, loss=lambda: (model(x) * float("nan")).mean(),
                             optimizer=torch.optim.SGD(model.parameters(), lr=lr),
                             observe=Curve(x_range=(0, 1)), points=(x, x))
    """))
    result = subprocess.run(ANIMATE + ["scene", "nan.py", "-q"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: the loss was not finite at step 0 (nan)"), result.stderr
    assert files_in(tmp_path) == ["nan.py"]


def test_a_closed_or_full_stderr_does_not_stop_the_work(tmp_path):
    with open("/dev/full", "w") as full:
        result = subprocess.run(ANIMATE + ["scene", "logistic", "-o", "out.gif"], cwd=tmp_path, stdout=subprocess.PIPE,
                                stderr=full, text=True, timeout=120)
    assert result.returncode == 0 and (tmp_path / "out.gif").stat().st_size > 0
    assert result.stdout.startswith("out.gif: ")


def test_help_to_a_full_stdout_is_one_line():
    with open("/dev/full", "w") as full:
        result = subprocess.run(ANIMATE + ["scene", "--help"], stdout=full, stderr=subprocess.PIPE, text=True,
                                timeout=60)
    assert result.returncode == 1
    assert result.stderr == "Error: could not write to standard output: No space left on device\n"


def test_a_gallery_whose_readme_cannot_be_written_changes_nothing(full_disk, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old page")
    readme = full_disk / "README.md"
    readme.write_text("<!-- gallery:start (made by `animate gallery --readme README.md`; edits here are "
                      "overwritten) -->\nold\n<!-- gallery:end -->\n" + "x" * 8_000)
    # The rest of the disk: no room for a new README. Unbuffered, so that closing has nothing left to flush.
    with open(full_disk / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 1024)
        except OSError:
            pass
    before = readme.read_bytes()
    result = subprocess.run(ANIMATE + ["gallery", "-o", str(site), "--readme", str(readme), "--scene", "logistic",
                                       "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert readme.read_bytes() == before
    assert sorted(p.name for p in site.iterdir()) == ["index.html"] and (site / "index.html").read_text() == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "small"]
