"""The explorable page (-o NAME.html): one offline file that draws the run from its numbers.

What the page draws is checked against matplotlib's own transform of the trace's numbers (the figure
at 72 dpi, where display units are the page's points), first in the payload, then in a real browser.
"""

import base64
import json
import re
import time
import zlib

import numpy as np
import pytest
from click.testing import CliRunner

from animate.cli import main
from animate.comparison import build as compare_traces
from animate.drawing import Renderer
from animate.options import RenderOptions
from animate.pipeline import page_views, write_animation
from animate.outputs import Outputs
from animate.story import Timeline


def payload(path):
    """The page's header (JSON) and its int32/uint8 arrays, decoded as the player decodes them."""
    text = path.read_text(encoding="utf-8")
    data = re.search(r'<script type="application/octet-stream">([^<]+)</script>', text).group(1)
    raw = zlib.decompress(base64.b64decode(data))
    length = int.from_bytes(raw[:4], "little")
    header = json.loads(raw[4:4 + length])
    arrays = {}
    for name, spec in header["arrays"].items():
        chunk = raw[4 + length + spec["offset"]:4 + length + spec["offset"] + spec["bytes"]]
        arrays[name] = np.frombuffer(chunk, dtype="<i4" if spec["type"] == "int32" else np.uint8)
    return header, arrays


def polyline(coordinates, span):
    """A stored polyline back in points (undoing the delta code)."""
    start, count = span
    deltas = coordinates[2 * start:2 * (start + count)].reshape(-1, 2).astype(np.int64)
    return np.cumsum(deltas, axis=0) / 100


def expected_fit(trace, options, snapshot):
    """The fit line of ``snapshot`` in page points (y down), by matplotlib's transform at 72 dpi."""
    renderer = Renderer(trace, options, Timeline.plain(len(trace)))
    figure = renderer.picture.figure
    figure.set_dpi(72)
    panel = renderer.panel
    panel.update(snapshot)
    line = panel.fit_line
    points = line.get_transform().transform(line.get_xydata())
    points[:, 1] = figure.get_size_inches()[1] * 72 - points[:, 1]
    return points


@pytest.fixture(scope="module")
def linear_page(tmp_path_factory, linear_trace):
    path = tmp_path_factory.mktemp("page") / "linear.html"
    options = RenderOptions(size=(640, 480)).resolved(linear_trace.meta.pace)
    written = write_animation(linear_trace, Outputs.beside(path, provenance=False), options)
    return path, written, options


