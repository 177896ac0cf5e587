"""MP4 (H.264, yuv420p) through the ffmpeg binary that the imageio-ffmpeg wheel carries."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ..errors import AnimateError
from ..options import RenderOptions

# Near-lossless for flat plots, small for them too; "+faststart" lets a browser play before the end.
CODEC_ARGS = ["-preset", "medium", "-crf", "20", "-movflags", "+faststart"]


def ffmpeg_executable() -> str:
    """The bundled ffmpeg's path; a clear :class:`AnimateError` when it cannot be found."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise AnimateError("MP4 output needs imageio-ffmpeg: pip install imageio-ffmpeg") from None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as error:
        raise AnimateError(f"MP4 output needs ffmpeg, which imageio-ffmpeg could not find ({error}); "
                           "reinstall it with: pip install --force-reinstall imageio-ffmpeg") from None


class Mp4Writer:
    """Streams frames into ffmpeg as raw RGB; the last frame is repeated to hold it at the end."""

    suffix = ".mp4"
    samples_wanted = 0

    def __init__(self, path: str | Path, options: RenderOptions, sample: Iterable[np.ndarray] = (),
                 colours: Optional[np.ndarray] = None):
        """``sample`` and ``colours`` are palette hints, which a video encoder has no use for."""
        ffmpeg_executable()
        import imageio_ffmpeg

        self.path = Path(path)
        self.options = options
        self.frames_written = 0
        self.duration = 0.0
        self._last: Optional[np.ndarray] = None
        self._encoder = imageio_ffmpeg.write_frames(
            str(self.path), options.size, fps=options.fps, codec="libx264", pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p", quality=None, macro_block_size=2, ffmpeg_log_level="error",
            output_params=CODEC_ARGS,
        )
        self._encoder.send(None)  # start ffmpeg

    def write(self, frame: np.ndarray) -> None:
        """Add one RGB ``uint8`` frame of the options' size."""
        width, height = self.options.size
        if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
            raise AnimateError(f"frame of shape {frame.shape} {frame.dtype}, expected ({height}, {width}, 3) uint8")
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
            self._encoder.close()
        except (RuntimeError, OSError) as error:
            raise AnimateError(f"ffmpeg failed to finish {self.path.name}: {error}") from None

    def abort(self) -> None:
        """Stop ffmpeg without finishing; the caller removes the incomplete file."""
        try:
            self._encoder.close()
        except Exception:  # noqa: BLE001 - the file is being thrown away; its encoder's complaint is moot
            pass

    def _send(self, frame: np.ndarray) -> None:
        try:
            self._encoder.send(np.ascontiguousarray(frame))
        except (RuntimeError, OSError, StopIteration) as error:
            raise AnimateError(f"ffmpeg stopped while writing {self.path.name}: {error}") from None
        self.frames_written += 1
        self.duration = self.frames_written / self.options.fps
