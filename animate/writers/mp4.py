"""Video through the ffmpeg binary that the imageio-ffmpeg wheel carries: :class:`VideoWriter`, and MP4
(H.264, yuv420p) as its first format (WebM and animated WebP are in :mod:`.webm`).

imageio-ffmpeg provides the binary (no system ffmpeg is needed); this module runs it itself, so that
it can stop it at once and report its errors in one line. Chapters, when asked for, are added by a
second, copying pass once the video is complete (only then is its end known).
"""

from __future__ import annotations

import errno
import math
import os
import signal
import shutil
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from ..errors import AnimateError
from ..options import RenderOptions
from ..lifeline import ffmpeg_preexec
from ..signals import signals_deferred
from .registry import register_writer, require_resolved

# Near-lossless for flat plots, small for them too; "+faststart" lets a browser play before the end.
CODEC_ARGS = ["-preset", "medium", "-crf", "20", "-movflags", "+faststart"]

# The chapters pass copies the encoded video as it is (no second encoding: fast, and no loss); the
# index is moved to the front again, as the first pass had it.
REMUX_ARGS = ["-map", "0", "-map_metadata", "0", "-map_chapters", "1", "-c", "copy", "-movflags", "+faststart",
              "-f", "mp4"]

CHAPTER_TIMEBASE = 1000  # chapter times are written in milliseconds: well within a frame at any rate


FIX = ("reinstall the bundled one with: pip install --force-reinstall imageio-ffmpeg "
       "(or point IMAGEIO_FFMPEG_EXE at a working ffmpeg)")


