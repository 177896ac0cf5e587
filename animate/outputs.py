"""The files one job writes (the animation and what goes around it) and what a finished file reports.

    >>> Outputs.beside("run.gif", poster=True).files()        # doctest: +SKIP
    [PosixPath('run.gif'), PosixPath('run.png'), PosixPath('run.json')]
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .errors import AnimateError
from .writers import writer_for
from .writers.atomic import check_destination

# A snippet's <video> plays the MP4 and falls back to the GIF: it needs both.
# A snippet's <video> offers the WebM, then the MP4 (each browser plays the first it can: the smaller WebM
# where it can), and falls back to the GIF: it needs all three.
SNIPPET_FORMATS = (".webm", ".mp4", ".gif")


@dataclass(frozen=True)
class Outputs:
    """The files one render writes: the animation and, when asked for, what goes around it."""

    animation: Path
    companions: tuple = ()  # the same animation in the snippet's other formats (.webm and .mp4 beside a .gif)
    poster: Optional[Path] = None  # the last frame as a PNG
    sheet: Optional[Path] = None  # key frames side by side as a PNG
    alt_text: Optional[Path] = None  # a plain-text description
    snippet: Optional[Path] = None  # HTML to paste into a page or a Markdown post
    provenance: Optional[Path] = None  # JSON: seed, settings, versions, the command that remakes it

    @classmethod
    def beside(cls, path: str | Path, poster=False, sheet=False, alt_text=False, snippet=False,
               provenance=True) -> "Outputs":
        """``path`` and the files asked for, named after it: ``NAME.png``, ``NAME-frames.png``,
        ``NAME.alt.txt``, ``NAME.html``, ``NAME.json``. A snippet brings the poster and the other formats."""
        path = Path(path)
        if path.name in ("", ".", ".."):  # no name to make the others from: it can only be a folder
            raise AnimateError(f"output {str(path)!r} is a folder: give a file name such as "
                               f"{str(path / 'out.gif')!r}")
        others = [suffix for suffix in SNIPPET_FORMATS if suffix != path.suffix.lower()]
        return cls(
            animation=path,
            companions=tuple(path.with_suffix(suffix) for suffix in others)
            if snippet and len(others) == len(SNIPPET_FORMATS) - 1 else (),
            poster=path.with_suffix(".png") if poster or snippet else None,
            sheet=path.with_name(f"{path.stem}-frames.png") if sheet else None,
            alt_text=path.with_name(f"{path.stem}.alt.txt") if alt_text else None,
            snippet=path.with_suffix(".html") if snippet else None,
            provenance=path.with_suffix(".json") if provenance else None,
        )

    def animations(self) -> list:
        """The animation files (the animation, and its companions when a snippet asks for them)."""
        return [self.animation, *self.companions]

    def files(self) -> list:
        """Every path this render will write."""
        return [path for path in (self.animation, *self.companions, self.poster, self.sheet, self.alt_text,
                                  self.snippet, self.provenance) if path is not None]

    def check(self, options, also: tuple = (), inputs: tuple = ()) -> None:
        """Raise :class:`AnimateError` unless every file can be written with ``options``: a writer for each
        animation's suffix that can write these options, a folder for each file, and no two the same
        (``also``: other files the same job writes, such as a trace), none of them one the job reads
        (``inputs``, such as the trace it draws)."""
        read = {Path(path).resolve(): Path(path) for path in inputs}
        if self.snippet is not None and {p.suffix.lower() for p in self.animations()} != set(SNIPPET_FORMATS):
            raise AnimateError(f"a snippet plays a WebM or an MP4 with a GIF fallback: write {str(self.animation)!r} "
                               f"as {', '.join(SNIPPET_FORMATS[:-1])} or {SNIPPET_FORMATS[-1]}")
        seen = {}
        for path in [*self.files(), *(Path(p) for p in also)]:
            check_destination(path)
            key = path.resolve()
            if key in read:
                raise AnimateError(f"{str(path)!r} is the file this job reads ({str(read[key])!r}); writing it would "
                                   "replace it: give the output another name")
            if key in seen:
                raise AnimateError(f"{str(path)!r} would be written twice (also as {str(seen[key])!r}): "
                                   "give the files different names")
            seen[key] = path
        for path in self.animations():
            writer_for(path).check(options)


@dataclass(frozen=True)
class Notes:
    """The words that go with an animation: alt text, provenance (a JSON-able dict), and the command that
    remakes each animation file (a snippet's MP4 and GIF each name themselves)."""

    alt_text: str = ""
    provenance: dict = field(default_factory=dict)
    commands: dict = field(default_factory=dict)

    def comment(self, path: Path) -> Optional[str]:
        """The provenance stored inside the animation file ``path``, as compact ASCII JSON."""
        if not self.provenance:
            return None
        record = {**self.provenance, "command": self.commands.get(path, self.provenance.get("command"))}
        return json.dumps(record, ensure_ascii=True, separators=(",", ":"))


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
    encoding: str = ""  # what a video format was encoded as, where there is a choice (``VP9 4:2:0``)

    def line(self, result: str = "") -> str:
        """``out.gif: 26 frames, 4.8 s, 81,234 bytes``, then ``result`` (what training reached) and the
        other files written with it."""
        line = f"{self.path}: {self.frames} frames, {self.seconds:.1f} s, {self.bytes:,} bytes"
        line += f", {self.encoding}" if self.encoding else ""
        line += f"; {result}" if result else ""
        return line + (f"; also {', '.join(str(p) for p in self.extras)}" if self.extras else "")

    def _repr_html_(self) -> str:
        return embed_html(self.path)


def embed_html(path: str | Path) -> str:
    """HTML that shows the animation at ``path`` inline, the file's bytes embedded (no server needed)."""
    path = Path(path)
    if path.suffix.lower() == ".html":  # the explorable page, in a frame of its own (its script runs there)
        page = path.read_text(encoding="utf-8")
        aspect = re.search(r'data-aspect="([\d.]+)"', page)
        shape = f"aspect-ratio: {float(aspect.group(1)):.4f}" if aspect else "height: 640px"
        return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(path.name)}" '
                f'style="width: 100%; max-width: 980px; border: 0; {shape}"></iframe>')
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    if path.suffix.lower() == ".mp4":
        return (f'<video autoplay loop muted playsinline controls src="data:video/mp4;base64,{data}" '
                f'title="{html.escape(path.name)}"></video>')
    return f'<img src="data:image/gif;base64,{data}" alt="{html.escape(path.name)}">'


