"""The gallery's words: its static page and the README table, both made from the same cards."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .errors import AnimateError
from .outputs import webm_type

README_START = "<!-- gallery:start (made by `animate gallery --readme README.md`; edits here are overwritten) -->"
README_END = "<!-- gallery:end -->"
_BETWEEN_MARKERS = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)


# Every gallery card is rendered at the default frame size; the page reserves that shape before a video loads.
FRAME_WIDTH, FRAME_HEIGHT = 640, 480

# System UI fonts first; then CJK fonts by name, Simplified Chinese first, for the blog titles (a font with no
# Han glyphs draws them as empty boxes), so that the Chinese forms win over whatever font a fallback finds.
SANS = ('system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", '
        '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif')
MONO = 'ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace'
_HAN = re.compile(r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# The copy buttons: the page's only script, inline so that nothing comes from the network and the page works
# opened from disk. Without scripts the buttons stay hidden and the commands can still be selected by hand.
COPY_SCRIPT = """<script>
for (const button of document.querySelectorAll("button.copy")) button.hidden = false;
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const code = button.parentElement.querySelector("code");
  const say = (words) => {
    button.textContent = words;
    clearTimeout(button.reset);
    button.reset = setTimeout(() => { button.textContent = "Copy"; }, 2000);
  };
  const select = () => {  // no clipboard here (or it refused): select the command for Ctrl+C
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    say("Selected");
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(code.textContent).then(() => say("Copied"), select);
  } else {
    select();
  }
});
</script>"""


def page_html(cards: list) -> str:
    """A self-contained page: one card per scene, each playing its MP4 with the GIF as fallback.

    It fits any screen from a phone up (one column on a phone, several on a desktop), with no network
    access and no script but the copy buttons'. The GIF is fetched only by a browser that cannot play
    ``<video>``: it is the video's fallback content, loaded lazily, and fallback content is never laid
    out where the video plays, so it never comes into view."""
    def card_html(card) -> str:
        e = html.escape
        size = f'width="{FRAME_WIDTH}" height="{FRAME_HEIGHT}"'
        lang = ' lang="zh"' if _HAN.search(card.source) else ""
        return f"""  <article class="card" id="{e(card.name)}">
    <video autoplay loop muted playsinline {size} poster="{e(card.poster)}" aria-label="{e(card.alt)}">
      {webm_source(card)}<source src="{e(card.mp4)}" type="video/mp4">
      <img src="{e(card.gif)}" {size} loading="lazy" alt="{e(card.alt)}">
    </video>
    <h2>{e(card.title)} <span class="name">{e(card.name)}</span></h2>
    <p class="source">Blog example <cite{lang}>{e(card.source)}</cite></p>
    <p>{e(card.summary)}</p>
    <p class="result">{e(card.result)}</p>
    <div class="command">
      <pre><code>{e(card.command)}</code></pre>
      <button type="button" class="copy" hidden aria-label="Copy the command for {e(card.name)}">Copy</button>
    </div>
    {explore(card)}
    <p class="files"><a href="{e(card.gif)}">GIF</a> · <a href="{e(card.mp4)}">MP4</a>{webm_link(card)}{page_link(card)} · <a href="{e(card.name)}.json">provenance</a></p>
  </article>"""

    def webm_source(card) -> str:
        if not card.webm:
            return ""
        kind = html.escape(webm_type("vp9", "420"), quote=True)
        return f'<source src="{html.escape(card.webm)}" type="{kind}">\n      '

    def explore(card) -> str:
        if not card.player:
            return ""
        return f'<details class="explore"><summary>Explore step by step</summary>{card.player}</details>'

    def webm_link(card) -> str:
        return f' · <a href="{html.escape(card.webm)}">WebM</a>' if card.webm else ""

    def page_link(card) -> str:
        return f' · <a href="{html.escape(card.page)}">page</a>' if card.page else ""

    body = "\n".join(card_html(card) for card in cards)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>animate: the gallery</title>
<style>
  *, *::before, *::after {{ box-sizing: border-box; }}
  body {{ font-family: {SANS}; margin: 0 auto; max-width: 1400px; padding: 2rem 1rem; color: #222; background: #fafafa; line-height: 1.45; }}
  h1 {{ font-size: 1.6rem; margin: 0 0 0.2rem; }}
  .lead {{ color: #555; margin: 0 0 1.5rem; }}
  code, pre, .name {{ font-family: {MONO}; }}
  .grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(min(420px, 100%), 1fr)); gap: 1.5rem; }}
  .card {{ min-width: 0; background: white; border: 1px solid #ddd; border-radius: 8px; padding: 1rem; }}
  .card video, .card img {{ display: block; width: 100%; max-width: 100%; height: auto; aspect-ratio: {FRAME_WIDTH} / {FRAME_HEIGHT}; border-radius: 4px; background: #eee; }}
  .card h2 {{ font-size: 1.05rem; margin: 0.8rem 0 0.2rem; overflow-wrap: anywhere; }}
  .card p {{ overflow-wrap: anywhere; }}
  .name {{ font-weight: normal; color: #0072B2; }}
  .source {{ color: #666; font-size: 0.9rem; margin: 0; }}
  .source cite {{ font-style: normal; }}
  .result {{ font-size: 0.9rem; }}
  .command {{ display: flex; align-items: stretch; gap: 0.4rem; }}
  .command pre {{ flex: 1; min-width: 0; margin: 0; padding: 0.5rem; border-radius: 4px; font-size: 0.8rem; white-space: pre; overflow-x: auto;
    /* a shadow at an edge that hides more of the command (covered, once scrolled to that edge, by the solid ends that move with the text) */
    background: linear-gradient(to right, #f3f3f3 40%, #f3f3f300) left / 2rem 100% no-repeat local,
                linear-gradient(to left, #f3f3f3 40%, #f3f3f300) right / 2rem 100% no-repeat local,
                radial-gradient(farthest-side at 0 50%, #0003, #0000) left / 0.5rem 100% no-repeat scroll,
                radial-gradient(farthest-side at 100% 50%, #0003, #0000) right / 0.5rem 100% no-repeat scroll, #f3f3f3; }}
  .copy {{ flex: none; font: inherit; font-size: 0.8rem; padding: 0 0.7rem; color: #222; background: white; border: 1px solid #bbb; border-radius: 4px; cursor: pointer; }}
  .copy:hover {{ background: #f0f0f0; }}
  .copy:focus-visible {{ outline: 2px solid #0072B2; outline-offset: 1px; }}
  .files {{ font-size: 0.85rem; margin-bottom: 0; }}
  .explore {{ margin: 0.6rem 0 0; }}
  .explore summary {{ cursor: pointer; color: #0072B2; min-height: 32px; }}
  @media (max-width: 480px) {{
    body {{ padding: 1rem 0.75rem; }}
    h1 {{ font-size: 1.35rem; }}
    .grid {{ gap: 1rem; }}
    .card {{ padding: 0.75rem; }}
  }}
</style>
</head>
<body>
<h1>animate: the gallery</h1>
<p class="lead">Every scene, each reproducing a beginner PyTorch blog example, rendered by <code>animate gallery</code>.</p>
<main class="grid">
{body}
</main>
{COPY_SCRIPT}
{player_assets_html() if any(card.player for card in cards) else ""}
</body>
</html>
"""


def player_assets_html() -> str:
    """The explorable players' style and script, once for the whole page."""
    from .writers.page import player_assets

    script, style = player_assets()
    return f"<style>{style}</style>\n<script>{script}</script>"


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
