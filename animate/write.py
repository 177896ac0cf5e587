"""Render a trace and write it to a file: the half of the job that needs no torch.

    >>> render(Trace.load("run.npz"), "run.mp4", RenderOptions(size=(1280, 720)))   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from .options import RenderOptions
from .render import open_renderer
from .trace import Trace
from .writers import writer_for
from .writers.atomic import atomic_output, check_destination


@dataclass(frozen=True)
class Written:
    """A finished animation file: where, how many frames, how long it plays, how big it is."""

    path: Path
    frames: int
    seconds: float
    bytes: int


def render(
    trace: Trace,
    path: str | Path,
    options: RenderOptions = RenderOptions(),
    on_frame: Optional[Callable[[int, int], None]] = None,
) -> Written:
    """Render ``trace`` into ``path``; the suffix picks the format. ``on_frame(i, count)`` follows progress.

    The file appears only when complete: it is written under a temporary name and renamed.
    """
    path = Path(path)
    writer_class = writer_for(path)
    check_destination(path)
    with open_renderer(trace, options) as renderer:
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