def snippet_html(outputs: Outputs, alt_text: str, size: tuple, webm_type: str = "") -> str:
    """A ``<video>`` that plays the WebM (where a snippet has one) or else the MP4, with the poster shown first
    and the GIF as fallback, by file name. ``webm_type`` is the WebM's MIME type with its codec (see
    :func:`webm_type`), so that a browser that cannot play that codec (Safari and 4:4:4) takes the MP4.

    It shrinks to fit a narrow column (a phone) and keeps its shape while it loads: the width and height
    attributes give the full size, the inline style caps it at the column and holds the aspect ratio (inline,
    since a snippet is pasted into pages whose style sheets it cannot add to). The GIF is the video's
    fallback content, loaded lazily: a browser that plays the video never lays it out, so never fetches it."""
    names = {Path(p).suffix.lower(): Path(p).name for p in outputs.animations()}
    width, height = size
    alt = html.escape(alt_text, quote=True)
    poster = f' poster="{html.escape(outputs.poster.name)}"' if outputs.poster else ""
    box = f'width="{width}" height="{height}" style="max-width: 100%; height: auto; aspect-ratio: {width} / {height};"'
    webm = (f'  <source src="{html.escape(names[".webm"])}" type="{html.escape(webm_type or "video/webm", quote=True)}">\n'
            if ".webm" in names else "")
    return (
        f'<video autoplay loop muted playsinline {box}{poster} aria-label="{alt}">\n'
        f'{webm}'
        f'  <source src="{html.escape(names[".mp4"])}" type="video/mp4">\n'
        f'  <img src="{html.escape(names[".gif"])}" {box} loading="lazy" alt="{alt}">\n'
        f'</video>\n'
    )


def webm_type(codec: str, chroma: str) -> str:
    """The MIME type with codecs parameter of a WebM written with ``codec`` (``vp9``/``av1``) and ``chroma``:
    VP9 profile 0 or 1, AV1 main or high profile, 8 bits."""
    full = chroma == "444"
    if codec == "av1":
        return 'video/webm; codecs="av01.%d.04M.08"' % (1 if full else 0)
    return 'video/webm; codecs="vp09.%s.10.08"' % ("01" if full else "00")
