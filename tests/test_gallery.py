"""The gallery: `animate gallery` itself, the README table it writes, and the page in a real browser."""

import base64
import contextlib
import http.server
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.gallery import README_END, README_START, Card, page_html, readme_table
from animate.outputs import Outputs, snippet_html

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
ARTIFACTS = Path(os.environ.get("ANIMATE_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def small_gallery(tmp_path_factory):
    """``animate gallery --scene logistic --scene mlp`` into a temporary folder, rewriting a README's table:
    made once, for the tests below. Returns the gallery folder and the README."""
    folder = tmp_path_factory.mktemp("gallery")
    readme = folder / "README.md"
    readme.write_text(f"# x\n\n{README_START}\nold table\n{README_END}\n\nafter\n")
    result = CliRunner().invoke(main, ["gallery", "-o", str(folder / "site"), "--scene", "logistic",
                                       "--scene", "mlp", "--readme", str(readme)])
    assert result.exit_code == 0, result.output
    return folder / "site", readme


@pytest.mark.slow
def test_gallery_renders_scenes_with_a_page_and_a_readme_table(small_gallery):
    site, readme = small_gallery
    for name in ("logistic", "mlp"):
        for suffix in (".gif", ".mp4", ".png", ".json"):
            assert (site / f"{name}{suffix}").stat().st_size > 0
        assert (site / f"{name}-explore.html").read_text().count('class="animate-player') == 1
    page = (site / "index.html").read_text()
    assert page.count('<article class="card"') == 2 and 'src="logistic.mp4"' in page and 'src="mlp.gif"' in page
    assert page.count('<details class="explore">') == page.count('class="animate-player') == 2  # a player a card
    assert "player" not in json.loads((site / "gallery.json").read_text())[0]  # the fragment stays out of the JSON
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from the network
    text = readme.read_text()
    assert "old table" not in text and "after" in text and "site/logistic.gif" in text


def test_gallery_refuses_an_unknown_scene_before_rendering_anything(tmp_path):
    result = CliRunner().invoke(main, ["gallery", "-o", str(tmp_path / "site"), "--scene", "nope"])
    assert result.exit_code == 1 and "unknown scene 'nope'" in result.output
    assert not (tmp_path / "site").exists()


def test_the_readme_gallery_is_the_table_the_gallery_code_makes():
    cards = [Card(**card) for card in json.loads((ASSETS / "gallery.json").read_text())]
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(README_START)[1].split(README_END)[0].strip()
    assert section == readme_table(cards, "assets")
    for card in cards:
        for name in (card.gif, card.mp4, card.poster):
            assert (ASSETS / name).is_file()
        with Image.open(ASSETS / card.gif) as image:
            assert image.n_frames > 1


def test_the_page_and_the_snippet_are_made_for_small_screens_and_fetch_no_gif_beside_the_video():
    cards = [Card(**card) for card in json.loads((ASSETS / "gallery.json").read_text())]
    page = page_html(cards)
    assert page.count('<button type="button" class="copy"') == page.count("<pre>") == len(cards)
    assert page.count('loading="lazy"') == page.count("<img") == len(cards)  # the GIF only as lazy fallback
    assert "minmax(min(420px, 100%), 1fr)" in page and "white-space: pre; overflow-x: auto" in page
    assert "break-all" not in page and '"Noto Sans CJK SC"' in page and "navigator.clipboard.writeText" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    snippet = snippet_html(Outputs.beside("run.gif", snippet=True), 'a "quoted" <alt>', (640, 480))
    fit = 'width="640" height="480" style="max-width: 100%; height: auto; aspect-ratio: 640 / 480;"'
    assert snippet.count(fit) == 2  # the video and its fallback: full size, but never wider than the column
    assert 'src="run.gif"' in snippet and 'loading="lazy"' in snippet and "&quot;quoted&quot; &lt;alt&gt;" in snippet


def browser():
    """A headless Chromium driven by Selenium, or a pytest skip saying what is missing."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("no Chromium here: install Debian's chromium, chromium-driver and fonts-noto-cjk (.ci/run does)")
    options = Options()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--autoplay-policy=no-user-gesture-required", "--window-size=1400,2400",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='animate-chromium-')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(60)
    return driver


PHONE, DESKTOP = (390, 844), (1280, 900)


def view_as(driver, size, phone):
    """Lay pages out at ``size`` CSS pixels. As a phone (``phone``), the browser honours the page's viewport
    tag and, as a phone's does, zooms out to show a page wider than the screen: then ``innerWidth`` grows
    past the screen's width, which is why the checks compare with the screen's width itself."""
    width, height = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 2 if phone else 1, "mobile": phone})


def screenshot(driver, path):
    """The whole page as a PNG, not only its first screenful."""
    content = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": content["width"], "height": content["height"], "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                            "clip": clip})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


@contextlib.contextmanager
def served(folder):
    """``folder`` over HTTP on 127.0.0.1, with the paths asked for: Chromium keeps resource timing entries
    for pages from http: but not from file:, and the server's own list is a second witness."""
    asked = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            asked.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", asked
    finally:
        server.shutdown()
        server.server_close()


# Waits for every video to play for 1.5 s, then measures the page: what is wider than the screen, the
# columns, each video's state and shape, each command's block and copy button.
CHECK_PAGE = """
const done = arguments[arguments.length - 1];
const videos = [...document.querySelectorAll('video')];
const wait = (ms) => new Promise(resolve => setTimeout(resolve, ms));
const box = (element) => {
  const r = element.getBoundingClientRect();
  return {what: element.tagName + (element.className ? '.' + element.className : ''), left: r.left, right: r.right,
          width: r.width, height: r.height};
};
(async () => {
  await Promise.all(videos.map(video => video.readyState >= 1 ? null : new Promise(resolve => {
    video.addEventListener('loadedmetadata', resolve, {once: true});
    video.addEventListener('error', resolve, {once: true});
    setTimeout(resolve, 15000);
  })));
  const before = videos.map(video => video.currentTime);
  await Promise.all(videos.map(video => video.play().catch(error => error.message)));
  await wait(1500);
  const pres = [...document.querySelectorAll('pre')];
  done({
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    boxes: [...document.querySelectorAll('.card, video, pre')].map(box),
    columns: new Set([...document.querySelectorAll('.card')].map(card => Math.round(box(card).left))).size,
    videos: videos.map((video, k) => ({src: video.currentSrc, ready: video.readyState, width: video.videoWidth,
                                      before: before[k], after: video.currentTime,
                                      error: video.error && video.error.code, shape: box(video)})),
    commands: pres.map(pre => ({text: pre.textContent,
                                style: getComputedStyle(pre).whiteSpace + ' ' + getComputedStyle(pre).overflowX,
                                scrolls: pre.scrollWidth > pre.clientWidth,
                                button: !!pre.parentElement.querySelector('button.copy:not([hidden])')})),
  });
})();
"""

RESOURCES = "return performance.getEntriesByType('resource').map(entry => entry.name);"

# Do the Chinese characters of a blog title render as glyphs, not as empty boxes (tofu)? document.fonts.check
# cannot tell: it only consults the page's own @font-face fonts, so with none it answers true even where
# every character is a box (tried: true with no CJK font installed). So each character is drawn on a canvas
# in the title's computed font: where no font has it, every character draws the same .notdef box, the very
# box drawn for U+E000, a private-use code point that no font maps; where a font has them, each character
# draws its own, different glyph. (Tried both ways in headless Chromium: without fonts-noto-cjk all eight
# characters matched the box, with it none did.)
CHECK_GLYPHS = """
const title = document.querySelector(arguments[0]);
const style = getComputedStyle(title);
const font = style.fontStyle + ' ' + style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
const draw = (character) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const context = canvas.getContext('2d');
  context.font = font;
  context.textBaseline = 'top';
  context.fillText(character, 8, 8);
  return context.getImageData(0, 0, 64, 64).data.filter((value, k) => k % 4 === 3).join(',');
};
const han = [...title.textContent].filter(character => /\\p{Script=Han}/u.test(character));
const box = draw('\\uE000');
return {font, han: han.join(''), boxes: han.filter(character => draw(character) === box).join(''),
        different: new Set(han.map(draw)).size};
"""

PROBE_IMAGES = """
const done = arguments[arguments.length - 1];
const image = (src) => new Promise(resolve => {
  const probe = new Image();
  probe.onload = () => resolve({src, width: probe.naturalWidth, height: probe.naturalHeight});
  probe.onerror = () => resolve({src, width: 0, height: 0});
  probe.src = src;
});
Promise.all([...document.querySelectorAll('video')].flatMap(video => [video.poster, video.querySelector('img').src])
            .map(image)).then(done);
"""


def platform_fonts(driver, selector):
    """The fonts Chromium drew the text of ``selector`` with, for messages."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def assert_fits(state, width, what):
    assert state["innerWidth"] == width and state["scrollWidth"] <= width, (what, state["innerWidth"],
                                                                            state["scrollWidth"])
    for shape in state["boxes"]:
        assert shape["left"] >= 0 and shape["right"] <= width + 0.5, (what, shape)


def assert_plays(state):
    for video in state["videos"]:
        assert video["error"] is None and video["ready"] >= 1 and video["width"] == 640, video
        assert video["after"] > video["before"] + 0.5, video  # it plays: time moves on
        shape = video["shape"]
        assert abs(shape["height"] - shape["width"] * 480 / 640) <= 1, video  # the frame's shape, not squeezed


@pytest.mark.slow
def test_the_gallery_page_fits_a_phone_and_a_desktop_in_a_real_browser(request):
    driver = browser()  # first: without Chromium, the test skips before the gallery is made
    try:
        site, _ = request.getfixturevalue("small_gallery")
        cards = json.loads((site / "gallery.json").read_text())
        # A phone, the page served over HTTP so that every file it fetches can be seen.
        with served(site) as (address, asked):
            view_as(driver, PHONE, phone=True)
            driver.get(address + "index.html")
            phone = driver.execute_async_script(CHECK_PAGE)
            screenshot(driver, ARTIFACTS / "gallery-390.png")  # the whole page: nothing lazy is left off screen
            fetched = driver.execute_script(RESOURCES)
            glyphs = driver.execute_script(CHECK_GLYPHS, ".card .source cite")
            fonts = platform_fonts(driver, ".card .source cite")
        # A desktop, the page opened from disk as a reader who downloads the gallery would.
        view_as(driver, DESKTOP, phone=False)
        driver.get((site / "index.html").resolve().as_uri())
        desktop = driver.execute_async_script(CHECK_PAGE)
        screenshot(driver, ARTIFACTS / "gallery-1280.png")
        images = driver.execute_async_script(PROBE_IMAGES)
        players = driver.execute_script("return (window.animatePlayers || []).map(p => p.view.spec.count)")
        copied = copy_first_command(driver)
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    finally:
        driver.quit()

    assert len(phone["videos"]) == len(desktop["videos"]) == len(cards) > 0
    assert len(players) == len(cards) and min(players) > 1  # every card's player started, with its states
    assert_fits(phone, PHONE[0], "phone")
    assert phone["columns"] == 1 and desktop["columns"] >= 2, (phone["columns"], desktop["columns"])
    assert_plays(phone)
    assert_plays(desktop)
    assert desktop["scrollWidth"] <= DESKTOP[0]

    # The GIFs are the videos' fallback content: a browser that plays the videos never fetches them.
    names = [url.rsplit("/", 1)[-1] for url in fetched]
    for card in cards:  # what it did fetch is seen, so what is not seen was not fetched
        # The WebM is the first source and Chromium plays it: it takes that, and neither the MP4 nor the GIF.
        assert card["poster"] in names and card["webm"] in names and card["mp4"] not in names, names
    assert not [name for name in names if name.lower().endswith(".gif")], names
    assert not [path for path in asked if path.lower().endswith(".gif")], asked
    for probe in images:
        assert probe["width"] > 0 and probe["height"] > 0, probe  # posters and GIF fallbacks decode

    # Each command in a block that scrolls sideways rather than breaking words, with a copy button.
    assert [command["text"] for command in phone["commands"]] == [card["command"] for card in cards]
    for command in phone["commands"]:
        assert command["style"] == "pre auto" and command["button"], command
    assert any(command["scrolls"] for command in phone["commands"])  # a long command scrolls on a phone
    assert copied == {"clipboard": cards[0]["command"], "selected": cards[0]["command"]}, copied

    assert glyphs["han"] and glyphs["boxes"] == "" and glyphs["different"] == len(set(glyphs["han"])), (
        glyphs, fonts, "the Chinese title draws as boxes: is a CJK font installed (Debian: fonts-noto-cjk)?")
    assert errors == []
    with Image.open(ARTIFACTS / "gallery-390.png") as narrow, Image.open(ARTIFACTS / "gallery-1280.png") as wide:
        assert narrow.size[0] == 2 * PHONE[0] and wide.size[0] >= DESKTOP[0] - 20  # less a scroll bar


def copy_first_command(driver):
    """Click the first copy button twice: with the clipboard (then read back), and with none, where the
    button selects the command instead."""
    from selenium.webdriver.common.by import By

    driver.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite",
                                                                        "clipboardSanitizedWrite"]})
    button = driver.find_element(By.CSS_SELECTOR, "button.copy")
    button.click()
    clipboard = driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, error => done(error.message));")
    driver.execute_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});"
                          "getSelection().removeAllRanges();")
    button.click()
    return {"clipboard": clipboard, "selected": driver.execute_script("return getSelection().toString();")}


@pytest.mark.slow
def test_the_snippet_fits_a_phone_and_fetches_no_gif(request):
    driver = browser()  # first: without Chromium, the test skips before the gallery is made
    try:
        site, _ = request.getfixturevalue("small_gallery")
        alt = json.loads((site / "gallery.json").read_text())[0]["alt"]
        snippet = snippet_html(Outputs.beside(site / "logistic.gif", snippet=True), alt, (640, 480))
        host = site.parent / "snippet" / "post.html"  # a blog post made for phones, with the snippet pasted in
        host.parent.mkdir(exist_ok=True)
        for name in ("logistic.webm", "logistic.mp4", "logistic.gif", "logistic.png"):
            shutil.copy(site / name, host.parent / name)
        host.write_text('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>A post</title>\n'
                        f'</head>\n<body>\n<p>Before the animation.</p>\n{snippet}<p>After it.</p>\n</body>\n</html>\n')
        with served(host.parent) as (address, asked):
            view_as(driver, PHONE, phone=True)
            driver.get(address + host.name)
            state = driver.execute_async_script(CHECK_PAGE)
            screenshot(driver, ARTIFACTS / "snippet-390.png")
            fetched = [url.rsplit("/", 1)[-1] for url in driver.execute_script(RESOURCES)]
    finally:
        driver.quit()
    assert len(state["videos"]) == 1
    assert_fits(state, PHONE[0], "snippet")
    assert_plays(state)
    assert "logistic.webm" in fetched and "logistic.png" in fetched and "logistic.mp4" not in fetched  # the smallest
    assert not [name for name in fetched + asked if name.lower().endswith(".gif")], (fetched, asked)