def ffmpeg_executable(what: str = "MP4 output") -> str:
    """The ffmpeg that imageio-ffmpeg provides; a clear :class:`AnimateError` when there is none."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise AnimateError(f"{what} needs imageio-ffmpeg: pip install imageio-ffmpeg") from None
    try:
        path = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        raise AnimateError(f"{what} needs ffmpeg and none was found: {FIX}") from None
    found = shutil.which(path)
    if found is None:
        raise AnimateError(f"{what} needs ffmpeg, but {path!r} is missing or not executable: {FIX}")
    return found


_RUNS: dict = {}  # ffmpeg found to run, by (path, size, modification time): checked once per process


def check_ffmpeg_runs(what: str = "MP4 output") -> str:
    """The ffmpeg to use, once it has answered ``-version`` (a corrupt binary fails here, not after training)."""
    path = ffmpeg_executable(what)
    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns)
    if key not in _RUNS:
        try:
            result = subprocess.run([path, "-hide_banner", "-version"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise AnimateError(f"{what} needs ffmpeg, but {path!r} does not run: {reason}; {FIX}") from None
        if result.returncode != 0 or b"ffmpeg version" not in result.stdout:
            said = (result.stderr or result.stdout).decode(errors="replace").strip().splitlines()
            reason = said[-1] if said else f"it exited with status {result.returncode}"
            raise AnimateError(f"{what} needs ffmpeg, but {path!r} does not run: {reason}; {FIX}")
        _RUNS[key] = path
    return _RUNS[key]


def checked_chapters(chapters: Iterable[tuple[float, str]]) -> tuple[tuple[float, str], ...]:
    """``chapters`` as a tuple of ``(start in seconds, title)``; ``ValueError`` unless every start is a
    finite time, not negative and later than the one before, and every title is text.

    The caller builds chapters from its own frame times, so a bad list is a programming error, raised
    when the writer is made rather than when the video is already encoded.
    """
    checked: list[tuple[float, str]] = []
    for start, title in chapters:
        start = float(start)
        if not math.isfinite(start) or start < 0:
            raise ValueError(f"chapter {title!r} starts at {start}: give a time in seconds from 0 on")
        if checked and start <= checked[-1][0]:
            raise ValueError(f"chapter {title!r} starts at {start:g} s, not after {checked[-1][1]!r} at "
                             f"{checked[-1][0]:g} s: give chapters in time order")
        if not isinstance(title, str):
            raise ValueError(f"chapter title {title!r} is not text")
        checked.append((start, title))
    return tuple(checked)


def escape_ffmetadata(text: str) -> str:
    """``text`` as a value of ffmpeg's FFMETADATA format: ``=``, ``;``, ``#``, ``\\`` and line ends escaped
    with a backslash."""
    # A NUL cannot be stored (ffmpeg keeps text as C strings), and would end the value there: left out.
    escaped = "".join("\\" + char if char in "=;#\\\n\r" else char for char in text.replace("\0", ""))
    if escaped.endswith("\\"):
        # ffmpeg's reader takes any line end after a backslash as escaped, even when that backslash was
        # itself escaped: a title ending in one would run on into the next line. A NUL after it ends the
        # line for the reader, and being the end of a C string, it is not part of the title.
        escaped += "\0"
    return escaped


def ffmetadata_chapters(chapters: Sequence[tuple[float, str]], duration: float) -> Optional[bytes]:
    """An FFMETADATA file (UTF-8) holding ``chapters`` of a video ``duration`` seconds long: each runs
    until the next starts, the last until the end. ``None`` when no chapter starts inside the video."""
    end = round(duration * CHAPTER_TIMEBASE)
    starts = [round(start * CHAPTER_TIMEBASE) for start, _ in chapters]
    lines = [";FFMETADATA1"]
    for start, stop, (_, title) in zip(starts, [*starts[1:], end], chapters):
        stop = min(stop, end)
        if start >= stop:  # begins at or after the end of the video (or within a millisecond of the next)
            continue
        lines += ["[CHAPTER]", f"TIMEBASE=1/{CHAPTER_TIMEBASE}", f"START={start}", f"END={stop}",
                  f"title={escape_ffmetadata(title)}"]
    if len(lines) == 1:
        return None
    return ("\n".join(lines) + "\n").encode("utf-8")


class VideoWriter:
    """Streams frames into ffmpeg as raw RGB; the last frame is repeated to hold it at the end. A format
    subclasses it with its ``suffix``, ``label`` (for messages), :meth:`encoder_args` and, for chapters,
    ``remux_args``.

    ffmpeg runs as a child process fed through a pipe; what it prints goes to a temporary file, so
    that a failure can be reported in one line with ffmpeg's own reason.

    With chapters, ffmpeg first writes a temporary file beside :attr:`path`; :meth:`close` then copies
    it into :attr:`path` with the chapters added (a second ffmpeg, fed the chapters through a pipe) and
    removes it. Without chapters ffmpeg writes :attr:`path` directly, as it always has.
    """

    suffix = ""
    label = "video"
    samples_wanted = 0
    takes_chapters = True  # the caller passes ``chapters`` only to writers that say so
    remux_args = None  # the chapters pass's arguments after the inputs; None: MP4's (REMUX_ARGS)
    takes_comment = True  # stored as the container's ``comment`` metadata

    def encoder_args(self) -> list:
        """ffmpeg's arguments for the encoder and the output format (after the input)."""
        raise NotImplementedError

    @staticmethod
    def check(options: RenderOptions) -> None:
        """Raise :class:`AnimateError` now, before any work, if there is no working ffmpeg to encode with."""
        check_ffmpeg_runs()

    def __init__(self, path: str | Path, options: RenderOptions, sample: Iterable[np.ndarray] = (),
                 colours: Optional[np.ndarray] = None, comment: Optional[str] = None, count: Optional[int] = None,
                 chapters: Sequence[tuple[float, str]] = ()):
        """``sample``, ``colours`` and ``count`` are hints that a video encoder has no use for; ``comment``
        is stored as the file's ``comment`` metadata. ``chapters`` are ``(start, title)`` pairs in time
        order, in seconds of the video as written (the first frame's hold included); each runs until the
        next starts, the last until the end."""
        require_resolved(options, "Mp4Writer")
        self._chapters = checked_chapters(chapters)
        self._executable = ffmpeg_executable(f"{self.label} output")
        self.path = Path(path)
        self.options = options
        self.frames_written = 0
        self.duration = 0.0
        self._last: Optional[np.ndarray] = None
        self._staging: Optional[Path] = None
        width, height = options.size
        rate = Fraction(options.fps).limit_denominator(1001)
        self._log = tempfile.TemporaryFile()
        try:
            output = self.path
            if self._chapters:
                # Beside the output, on the disk that has to hold the video anyway, under a short name (the
                # caller checked that its own name fits the folder, not a longer one), created at once so
                # that no other file can take the name.
                handle, name = tempfile.mkstemp(prefix=".animate-", suffix=self.suffix, dir=self.path.parent)
                os.close(handle)
                self._staging = output = Path(name)
            self._start([
                self._executable, "-y", "-loglevel", "error", "-f", "rawvideo", "-vcodec", "rawvideo",
                "-s", f"{width}x{height}", "-pix_fmt", "rgb24", "-r", str(rate), "-i", "-", "-an",
                *self.encoder_args(),
                *(["-metadata", f"comment={comment}"] if comment and self.takes_comment else []), str(output),
            ])
        except BaseException:
            self.abort()
            raise

    def _start(self, command: list[str]) -> None:
        """Run ffmpeg with ``command``, reading from a pipe and printing to the log, as :attr:`_process`."""
        try:
            # Its own process group: a Ctrl-C in the terminal stops animate, which then stops ffmpeg;
            # and if animate is killed outright, the kernel ends ffmpeg too. A signal while it starts is
            # held until this writer can stop it (else ffmpeg would live on and write a file).
            with signals_deferred():
                self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                                 stderr=self._log, start_new_session=True,
                                                 preexec_fn=ffmpeg_preexec(os.getpid()))
        except OSError as error:
            raise AnimateError(f"ffmpeg ({command[0]}) could not start: {error.strerror or error}; {FIX}") from None

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
        """Hold the last frame, then let ffmpeg finish the file (and add the chapters, if any)."""
        if self._last is None:
            self.abort()
            raise AnimateError(f"no frames were written to the {self.label}")
        try:
            for _ in range(round(self.options.hold_last * self.options.fps)):
                self._send(self._last)
            try:
                self._process.stdin.close()
            except OSError:
                pass  # ffmpeg already gone: its exit status says why
            if self._process.wait() != 0:
                self._raise_for_space()
                raise AnimateError(f"ffmpeg failed to finish the {self.label}: {self._reason()}; {FIX}")
            if self._staging is not None:
                self._add_chapters(self._staging)
        finally:
            self._remove_staging()  # done with, or of no use after an error
        self._log.close()

    def _add_chapters(self, video: Path) -> None:
        """Copy the finished ``video`` into :attr:`path` with the chapters added (now that its end is known)."""
        metadata = ffmetadata_chapters(self._chapters, self.duration)
        if metadata is None:  # every chapter would begin after the end: the video is complete as it is
            os.replace(video, self.path)
            return
        self._log.seek(0)
        self._log.truncate()  # this pass's reason alone, if it fails
        # The chapters go through ffmpeg's standard input: no file to write and remove for them. The
        # video's own metadata (the comment) comes from the first input, the chapters from the second.
        self._start([self._executable, "-y", "-loglevel", "error", "-i", str(video), "-f", "ffmetadata",
                     "-i", "-", *(self.remux_args if self.remux_args is not None else REMUX_ARGS), str(self.path)])
        try:
            self._process.stdin.write(metadata)
            self._process.stdin.close()
        except OSError:
            pass  # ffmpeg already gone: its exit status says why
        if self._process.wait() != 0:
            self._raise_for_space()
            raise AnimateError(f"ffmpeg failed to add the chapters to the {self.label}: {self._reason()}; {FIX}")

    def abort(self) -> None:
        """Stop ffmpeg (and anything it started: its whole process group) without finishing, and remove this
        writer's own temporary file; the caller removes the incomplete file."""
        process = getattr(self, "_process", None)  # none when it could not start
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                process.kill()
            process.wait()
        for stream in (getattr(process, "stdin", None), self._log):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        self._remove_staging()

    def _remove_staging(self) -> None:
        """Remove the first pass's file, if chapters called for one (it is there, or already gone)."""
        if self._staging is not None:
            try:
                self._staging.unlink(missing_ok=True)
            except OSError:
                pass  # its folder gone or unwritable: the caller reports the trouble with the file itself

    def _send(self, frame: np.ndarray) -> None:
        try:
            self._process.stdin.write(np.ascontiguousarray(frame).tobytes())
        except (BrokenPipeError, ValueError, OSError):
            self._process.wait()
            self._raise_for_space()
            raise AnimateError(f"ffmpeg stopped while writing the {self.label}: {self._reason()}; {FIX}") from None
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


@register_writer
class Mp4Writer(VideoWriter):
    """MP4: H.264 in yuv420p (what every browser plays), the index at the front (``+faststart``)."""

    suffix = ".mp4"
    label = "MP4"

    def encoder_args(self) -> list:
        return ["-vcodec", "libx264", "-pix_fmt", "yuv420p", *with_crf(CODEC_ARGS, self.options.crf)]


def with_crf(args: list, crf: Optional[int]) -> list:
    """``args`` with its ``-crf`` value replaced by ``crf`` (when given)."""
    if crf is None:
        return list(args)
    at = args.index("-crf")
    return [*args[:at + 1], str(crf), *args[at + 2:]]

