"""The explorable page: one self-contained HTML file that plays a run from its recorded numbers.

The picture's parts come from :func:`animate.drawing.capture.capture` (one description per view: a
run, or several runs side by side). This module packs them (a JSON header and binary arrays, deflated
together and base64-coded), embeds the fonts the changing text uses (subset to the characters it
shows, as WOFF), and wraps them with the player's script and style. Nothing on the page is fetched:
it works from ``file://``, in a blog post and inline in Jupyter.

    write_page(path, [("run", captured)], title="Logistic regression")
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import zlib
from importlib import resources
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..errors import AnimateError
from .registry import register_writer, require_resolved

HERE = "animate.writers"


def player_assets() -> tuple[str, str]:
    """The player's script and style sheet."""
    files = resources.files(HERE)
    return (files / "player.js").read_text(encoding="utf-8"), (files / "player.css").read_text(encoding="utf-8")


def pack(views: Sequence[tuple[str, dict]], step_name: str, prefix: str = "animate-font") -> tuple[str, str]:
    """``(base64 of the deflated payload, the @font-face rules)`` for ``views`` (label, captured picture); the
    embedded fonts are named ``PREFIX-N`` (unique per player, so that players on one page never share one)."""
    arrays: dict = {}
    chunks: list = []
    offset = 0

    def add(name: str, array: np.ndarray, kind: str) -> str:
        nonlocal offset
        data = np.ascontiguousarray(array, dtype="<i4" if kind == "int32" else np.uint8).tobytes()
        padding = (-offset) % 4
        if padding:
            chunks.append(b"\0" * padding)
            offset += padding
        arrays[name] = {"offset": offset, "bytes": len(data), "type": kind}
        chunks.append(data)
        offset += len(data)
        return name

    fonts = _Fonts(prefix)
    specs = []
    for number, (label, captured) in enumerate(views):
        strings: dict = {}
        texts = []
        for text in captured["texts"]:
            lines = [[strings.setdefault(line, len(strings)) for line in frame] for frame in text["lines"]]
            used = "".join(line for frame in text["lines"] for line in frame)
            texts.append({key: value for key, value in text.items() if key not in ("lines", "fonts")}
                         | {"lines": lines, "family": fonts.family(text["fonts"], used)})
        shadings = []
        for k, shading in enumerate(captured["shadings"]):
            name = add(f"v{number}-shading{k}", shading["values"], "uint8")
            shadings.append({key: value for key, value in shading.items() if key != "values"} | {"array": name})
        specs.append({
            "name": f"v{number}", "label": label, "width": captured["width"], "height": captured["height"],
            "background": captured["background"], "overlay": captured["overlay"], "artists": captured["artists"],
            "texts": texts, "strings": list(strings), "shadings": shadings, "steps": captured["steps"],
            "count": captured["count"], "fps": captured["fps"], "holdLast": captured["hold_last"],
            "holdFirst": captured.get("hold_first", 0),
            "main": captured.get("main"), "dark": captured.get("dark", False), "colour": captured.get("colour"),
            "stepName": step_name, "coordinates": add(f"v{number}-coordinates", captured["coordinates"], "int32"),
        })
    header = json.dumps({"views": specs, "arrays": arrays}, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    payload = len(header).to_bytes(4, "little") + header + b"".join(chunks)
    return base64.b64encode(zlib.compress(payload, 9)).decode("ascii"), fonts.css()


def player_fragment(views: Sequence[tuple[str, dict]], step_name: str, element_id: Optional[str] = None,
                    label: str = "", with_assets: bool = True) -> str:
    """The player as an HTML fragment (for a gallery page or a blog post): its element, its data, and,
    with ``with_assets``, its style and script (a page with several players needs them once). The element's
    id (by default from the data's own hash) also names its clip paths and fonts: players pasted into one
    page never share them."""
    if element_id is None:
        digest = hashlib.sha1(step_name.encode("utf-8"))
        for label, captured in views:
            digest.update(label.encode("utf-8") + captured["background"].encode("utf-8"))
            digest.update(np.ascontiguousarray(captured["coordinates"]).tobytes())
        element_id = "animate-player-" + digest.hexdigest()[:10]
    data, font_css = pack(views, step_name, prefix=f"{element_id}-font")
    script, style = player_assets()
    paper = views[0][1]["paper"]
    # The frame's width to its height with the controls (about 46 CSS px under a 960-px picture) and a picker.
    width, height = views[0][1]["width"], views[0][1]["height"]
    aspect = width / (height + width * (0.06 + (0.06 if len(views) > 1 else 0)))
    parts = [f"<style>{font_css}</style>" if font_css else ""]
    if with_assets:
        parts.append(f"<style>{style}</style>")
    dark = " dark" if views[0][1].get("dark") else ""
    parts.append(f'<div class="animate-player{dark}" id="{html.escape(element_id)}" role="region" '
                 f'aria-label="{html.escape(label or "training, step by step")}" '
                 f'data-aspect="{aspect:.4f}" '
                 f'style="--animate-paper: {paper}; --animate-width: {max(480, round(views[0][1]["width"] * 2))}px">'
                 f'<script type="application/octet-stream">{data}</script>'
                 f'<noscript>This player needs JavaScript.</noscript></div>')
    if with_assets:
        parts.append(f"<script>{script}</script>")
    return "".join(parts)


def page_html(views: Sequence[tuple[str, dict]], step_name: str, title: str, description: str = "",
              provenance: Optional[str] = None) -> str:
    """A whole HTML document holding one player; ``provenance`` (JSON text) goes in its head, as JSON that no
    markup inside it can end."""
    fragment = player_fragment(views, step_name, label=title)
    paper, dark = views[0][1]["paper"], views[0][1].get("dark", False)
    words = (f'<p style="max-width:960px;margin:8px auto;font:14px/1.4 system-ui,sans-serif;'
             f'color:{"#c8c8c8" if dark else "#444"}">{html.escape(description)}</p>') if description else ""
    # Styles stay on the page's own elements (none on body): pasted into a post, it changes nothing around it.
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<link rel=\"icon\" href=\"data:,\">"  # or the browser asks the server for /favicon.ico
            f"<title>{html.escape(title)}</title>"
            + (f'<script type="application/json" id="animate-provenance">{json_in_html(provenance)}</script>'
               if provenance else "")
            + "</head>\n<body>"
            f'<div class="animate-page" style="background:{paper};padding:12px">{fragment}{words}</div>'
            "</body></html>\n")


