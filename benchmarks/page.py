"""The explorable page, measured against matplotlib's FuncAnimation.to_jshtml on the same traces.

    python benchmarks/page.py          # writes its table into benchmarks/RESULTS.md (about 3 minutes)

For each case the same recorded runs are written two ways:
- ``animate``: ``-o NAME.html``, the picture drawn in the browser from the numbers;
- ``to_jshtml``: matplotlib's HTML player, which embeds every frame as a PNG. Its frames are the very
  frames animate draws for the GIF (one per recorded state, same size), shown by a FuncAnimation over
  an ``imshow`` of them, so both pages show the same pictures.

Scrubbing is measured in headless Chromium: at every animation frame (60 Hz) the slider moves to
another state and fires its ``input`` event, as a dragged pointer does; the time between consecutive
animation frames shows whether each change was drawn within its frame (about 16.7 ms) or frames were
skipped. Needs Debian's chromium and chromium-driver, and selenium.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from animate.comparison import build as build_comparison  # noqa: E402
from animate.drawing import open_frames  # noqa: E402
from animate.options import RenderOptions  # noqa: E402
from animate.outputs import Outputs  # noqa: E402
from animate.pipeline import write_animation  # noqa: E402
from animate.story import Timeline  # noqa: E402
from animate.train import record_scene  # noqa: E402
from results_file import put_block  # noqa: E402

START, END = "<!-- page:start -->", "<!-- page:end -->"


def jshtml(drawable, options: RenderOptions, path: Path) -> None:
    """matplotlib's to_jshtml player of animate's own frames (one per recorded state)."""
    from matplotlib.animation import FuncAnimation
    from matplotlib.figure import Figure

    count = len(drawable.clock) if hasattr(drawable, "clock") else len(drawable)
    with open_frames(drawable, options, Timeline.plain(count)) as source:
        frames = list(source.frames(range(count)))
    height, width = frames[0].shape[:2]
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    image = ax.imshow(frames[0])
    animation = FuncAnimation(figure, lambda i: image.set_data(frames[i]), frames=count, interval=1000 / options.fps)
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{animation.to_jshtml()}"
                    "</body></html>", encoding="utf-8")


def scrub(path: Path, slider_selector: str, ready: str) -> tuple[float, float]:
    """(median, 95th percentile) milliseconds between animation frames while the slider moves every frame,
    in a browser of its own (so that no page measured before leaves work, such as garbage, behind)."""
    driver = browser()
    try:
        return _scrub(driver, path, slider_selector, ready)
    finally:
        driver.quit()


def _scrub(driver, path: Path, slider_selector: str, ready: str) -> tuple[float, float]:
    driver.get(path.as_uri())
    for _ in range(200):
        if driver.execute_script(f"return !!({ready})"):
            break
        time.sleep(0.05)
    intervals = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const slider = document.querySelector(arguments[0]);
        const stamps = [];
        function frame(now) {
          stamps.push(now);
          if (stamps.length > 121) { done(stamps.slice(1).map((t, i) => t - stamps[i])); return; }
          slider.value = (stamps.length * 7) % (Number(slider.max) + 1);
          slider.dispatchEvent(new Event('input'));
          requestAnimationFrame(frame);
        }
        requestAnimationFrame(frame);""", slider_selector)
    return float(np.median(intervals)), float(np.percentile(intervals, 95))


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='animate-bench-')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_script_timeout(120)
    return driver


def cases():
    for name in ("logistic", "linear", "poly"):
        trace = record_scene(name, seed=0)
        yield name, trace, RenderOptions().resolved(trace.meta.pace)
    variants = [(lr, optimizer) for lr in (0.001, 0.005, 0.01) for optimizer in ("sgd", "momentum", "adam")]
    traces = [record_scene("linear", seed=0, lr=lr, optimizer=optimizer) for lr, optimizer in variants]
    labels = [f"{optimizer}, lr {lr:g}" for lr, optimizer in variants]
    comparison = build_comparison(traces, labels, frames=200, title="linear: 3 × 3 lattice")
    yield "linear 3×3 lattice (explore)", comparison, RenderOptions(size=(1280, 720), fps=20).resolved(None)


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, drawable, options in cases():
            ours, theirs = Path(folder) / "ours.html", Path(folder) / "jshtml.html"
            started = time.perf_counter()
            write_animation(drawable, Outputs.beside(ours, provenance=False), options)
            ours_seconds = time.perf_counter() - started
            started = time.perf_counter()
            jshtml(drawable, options, theirs)
            theirs_seconds = time.perf_counter() - started
            ours_scrub = scrub(ours, ".animate-player input[type=range]",
                               "window.animatePlayers && window.animatePlayers.length")
            slider = re.search(r'id="(_anim_slider[0-9a-f]+)"', theirs.read_text()).group(1)
            theirs_scrub = scrub(theirs, f"#{slider}", "document.querySelector('img')")
            rows.append((name, ours.stat().st_size, theirs.stat().st_size, ours_seconds, theirs_seconds,
                         ours_scrub, theirs_scrub))
            print(rows[-1], flush=True)
    lines = [START, "## The explorable page against `FuncAnimation.to_jshtml` (`python benchmarks/page.py`)", "",
             "Same recorded runs, one state per slider position, same picture size (640×480; the lattice 1280×720). "
             "Scrub: milliseconds between animation frames in headless Chromium while the slider moves at every "
             "frame (16.7 ms means every change was drawn within its 60 Hz frame). Targets: one scene under "
             "300 KB, a 3×3 lattice under 2 MB.", "",
             "| case | animate page | to_jshtml page | size ratio | write s (animate → to_jshtml) | "
             "scrub ms median / p95, animate | to_jshtml |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, ours, theirs, ours_s, theirs_s, (ours_m, ours_p), (theirs_m, theirs_p) in rows:
        lines.append(f"| {name} | {ours / 1000:,.0f} KB | {theirs / 1000:,.0f} KB | {ours / theirs:.3f}× | "
                     f"{ours_s:.1f} → {theirs_s:.1f} | {ours_m:.1f} / {ours_p:.1f} | {theirs_m:.1f} / {theirs_p:.1f} |")
    lines.append(END)
    block = "\n".join(lines)
    print(block)
    put_block("page", block)


if __name__ == "__main__":
    main()
