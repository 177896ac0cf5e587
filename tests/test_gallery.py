"""The gallery: `animate gallery` itself, the README table it writes, and the page in a real browser."""

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.gallery import README_END, README_START, Card, readme_table

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
ARTIFACTS = Path(os.environ.get("ANIMATE_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.mark.slow
def test_gallery_renders_scenes_with_a_page_and_a_readme_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{README_START}\nold table\n{README_END}\n\nafter\n")
    result = CliRunner().invoke(main, ["gallery", "-o", str(tmp_path / "site"), "--scene", "logistic",
                                       "--scene", "mlp", "--readme", str(readme)])
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    for name in ("logistic", "mlp"):
        for suffix in (".gif", ".mp4", ".png", ".json"):
            assert (site / f"{name}{suffix}").stat().st_size > 0
    page = (site / "index.html").read_text()
    assert page.count('<article class="card"') == 2 and 'src="logistic.mp4"' in page and 'src="mlp.gif"' in page
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


def browser():
    """A headless Chromium driven by Selenium, or a pytest skip saying what is missing."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("no Chromium here: install Debian's chromium and chromium-driver (.ci/run does)")
    options = Options()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--autoplay-policy=no-user-gesture-required", "--window-size=1400,2400",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='animate-chromium-')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


CHECK_PAGE = """
const done = arguments[arguments.length - 1];
const videos = [...document.querySelectorAll('video')];
const wait = (ms) => new Promise(resolve => setTimeout(resolve, ms));
const image = (src) => new Promise(resolve => {
  const probe = new Image();
  probe.onload = () => resolve({src, width: probe.naturalWidth, height: probe.naturalHeight});
  probe.onerror = () => resolve({src, width: 0, height: 0});
  probe.src = src;
});
(async () => {
  await Promise.all(videos.map(video => video.readyState >= 1 ? null : new Promise(resolve => {
    video.addEventListener('loadedmetadata', resolve, {once: true});
    video.addEventListener('error', resolve, {once: true});
    setTimeout(resolve, 15000);
  })));
  const before = videos.map(video => video.currentTime);
  await Promise.all(videos.map(video => video.play().catch(error => error.message)));
  await wait(1500);
  const images = await Promise.all(videos.flatMap(video => [video.poster, video.querySelector('img').src]).map(image));
  done({
    videos: videos.map((video, k) => ({src: video.currentSrc, ready: video.readyState, width: video.videoWidth,
                                      before: before[k], after: video.currentTime, error: video.error && video.error.code})),
    images,
  });
})();
"""


def test_the_gallery_page_plays_in_a_real_browser():
    driver = browser()
    try:
        driver.set_script_timeout(60)
        driver.get((ASSETS / "index.html").resolve().as_uri())
        state = driver.execute_async_script(CHECK_PAGE)
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "gallery.png"))
    finally:
        driver.quit()
    cards = json.loads((ASSETS / "gallery.json").read_text())
    assert len(state["videos"]) == len(cards) > 0
    for video in state["videos"]:
        assert video["error"] is None and video["ready"] >= 1 and video["width"] == 640, video
        assert video["after"] > video["before"] + 0.5, video  # it plays: time moves on
    for probe in state["images"]:
        assert probe["width"] > 0 and probe["height"] > 0, probe  # posters and GIF fallbacks decode
    assert errors == []
    with Image.open(ARTIFACTS / "gallery.png") as screenshot:
        assert screenshot.size[0] >= 1000
