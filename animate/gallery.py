"""The gallery: every registered scene rendered into one folder, with a static page and a README table.

Both the page (``index.html``) and the README's table are made from the same list of cards, so they
never disagree. Scenes render in parallel, one process per core (each drawing its own frames in
that process); the page loads nothing from the network and works opened straight from disk.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Optional

from .errors import AnimateError
from .writers.atomic import write_text_atomically

README_START = "<!-- gallery:start (made by `animate gallery --readme README.md`; edits here are overwritten) -->"
README_END = "<!-- gallery:end -->"


@dataclass(frozen=True)
class Card:
    """One scene on the page: its files (names within the gallery folder) and its words."""

    name: str
    title: str
    summary: str
    source: str
    module: str  # the scene's source file, relative to the repository (scenes/NAME.py)
    gif: str
    mp4: str
    poster: str
    alt: str
    result: str  # final loss and parameters, as the summary line gives them
    command: str  # the exact command that remakes the animation


def render_card(name: str, folder: str, workers: Optional[int] = 1) -> Card:
    """Train and render scene ``name`` into ``folder`` (GIF, MP4, poster, provenance): one gallery card.

    ``workers`` is how many processes draw its frames (``None``: as many as pay off).
    """
    from .describe import alt_text, result_text
    from .job import scene_job
    from .options import Extras, RenderOptions
    from .pipeline import run

    folder = Path(folder)
    gif = folder / f"{name}.gif"
    job = scene_job(name, gif, options=RenderOptions(workers=workers), extras=Extras(poster=True, snippet=True))
    summary = run(job)
    scene, trace = job.source.scene, summary.trace
    (folder / f"{name}.html").unlink(missing_ok=True)  # the page holds the snippets; a file apiece is clutter
    return Card(name=name, title=scene.title, summary=scene.summary, source=scene.source,
                module=f"scenes/{type(scene).__module__.rsplit('.', 1)[-1]}.py", gif=gif.name,
                mp4=f"{name}.mp4", poster=f"{name}.png", alt=alt_text(trace), result=result_text(trace),
                command=job.command())


def build_gallery(folder: str | Path, names: Optional[list] = None, processes: Optional[int] = None,
                  on_done: Optional[Callable[[Card], None]] = None) -> list:
    """Render ``names`` (default: every registered scene) into ``folder`` and write its ``index.html``.

    Scenes render in ``processes`` worker processes (default: one per core); ``on_done(card)`` is called
    as each finishes. Returns the cards in the order of ``names``.
    """
    from .drawing.parallel import available_cores
    from .scene import scene_names
    from .writers.atomic import check_destination

    folder = Path(folder)
    if not folder.is_dir():
        if not folder.parent.is_dir():
            raise AnimateError(f"gallery folder {str(folder)!r} cannot be made: {str(folder.parent)!r} does not exist")
        folder.mkdir()
    check_destination(folder / "index.html")
    names = list(names) if names else scene_names()
    processes = processes or min(available_cores(), len(names))
    cards = {}
    if processes > 1:
        # Spawned, not forked: each worker trains with torch, which must not inherit a parent's threads.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            futures = {pool.submit(render_card, name, str(folder)): name for name in names}
            for future in as_completed(futures):
                card = future.result()
                cards[card.name] = card
                if on_done is not None:
                    on_done(card)
    else:
        for name in names:
            cards[name] = render_card(name, str(folder), workers=None)
            if on_done is not None:
                on_done(cards[name])
    ordered = [cards[name] for name in names]
    write_text_atomically(folder / "index.html", page_html(ordered))
    write_text_atomically(folder / "gallery.json",
                          json.dumps([asdict(card) for card in ordered], indent=2, ensure_ascii=False) + "\n")
    return ordered


def page_html(cards: list) -> str:
    """A self-contained page: one card per scene, each playing its MP4 with the GIF as fallback."""
    def card_html(card: Card) -> str:
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


def update_readme(readme: str | Path, table: str) -> None:
    """Replace the gallery between the README's markers with ``table`` (atomically)."""
    readme = Path(readme)
    if not readme.is_file():
        raise AnimateError(f"README {str(readme)!r} does not exist")
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        raise AnimateError(f"{str(readme)!r} has no gallery markers: add {README_START} and {README_END} lines")
    updated = pattern.sub(lambda _: f"{README_START}\n{table}\n{README_END}", text)
    write_text_atomically(readme, updated)
