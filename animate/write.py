"""Render a trace and write it to files: the half of the job that needs no torch.

One pass over the frames feeds every file that wants them: the animation, on request the same
animation in the other format (a snippet offers both), a poster and a contact sheet. Text files
(alt text, a ready-to-paste snippet, provenance) are written beside them. Every file appears only
once all are complete.

    >>> render(Trace.load("run.npz"), "run.mp4", RenderOptions(size=(1280, 720)))   # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import json
import shlex
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from .options import RenderOptions
from .renderer import Renderer, open_renderer
from .trace import Trace
from .writers import writer_for
from .writers.atomic import atomic_output, check_destination
from .writers.still import ContactSheetWriter, PosterWriter


@dataclass(frozen=True)
class Outputs:
    """The files one render writes: the animation and, when asked for, what goes around it."""

    animation: Path
    companion: Optional[Path] = None  # the same animation in the other format (.mp4 beside a .gif)
    poster: Optional[Path] = None  # the last frame as a PNG
    sheet: Optional[Path] = None  # key frames side by side as a PNG
    alt_text: Optional[Path] = None  # a plain-text description
    snippet: Optional[Path] = None  # HTML to paste into a page or a Markdown post
    provenance: Optional[Path] = None  # JSON: seed, settings, versions, the command that remakes it

    @classmethod
    def beside(cls, path: str | Path, poster=False, sheet=False, alt_text=False, snippet=False,
               provenance=True) -> "Outputs":
        """``path`` and the files asked for, named after it: ``NAME.png``, ``NAME-frames.png``,
        ``NAME.alt.txt``, ``NAME.html``, ``NAME.json``. A snippet brings the poster and the other format."""
        path = check_destination(path)  # a folder or nothing at all is refused before names are made from it
        other = ".mp4" if path.suffix.lower() == ".gif" else ".gif"
        return cls(
            animation=path,
            companion=path.with_suffix(other) if snippet else None,
            poster=path.with_suffix(".png") if poster or snippet else None,
            sheet=path.with_name(f"{path.stem}-frames.png") if sheet else None,
            alt_text=path.with_name(f"{path.stem}.alt.txt") if alt_text else None,
            snippet=path.with_suffix(".html") if snippet else None,
            provenance=path.with_suffix(".json") if provenance else None,
        )

    def files(self) -> list:
        """Every path this render will write."""
        return [path for path in (self.animation, self.companion, self.poster, self.sheet, self.alt_text,
                                  self.snippet, self.provenance) if path is not None]


@dataclass(frozen=True)
class Notes:
    """The words that go with an animation: alt text, and provenance (a JSON-able dict)."""

    alt_text: str = ""
    provenance: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """A finished animation file: where, how many frames, how long it plays, how big it is, and the
    other files written with it.

    In a Jupyter notebook it shows itself: a GIF as an image, an MP4 as a looping video.
    """

    path: Path
    frames: int
    seconds: float
    bytes: int
    extras: tuple = ()

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


def snippet_html(outputs: Outputs, alt_text: str, size: tuple) -> str:
    """A ``<video>`` that plays the MP4 with the poster shown first and the GIF as fallback, by file name."""
    names = {Path(p).suffix.lower(): Path(p).name for p in (outputs.animation, outputs.companion) if p}
    width, height = size
    alt = html.escape(alt_text, quote=True)
    poster = f' poster="{html.escape(outputs.poster.name)}"' if outputs.poster else ""
    return (
        f'<video autoplay loop muted playsinline width="{width}" height="{height}"{poster} aria-label="{alt}">\n'
        f'  <source src="{html.escape(names[".mp4"])}" type="video/mp4">\n'
        f'  <img src="{html.escape(names[".gif"])}" width="{width}" height="{height}" alt="{alt}">\n'
        f'</video>\n'
    )


def render(
    trace: Trace,
    path: str | Path,
    options: RenderOptions = RenderOptions(),
    on_frame: Optional[Callable[[int, int], None]] = None,
) -> Written:
    """Render ``trace`` into ``path``; the suffix picks the format. ``on_frame(i, count)`` follows progress.

    The file appears only when complete: it is written under a temporary name and renamed. Its
    provenance (settings, versions, and the command of the process that rendered it, usually your
    script) goes into the file itself; no sidecar is written from Python.
    """
    from .describe import alt_text, provenance, render_settings

    command = shlex.join([Path(sys.executable).name, *sys.argv]) if sys.argv and sys.argv[0] else "python"
    notes = Notes(alt_text(trace), provenance(trace, render_settings(options), command))
    return write_animation(trace, Outputs(Path(path)), options, Renderer, on_frame, notes)


def write_animation(source, outputs: Outputs, options: RenderOptions, factory,
                    on_frame: Optional[Callable[[int, int], None]] = None, notes: Optional[Notes] = None) -> Written:
    """Draw ``source`` (a trace, or a comparison) with ``factory(source, options)`` into ``outputs``."""
    notes = notes or Notes()
    animations = [path for path in (outputs.animation, outputs.companion) if path is not None]
    classes = [writer_for(path) for path in animations]
    for writer_class in classes:
        writer_class.check_available()
    for path in outputs.files():
        check_destination(path)
    comment = json.dumps(notes.provenance, ensure_ascii=True, separators=(",", ":")) if notes.provenance else None
    with open_renderer(source, options, factory) as renderer, ExitStack() as files:
        count = len(renderer)
        wanted = min(max(writer_class.samples_wanted for writer_class in classes), count)
        sample = list(renderer.frames(np.linspace(0, count - 1, wanted).round().astype(int))) if wanted else []
        temporary = {path: files.enter_context(atomic_output(path)) for path in outputs.files()}
        writers = [writer_class(temporary[path], options, sample, colours=renderer.colours, comment=comment)
                   for writer_class, path in zip(classes, animations)]
        stills = ([PosterWriter(temporary[outputs.poster])] if outputs.poster else []) + (
            [ContactSheetWriter(temporary[outputs.sheet], count)] if outputs.sheet else [])
        try:
            for index, frame in enumerate(renderer.frames(range(count))):
                for writer in writers:
                    writer.write(frame)
                for still in stills:
                    still.add(index, frame)
                if on_frame is not None:
                    on_frame(index, count)
            for writer in writers:
                writer.close()
            for still in stills:
                still.close()
        except BaseException:
            for writer in writers:
                writer.abort()
            raise
        texts = {outputs.alt_text: notes.alt_text + "\n",
                 outputs.snippet: snippet_html(outputs, notes.alt_text, options.size) if outputs.snippet else "",
                 outputs.provenance: json.dumps(notes.provenance, indent=2, ensure_ascii=False) + "\n"}
        for path, text in texts.items():
            if path is not None:
                temporary[path].write_text(text, encoding="utf-8")
    extras = tuple(path for path in outputs.files() if path != outputs.animation)
    return Written(path=outputs.animation, frames=count, seconds=writers[0].duration,
                   bytes=outputs.animation.stat().st_size, extras=extras)


def save_trace(trace: Trace, path: str | Path) -> None:
    """Save ``trace`` to ``path`` atomically (a failure leaves any earlier file as it was)."""
    with atomic_output(path) as temporary:
        trace.save(temporary)
