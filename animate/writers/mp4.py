"""MP4 (H.264, yuv420p) through the ffmpeg binary that the imageio-ffmpeg wheel carries.

imageio-ffmpeg provides the binary (no system ffmpeg is needed); this module runs it itself, so that
it can stop it at once and report its errors in one line.
"""

from __future__ import annotations

import errno
import os
import signal
import shutil
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ..errors import AnimateError
from ..options import RenderOptions
from ..lifeline import ffmpeg_preexec
from ..signals import signals_deferred
from .registry import register_writer, require_resolved

# Near-lossless for flat plots, small for them too; "+faststart" lets a browser play before the end.
CODEC_ARGS = ["-preset", "medium", "-crf", "20", "-movflags", "+faststart"]


FIX = ("reinstall the bundled one with: pip install --force-reinstall imageio-ffmpeg "
       "(or point IMAGEIO_FFMPEG_EXE at a working ffmpeg)")


def ffmpeg_executable() -> str:
    """The ffmpeg that imageio-ffmpeg provides; a clear :class:`AnimateError` when there is none."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise AnimateError("MP4 output needs imageio-ffmpeg: pip install imageio-ffmpeg") from None
    try:
        path = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        raise AnimateError(f"MP4 output needs ffmpeg and none was found: {FIX}") from None
    found = shutil.which(path)
    if found is None:
        raise AnimateError(f"MP4 output needs ffmpeg, but {path!r} is missing or not executable: {FIX}")
    return found


_RUNS: dict = {}  # ffmpeg found to run, by (path, size, modification time): checked once per process


def check_ffmpeg_runs() -> str:
    """The ffmpeg to use, once it has answered ``-version`` (a corrupt binary fails here, not after training)."""
    path = ffmpeg_executable()
    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns)
    if key not in _RUNS:
        try:
            result = subprocess.run([path, "-hide_banner", "-version"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise AnimateError(f"MP4 output needs ffmpeg, but {path!r} does not run: {reason}; {FIX}") from None
        if result.returncode != 0 or b"ffmpeg version" not in result.stdout:
            said = (result.stderr or result.stdout).decode(errors="replace").strip().splitlines()
            reason = said[-1] if said else f"it exited with status {result.returncode}"
            raise AnimateError(f"MP4 output needs ffmpeg, but {path!r} does not run: {reason}; {FIX}")
        _RUNS[key] = path
    return _RUNS[key]


@register_writer
class Mp4Writer:
    """Streams frames into ffmpeg as raw RGB; the last frame is repeated to hold it at the end.

    ffmpeg runs as a child process fed through a pipe; what it prints goes to a temporary file, so
    that a failure can be reported in one line with ffmpeg's own reason.
    """

    suffix = ".mp4"
    samples_wanted = 0

    @staticmethod
    def check(options: RenderOptions) -> None:
        """Raise :class:`AnimateError` now, before any work, if there is no working ffmpeg to encode with."""
        check_ffmpeg_runs()

    def __init__(self, path: str | Path, options: RenderOptions, sample: Iterable[np.ndarray] = (),
                 colours: Optional[np.ndarray] = None, comment: Optional[str] = None, count: Optional[int] = None):
        """``sample``, ``colours`` and ``count`` are hints that a video encoder has no use for; ``comment``
        is stored as the file's ``comment`` metadata."""
        require_resolved(options, "Mp4Writer")
        executable = ffmpeg_executable()
        self.path = Path(path)
        self.options = options
        self.frames_written = 0
        self.duration = 0.0
        self._last: Optional[np.ndarray] = None
        width, height = options.size
        rate = Fraction(options.fps).limit_denominator(1001)
        command = [
            executable, "-y", "-loglevel", "error", "-f", "rawvideo", "-vcodec", "rawvideo",
            "-s", f"{width}x{height}", "-pix_fmt", "rgb24", "-r", str(rate), "-i", "-", "-an",
            "-vcodec", "libx264", "-pix_fmt", "yuv420p", *CODEC_ARGS,
            *(["-metadata", f"comment={comment}"] if comment else []), str(self.path),
        ]
        self._log = tempfile.TemporaryFile()
        try:
            # Its own process group: a Ctrl-C in the terminal stops animate, which then stops ffmpeg;
            # and if animate is killed outright, the kernel ends ffmpeg too. A signal while it starts is
            # held until this writer can stop it (else ffmpeg would live on and write a file).
            with signals_deferred():
                self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                                 stderr=self._log, start_new_session=True,
                                                 preexec_fn=ffmpeg_preexec(os.getpid()))
        except OSError as error:
            self._log.close()
            raise AnimateError(f"ffmpeg ({executable}) could not start: {error.strerror or error}; {FIX}") from None
        except BaseException:
            if hasattr(self, "_process"):
                self.abort()
            raise

    def write(self, frame: np.ndarray) -> None:
        """Add one RGB ``uint8`` frame of the options' size."""
        width, height = self.options.size
        if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
            raise AnimateError(f"frame of shape {frame.shape} {frame.dtype}, expected ({height}, {width}, 3) uint8")
        first = self._last is None
        self._send(frame)
        if first:  # the untrained model, held (the video has one rate, so the frame is repeated)
            for _ in range(round(self.options.hold_first * self.options.fps)):
                self._send(frame)
        self._last = frame

    def close(self) -> None:
        """Hold the last frame, then let ffmpeg finish the file."""
        if self._last is None:
            self.abort()
            raise AnimateError("no frames were written to the MP4")
        for _ in range(round(self.options.hold_last * self.options.fps)):
            self._send(self._last)
        try:
            self._process.stdin.close()
        except OSError:
            pass  # ffmpeg already gone: its exit status says why
        if self._process.wait() != 0:
            self._raise_for_space()
            raise AnimateError(f"ffmpeg failed to finish the MP4: {self._reason()}; {FIX}")
        self._log.close()

    def abort(self) -> None:
        """Stop ffmpeg (and anything it started: its whole process group) without finishing; the caller
        removes the incomplete file."""
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except OSError:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._log):
            try:
                stream.close()
            except OSError:
                pass

    def _send(self, frame: np.ndarray) -> None:
        try:
            self._process.stdin.write(np.ascontiguousarray(frame).tobytes())
        except (BrokenPipeError, ValueError, OSError):
            self._process.wait()
            self._raise_for_space()
            raise AnimateError(f"ffmpeg stopped while writing the MP4: {self._reason()}; {FIX}") from None
        self.frames_written += 1
        self.duration = self.frames_written / self.options.fps

    def _raise_for_space(self) -> None:
        """A full disk or a folder gone is the file's trouble, not ffmpeg's: say so (as an OSError, for the
        caller to name the file)."""
        if "No space left on device" in self._reason(last_only=False):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if not self.path.parent.is_dir():
            raise OSError(errno.ENOENT, "its folder was removed while it was written")

    def _reason(self, last_only: bool = True) -> str:
        self._log.seek(0)
        lines = [line.strip() for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]
        code = self._process.returncode
        if not last_only:
            return "\n".join(lines)
        return lines[-1] if lines else f"it exited with status {code}"