class _Fonts:
    """The fonts the changing text is drawn in, embedded subset to the characters used."""

    def __init__(self, prefix: str = "animate-font"):
        self.prefix = prefix
        self._families: dict = {}  # font file → (family name, characters used)

    def family(self, files: Sequence[str], used: str) -> str:
        names = []
        for index, file in enumerate(files):
            if index > 0 and not _needs(files[0], used):
                break  # the fallback (CJK) font only where the first lacks a character
            name, chars = self._families.setdefault(file, (f"{self.prefix}-{len(self._families)}", set()))
            chars.update(used)
            names.append(f"'{name}'")
        return ", ".join(names + ["sans-serif"])

    def css(self) -> str:
        rules = []
        for file, (name, chars) in self._families.items():
            data = _subset_woff(file, "".join(sorted(chars)))
            if data:
                rules.append(f"@font-face{{font-family:'{name}';src:url(data:font/woff;base64,"
                             f"{base64.b64encode(data).decode('ascii')}) format('woff');}}")
        return "".join(rules)


def _needs(file: str, text: str) -> bool:
    """Whether ``text`` has a (non-space) character that the font ``file`` lacks."""
    try:
        from fontTools.ttLib import TTFont

        cmap = TTFont(file, fontNumber=0, lazy=True).getBestCmap()
    except Exception:  # an unreadable font: let the browser's fallback do
        return False
    return any(ord(char) not in cmap for char in set(text) if not char.isspace())


def _subset_woff(file: str, text: str) -> bytes:
    """The font ``file`` cut down to ``text``'s characters, as WOFF (zlib, no extra dependency)."""
    try:
        from fontTools import subset
    except ImportError:  # pragma: no cover - fontTools comes with matplotlib
        return b""
    options = subset.Options()
    options.flavor = "woff"
    options.font_number = 0
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables = list(options.drop_tables) + ["FFTM"]  # FontForge's timestamps: nothing a browser reads
    try:
        font = subset.load_font(file, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text + " ")
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    except Exception as error:  # a font fontTools cannot cut: say which
        raise AnimateError(f"could not embed the font {file!r} in the page: {error}") from None
    return buffer.getvalue()


@register_writer
class PageWriter:
    """``.html``: the explorable page. Unlike the frame writers it is not fed frames: the pipeline gives
    it the captured picture (:func:`animate.drawing.capture.capture`) of each view."""

    suffix = ".html"
    samples_wanted = 0
    takes_frames = False  # the pipeline hands it views, not frames

    @staticmethod
    def check(options) -> None:
        """Any options a frame can be drawn with make a page (the player plays at the options' fps), but a page
        has no frames to give up for a byte budget."""
        if options.max_bytes is not None:
            raise AnimateError("--max-bytes fits an animation file (.gif, .mp4, .webm, .webp), not a page: "
                               "leave it out for .html")
        if options.duration is not None:
            raise AnimateError(f"--duration {options.duration:g} sets an animation file's length; a page plays the "
                               "recorded states at the run's pace, at the speed its reader picks: leave it out "
                               "for .html")

    def __init__(self, path: str | Path, options, comment: Optional[str] = None):
        require_resolved(options, "PageWriter")
        self.path = Path(path)
        self.options = options
        self.comment = comment
        self.frames = 0
        self.bytes = 0

    def write_views(self, views: Sequence[tuple[str, dict]], step_name: str, title: str, description: str = "") -> None:
        """Write the page of ``views`` (label, captured picture); the first view is shown first."""
        text = page_html(views, step_name, title, description, provenance=self.comment)  # as in a GIF's comment
        self.path.write_text(text, encoding="utf-8")
        self.frames = views[0][1]["count"]
        self.fps, self.hold_last = views[0][1]["fps"], views[0][1]["hold_last"]
        self.bytes = len(text.encode("utf-8"))

    @property
    def duration(self) -> float:
        """Seconds the player takes to play every recorded state once at 1×, at the pace it plays them (the
        first and last held)."""
        if not self.frames:
            return 0.0
        return self.options.hold_first + self.frames / self.fps + self.hold_last


def json_in_html(text: str) -> str:
    """JSON text made safe inside an HTML element: ``<``, ``>`` and ``&`` as JSON escapes (the same value)."""
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
