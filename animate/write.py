"""Render a trace and write it to a file: the half of the job that needs no torch.

    >>> render(Trace.load("run.npz"), "run.mp4", RenderOptions(size=(1280, 720)))   # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from .options import RenderOptions
from .renderer import Renderer, open_renderer
from .trace import Trace
from .writers import writer_for
from .writers.atomic import atomic_output, check_destination


@dataclass(frozen=True)
class Written:
    """A finished animation file: where, how many frames, how long it plays, how big it is.

    In a Jupyter notebook it shows itself: a GIF as an image, an MP4 as a looping video.
    """

    path: Path
    frames: int
    seconds: float
    bytes: int

    def _repr_html_(self) -> str:
        return embed_html(self.path)


def embed_html(path: str | Path) -> str:
    """HTML that shows the animation at ``path`` inline, the file's bytes embedded (no server needed)."""
    path = Path(path)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    if path.suffix.lower() == ".mp4":
        return (f'<video autoplay loop muted playsinline controls src="data:video/mp4;base64,{data}" '
                f'title="{html.escape(path.name)}"></video>')
    return f'<img src="data:image/gif;base64,{data}" alt="{html.escape(path.name)}">'


def render(
    trace: Trace,
    path: str | Path,
    options: RenderOptions = RenderOptions(),
    on_frame: Optional[Callable[[int, int], None]] = None,
) -> Written:
    """Render ``trace`` into ``path``; the suffix picks the format. ``on_frame(i, count)`` follows progress.

    The file appears only when complete: it is written under a temporary name and renamed.
    """
    return write_animation(trace, path, options, Renderer, on_frame)


def write_animation(source, path: str | Path, options: RenderOptions, factory,
                    on_frame: Optional[Callable[[int, int], None]] = None) -> Written:
    """Draw ``source`` (a trace, or a comparison) with ``factory(source, options)`` and write ``path``."""
    path = Path(path)
    writer_class = writer_for(path)
    check_destination(path)
    with open_renderer(source, options, factory) as renderer:
        count = len(renderer)
        wanted = min(writer_class.samples_wanted, count)
        sample = list(renderer.frames(np.linspace(0, count - 1, wanted).round().astype(int))) if wanted else []
        with atomic_output(path) as temporary:
            writer = writer_class(temporary, options, sample, colours=renderer.colours)
            try:
                for index, frame in enumerate(renderer.frames(range(count))):
                    writer.write(frame)
                    if on_frame is not None:
                        on_frame(index, count)
                writer.close()
            except BaseException:
                writer.abort()
                raise
    return Written(path=path, frames=count, seconds=writer.duration, bytes=path.stat().st_size)


def save_trace(trace: Trace, path: str | Path) -> None:
    """Save ``trace`` to ``path`` atomically (a failure leaves any earlier file as it was)."""
    with atomic_output(path) as temporary:
        trace.save(temporary)