def test_the_page_draws_each_snapshot_s_fit_from_the_trace_s_numbers(linear_page, linear_trace):
    path, written, options = linear_page
    header, arrays = payload(path)
    view = header["views"][0]
    assert view["count"] == len(linear_trace) == written.frames
    assert view["steps"] == [int(step) for step in linear_trace.steps]
    fit = next(a for a in view["artists"] if a["zorder"] == 4 and not a["marker"])
    coordinates = arrays[view["coordinates"]]
    for snapshot in (0, len(linear_trace) // 2, len(linear_trace) - 1):
        (span,) = fit["frames"][snapshot]
        drawn = polyline(coordinates, span)
        assert np.allclose(drawn, expected_fit(linear_trace, options, snapshot), atol=0.006)
    # The readouts are the trace's: the loss written on the last frame is its last loss.
    lines = [view["strings"][i] for text in view["texts"] for i in text["lines"][-1]]
    assert any(f"{linear_trace.loss[-1]:.4g}"[:5] in line for line in lines)


def test_the_page_is_self_contained_and_small(linear_page):
    path, written, _ = linear_page
    text = path.read_text(encoding="utf-8")
    assert written.bytes == path.stat().st_size < 300_000
    assert not re.search(r'(src|href)="(https?:)?//', text)  # nothing to fetch
    assert "@font-face" in text and "data:font/woff;base64," in text  # the readouts' font goes with it
    assert text.startswith("<!doctype html>")


def test_a_comparison_page_has_all_runs_then_each_run(tmp_path, linear_trace):
    other = linear_trace  # two runs of one trace are enough to check the views; labels tell them apart
    comparison = compare_traces([linear_trace, other], ["lr 0.001", "lr 0.01"], frames=50)
    options = RenderOptions(size=(640, 480), fps=10).resolved(None)
    views = page_views(comparison, options)
    assert [label for label, _ in views] == ["all runs", "lr 0.001", "lr 0.01"]
    assert views[1][1]["steps"] == [int(step) for step in linear_trace.steps]


@pytest.mark.slow
def test_render_and_scene_write_pages_by_suffix(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["scene", "logistic", "-q", "-o", str(tmp_path / "run.html"), "--trace",
                                  str(tmp_path / "run.npz")])
    assert result.exit_code == 0, result.output
    header, arrays = payload(tmp_path / "run.html")
    (shading,) = header["views"][0]["shadings"]
    values = arrays[shading["array"]].reshape(header["views"][0]["count"], len(shading["gridY"]), len(shading["gridX"]))
    from animate.trace import Trace

    trace = Trace.load(tmp_path / "run.npz")
    assert np.abs(values / 255 - trace.outputs["prob"]).max() <= 0.5 / 255 + 1e-9  # the probabilities, as bytes
    again = runner.invoke(main, ["render", str(tmp_path / "run.npz"), "-q", "-o", str(tmp_path / "again.html")])
    assert again.exit_code == 0, again.output
    assert payload(tmp_path / "again.html")[0]["views"][0]["steps"] == header["views"][0]["steps"]


# ---- in a real browser -------------------------------------------------------------------------------------
def open_page(driver, path, size):
    from test_gallery import view_as

    view_as(driver, size, phone=size[0] < 600)
    driver.get(path.as_uri())
    for _ in range(100):
        if driver.execute_script("return !!(window.animatePlayers && window.animatePlayers.length)"):
            return
        time.sleep(0.05)
    raise AssertionError(f"the player did not start: {driver.get_log('browser')}")


def drawn_fit(driver):
    """The fit line the browser shows now, parsed from its SVG path (points)."""
    d = driver.execute_script(
        "const p = window.animatePlayers[0];"
        "const a = p.view.artists.find(a => a.spec.zorder === 4 && !a.spec.marker);"
        "return a.path.getAttribute('d');")
    return np.array([[float(v) for v in pair.split()] for pair in d[1:].split("L")])


@pytest.mark.slow
def test_in_a_browser_the_slider_play_and_keys_show_the_recorded_states(linear_page, linear_trace):
    from test_gallery import browser

    path, _, options = linear_page
    driver = browser()
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        open_page(driver, path, (1280, 900))
        last = len(linear_trace) - 1
        for snapshot in (3, last):
            driver.execute_script(
                "const s = document.querySelector('.animate-player input[type=range]');"
                f"s.value = {snapshot}; s.dispatchEvent(new Event('input'));")
            assert np.allclose(drawn_fit(driver), expected_fit(linear_trace, options, snapshot), atol=0.01)
        # Keys: Home, then the right arrow steps once.
        from selenium.webdriver.common.keys import Keys

        player = driver.find_element("css selector", ".animate-player")
        player.send_keys(Keys.HOME)
        player.send_keys(Keys.ARROW_RIGHT)
        assert driver.execute_script("return window.animatePlayers[0].frame") == 1
        # Play advances; pause stops.
        driver.find_element("css selector", "button[aria-label=play]").click()
        time.sleep(0.6)
        assert driver.execute_script("return window.animatePlayers[0].frame") > 1
        driver.find_element("css selector", "button[aria-label=pause]").click()
        # Scrubbing keeps up: a slider change at every animation frame (60 Hz), as a dragging pointer makes them;
        # when each change is drawn (script, style, layout, paint) within its frame, no frame is skipped and the
        # callbacks come one frame apart.
        intervals, draws = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const slider = document.querySelector('.animate-player input[type=range]');
            const player = window.animatePlayers[0];
            const stamps = [], draws = [];
            function frame(now) {
              stamps.push(now);
              if (stamps.length > 60) {
                done([stamps.slice(1).map((t, i) => t - stamps[i]), draws]);
                return;
              }
              slider.value = (stamps.length * 7) % (Number(slider.max) + 1);
              slider.dispatchEvent(new Event('input'));
              draws.push(player.lastDrawMs);
              requestAnimationFrame(frame);
            }
            requestAnimationFrame(frame);""")
        assert np.median(intervals) < 1.25 * 1000 / 60, intervals
        assert np.percentile(draws, 95) < 1000 / 60, draws
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, errors
        # At a phone's width the page fits without scrolling sideways; served over HTTP, it asks for nothing
        # but itself (the server's list, and the browser's resource timing, which file: pages do not keep).
        from test_gallery import served, view_as

        with served(path.parent) as (address, asked):
            view_as(driver, (390, 844), phone=True)
            driver.get(address + path.name)
            for _ in range(100):
                if driver.execute_script("return !!(window.animatePlayers && window.animatePlayers.length)"):
                    break
                time.sleep(0.05)
            assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
            assert driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)") == []
        assert asked == [f"/{path.name}"], asked
    finally:
        driver.quit()


@pytest.mark.slow
def test_in_a_browser_the_run_picker_keeps_the_step(tmp_path):
    from test_gallery import browser

    result = CliRunner().invoke(main, ["compare", "linear", "--lr", "0.001", "--lr", "0.005", "--steps", "400",
                                       "-q", "-o", str(tmp_path / "cmp.html")])
    assert result.exit_code == 0, result.output
    driver = browser()
    try:
        open_page(driver, tmp_path / "cmp.html", (1280, 900))
        tabs = driver.find_elements("css selector", ".animate-player .picker button")
        assert [tab.text for tab in tabs][0] == "all runs" and len(tabs) == 3
        driver.execute_script(
            "const s = document.querySelector('.animate-player input[type=range]');"
            "s.value = Math.floor(Number(s.max) / 2); s.dispatchEvent(new Event('input'));")
        step = driver.execute_script("const p = window.animatePlayers[0]; return p.view.spec.steps[p.frame]")
        tabs[2].click()
        shown = driver.execute_script("const p = window.animatePlayers[0]; return p.view.spec.steps[p.frame]")
        steps = driver.execute_script("return window.animatePlayers[0].view.spec.steps")
        assert shown == max(s for s in steps if s <= step)  # the same step, or the last recorded before it
        assert tabs[2].get_attribute("aria-selected") == "true"
        # Overlaid: the other run's fit is drawn in this run's plot, in that run's colour, with a key.
        driver.find_element("css selector", ".animate-player .overlay-switch input").click()
        overlaid = driver.execute_script(
            "return [...document.querySelectorAll('.animate-player .overlaid-run')].map(p => "
            "[p.getAttribute('stroke'), p.getAttribute('data-run'), p.getAttribute('d').length])")
        colours = driver.execute_script("return window.animatePlayers[0].views.map(v => v.spec.colour)")
        assert overlaid == [[colours[1], "lr 0.001", overlaid[0][2]]] and overlaid[0][2] > 10
        key = driver.find_element("css selector", ".animate-player .key").text
        assert "lr 0.005" in key and "lr 0.001" in key
        assert not [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    finally:
        driver.quit()


def test_in_a_notebook_the_page_shows_inline_in_a_frame_of_its_own(linear_page):
    path, written, _ = linear_page
    shown = written._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "aspect-ratio: " in shown
    inner = re.search(r'srcdoc="([^"]*)"', shown).group(1)
    import html

    assert html.unescape(inner) == path.read_text(encoding="utf-8")  # the whole page, escaped once


def test_explore_writes_only_pages():
    result = CliRunner().invoke(main, ["explore", "linear", "--lr", "0.1", "--lr", "0.2", "-o", "x.gif"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: explore writes a page: give an output ending in .html, not 'x.gif' "
                                     "(animate compare writes .gif and .mp4)")
    import animate

    with pytest.raises(animate.AnimateError, match="explore writes a page"):
        animate.explore("linear", "x.mp4", lrs=[0.1, 0.2])


@pytest.mark.slow
def test_nothing_in_a_title_or_a_trace_can_end_the_page_s_provenance_or_add_markup(tmp_path):
    evil = "---><img src=x onerror=alert(1)></script><script>window.PWNED=1</script>&amp;"
    out = tmp_path / "a--->b.html"
    result = CliRunner().invoke(main, ["scene", "logistic", "-q", "-o", str(out), "--title", evil])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("<script") == 3  # the provenance (JSON), the data, the player: nothing more
    assert "<img" not in text and "-->" not in text
    provenance = json.loads(re.search(r'<script type="application/json" id="animate-provenance">(.*?)</script>',
                                      text).group(1))
    assert provenance["render"]["title"] == evil and "--title" in provenance["command"]  # kept exactly


def test_players_pasted_into_one_page_share_no_ids_or_fonts(linear_trace, logistic_trace):
    from animate.writers.page import player_fragment

    options = RenderOptions(size=(640, 480)).resolved(8)
    first = player_fragment(page_views(linear_trace, options), "epoch")
    second = player_fragment(page_views(logistic_trace, options), "iteration")
    ids = [re.search(r'class="animate-player[^"]*" id="([^"]+)"', fragment).group(1) for fragment in (first, second)]
    fonts = [set(re.findall(r"font-family:'([^']+)'", fragment)) for fragment in (first, second)]
    assert ids[0] != ids[1] and fonts[0] and fonts[1] and not fonts[0] & fonts[1]
    assert all(font.startswith(ids[n]) for n in (0, 1) for font in fonts[n])
    assert "body{" not in first + second  # nothing styled outside the player
