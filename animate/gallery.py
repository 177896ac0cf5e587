"""The gallery: every registered scene rendered into one folder, with a static page and a README table.

All or nothing: every argument is checked first, the scenes render into a staging folder beside the
target, and only when every card is complete do the files move into place (with Ctrl-C, SIGTERM and
SIGHUP held for that moment), the README's table last. A failure or a signal before then leaves the
existing gallery and README as they were, and no staging folder. Scenes render in parallel, one
spawned process per core, each of which ends with this process however it ends.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
import shutil
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

from .errors import AnimateError
from .gallery_page import README_END, README_START, check_readme, page_html, readme_table, with_table  # noqa: F401
from .lifeline import die_with_parent
from .signals import signals_deferred
from .writers.atomic import check_destination, file_errors, staged_files, write_text_atomically


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
    page: str = ""  # the explorable page (NAME-explore.html)
    webm: str = ""  # the WebM the page's <video> offers before the MP4
    player: str = field(default="", repr=False)  # the page's player, as a fragment for the gallery page (not in gallery.json)


def render_card(name: str, staging: str, folder: str, workers: Optional[int] = 1) -> Card:
    """Train and render scene ``name`` into ``staging`` (GIF, MP4, poster, provenance): one gallery card,
    whose files will move to ``folder`` (which its command names). ``workers`` draw its frames."""
    from .describe import alt_text, result_text
    from .job import scene_job
    from .options import Extras, RenderOptions
    from .pipeline import run

    gif = f"{name}.gif"
    # The README shows these 320 px wide: laid out for that, at twice the pixels (see --for readme).
    job = scene_job(name, Path(staging) / gif, options=RenderOptions(venue="readme", workers=workers),
                    extras=Extras(poster=True, snippet=True))
    job = replace(job, named=Path(folder) / gif)
    summary = run(job)
    scene, trace = job.source.scene, summary.trace
    (Path(staging) / f"{name}.html").unlink()  # the page holds the snippets; a file apiece is clutter
    # The explorable page, from the same trace and options: a file to download, and a player for the card.
    from .pipeline import page_views
    from .writers.page import page_html as explorable_page, player_fragment

    views = page_views(trace, job.options)
    page = f"{name}-explore.html"
    (Path(staging) / page).write_text(explorable_page(views, trace.meta.step_name, scene.title, alt_text(trace)),
                                      encoding="utf-8")
    player = player_fragment(views, trace.meta.step_name, element_id=f"player-{name}", label=scene.title,
                             with_assets=False)
    return Card(name=name, title=scene.title, summary=scene.summary, source=scene.source,
                module=f"scenes/{type(scene).__module__.rsplit('.', 1)[-1]}.py", gif=gif,
                mp4=f"{name}.mp4", poster=f"{name}.png", alt=alt_text(trace), result=result_text(trace),
                command=job.command(), page=page, player=player, webm=f"{name}.webm")


def build_gallery(folder: str | Path, names: Optional[list] = None, processes: Optional[int] = None,
                  on_done: Optional[Callable[[Card], None]] = None, readme: str | Path | None = None,
                  on_start: Optional[Callable[[int], None]] = None) -> list:
    """Render ``names`` (default: every registered scene) into ``folder`` with its ``index.html``, and
    rewrite the gallery table of ``readme`` if given. Returns the cards in the order of ``names``.

    Scenes render in ``processes`` worker processes (default: one per core). ``on_start(count)`` is
    called once everything is checked, and ``on_done(card)`` as each scene finishes.
    """
    from .drawing.parallel import available_cores
    from .scene import get_scene, is_scene_file, scene_names

    folder = Path(folder)
    names = list(names) if names else scene_names()
    for name in names:
        if is_scene_file(name):  # its page links to scenes/NAME.py, and each worker would run the file again
            raise AnimateError(f"the gallery shows the registered scenes; {name!r} is a scene file: render it "
                               "with animate scene")
        get_scene(name)  # an unknown name fails now, not after the others have rendered
    if folder.exists() and not folder.is_dir():
        raise AnimateError(f"gallery folder {str(folder)!r} is a file: give a folder")
    if not folder.parent.is_dir():
        raise AnimateError(f"gallery folder {str(folder)!r} cannot be made: {str(folder.parent)!r} does not exist")
    if not folder.is_dir():
        check_destination(folder)
    for name in ["index.html", "gallery.json", *(f"{scene}{suffix}" for scene in names
                                                 for suffix in (".gif", ".webm", ".mp4", ".png", ".json", "-explore.html"))]:
        if folder.is_dir():
            check_destination(folder / name)  # a folder or a link where a file goes fails now, not at the end
    readme_text = check_readme(readme) if readme is not None else None
    if readme is not None:
        check_destination(readme)
    # Beside where the files end up (a link's target, if the folder is one): moving them in is a rename.
    staging = folder.resolve().parent / f".{folder.name}.staging-{secrets.token_hex(4)}"
    try:
        staging.mkdir()
    except OSError as error:
        raise AnimateError(f"gallery folder {str(folder)!r} cannot be made: {error.strerror or error}") from None
    if on_start is not None:
        on_start(len(names))
    try:
        cards = _render_cards(names, staging, folder, processes or min(available_cores(), len(names)), on_done)
        write_text_atomically(staging / "index.html", page_html(cards))
        write_text_atomically(staging / "gallery.json",
                              json.dumps([{key: value for key, value in asdict(card).items() if key != "player"} for card in cards],
                                         indent=2, ensure_ascii=False) + "\n")
        if readme is not None:  # written beside the README now; renamed over it with the rest
            table = readme_table(cards, os.path.relpath(folder, Path(readme).parent))
            with signals_deferred(), staged_files([readme]) as temporaries:  # the files and the README: all
                with file_errors(readme):
                    temporaries[Path(readme)].write_text(with_table(readme_text, table), encoding="utf-8")
                _move_in(staging, folder)
        else:
            _move_in(staging, folder)
        return cards
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(staging: Path, folder: Path) -> None:
    """Rename every finished file from ``staging`` into ``folder`` (with signals held: all of them)."""
    with signals_deferred():
        with file_errors(folder):
            folder.mkdir(exist_ok=True)
        for made in sorted(staging.iterdir()):
            with file_errors(folder / made.name):
                os.replace(made, folder / made.name)


def _render_cards(names: list, staging: Path, folder: Path, processes: int, on_done) -> list:
    cards = {}
    if processes <= 1:
        for name in names:
            cards[name] = render_card(name, str(staging), str(folder), workers=None)
            if on_done is not None:
                on_done(cards[name])
        return [cards[name] for name in names]
    # Spawned, not forked: each worker trains with torch, which must not inherit a parent's threads.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=die_with_parent,
                               initargs=(os.getpid(),))
    try:
        futures = [pool.submit(render_card, name, str(staging), str(folder)) for name in names]
        for future in as_completed(futures):
            card = future.result()
            cards[card.name] = card
            if on_done is not None:
                on_done(card)
    except BaseException:
        # Stop at once: what the workers are doing is no longer wanted, and waiting for a long scene to
        # finish training would keep the user (or a SIGTERM) waiting.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [cards[name] for name in names]
