"""The gallery's words: its static page and the README table, both made from the same cards."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .errors import AnimateError

README_START = "<!-- gallery:start (made by `animate gallery --readme README.md`; edits here are overwritten) -->"
README_END = "<!-- gallery:end -->"
_BETWEEN_MARKERS = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)


def page_html(cards: list) -> str:
    """A self-contained page: one card per scene, each playing its MP4 with the GIF as fallback."""
    def card_html(card) -> str:
        e = html.escape
        return f"""  <article class="card" id="{e(card.name)}">
    <video autoplay loop muted playsinline width="640" height="480" poster="{e(card.poster)}" aria-label="{e(card.alt)}">
      <source src="{e(card.mp4)}" type="video/mp4">
      <img src="{e(card.gif)}" width="640" height="480" alt="{e(card.alt)}">
    </video>
    <h2>{e(card.title)} <span class="name">{e(card.name)}</span></h2>
    <p class="source">Blog example {e(card.source)}</p>
    <p>{e(card.summary)}</p>
    <p class="result">{e(card.result)}</p>
    <pre><code>{e(card.command)}</code></pre>
    <p class="files"><a href="{e(card.gif)}">GIF</a> · <a href="{e(card.mp4)}">MP4</a> · <a href="{e(card.name)}.json">provenance</a></p>
  </article>"""

    body = "\n".join(card_html(card) for card in cards)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>animate: the gallery</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1rem; color: #222; background: #fafafa; }}
  h1 {{ font-size: 1.6rem; margin-bottom: 0.2rem; }}
  .lead {{ color: #555; margin-top: 0; }}
  .grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 1.5rem; }}
  .card {{ background: white; border: 1px solid #ddd; border-radius: 8px; padding: 1rem; }}
  .card video, .card img {{ width: 100%; height: auto; display: block; border-radius: 4px; }}
  .card h2 {{ font-size: 1.05rem; margin: 0.8rem 0 0.2rem; }}
  .name {{ font-family: ui-monospace, monospace; font-weight: normal; color: #0072B2; }}
  .source {{ color: #666; font-size: 0.9rem; margin: 0; }}
  .result {{ font-size: 0.9rem; }}
  pre {{ background: #f3f3f3; padding: 0.5rem; border-radius: 4px; white-space: pre-wrap; word-break: break-all; font-size: 0.8rem; }}
  .files {{ font-size: 0.85rem; }}
</style>
</head>
<body>
<h1>animate: the gallery</h1>
<p class="lead">Every scene, each reproducing a beginner PyTorch blog example, rendered by <code>animate gallery</code>.</p>
<main class="grid">
{body}
</main>
</body>
</html>
"""


def readme_table(cards: list, folder: str) -> str:
    """The README's gallery: a Markdown table of the same cards, images linked from ``folder``."""
    rows = ["| animation | scene | blog example | command |", "| --- | --- | --- | --- |"]
    for card in cards:
        image = f'<img src="{folder}/{card.gif}" width="320" alt="{html.escape(card.alt, quote=True)}">'
        rows.append(f"| {image} | [`{card.name}`]({card.module}) | {card.source}: {card.summary} | "
                    f"`{card.command}` |")
    return "\n".join(rows)


def check_readme(readme: str | Path) -> str:
    """The text of ``readme``, once it is known to exist and to have the gallery's markers."""
    readme = Path(readme)
    if not readme.is_file():
        raise AnimateError(f"README {str(readme)!r} does not exist")
    try:
        text = readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AnimateError(f"README {str(readme)!r} cannot be read as UTF-8 text: {error}") from None
    if not _BETWEEN_MARKERS.search(text):
        raise AnimateError(f"{str(readme)!r} has no gallery markers: add {README_START} and {README_END} lines")
    return text


def with_table(text: str, table: str) -> str:
    """README ``text`` with ``table`` between its gallery markers."""
    return _BETWEEN_MARKERS.sub(lambda _: f"{README_START}\n{table}\n{README_END}", text)
