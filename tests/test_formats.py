"""WebM (VP9, AV1; 4:2:0 and 4:4:4) and lossless animated WebP: written by their writers, read back with the
bundled ffmpeg and Pillow (frames, size, timing, provenance), and played in headless Chromium."""

import json
import re
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.errors import AnimateError
from animate.options import RenderOptions
from animate.outputs import Outputs, snippet_html, webm_type
from animate.writers.webm import WebmWriter, WebpWriter, av1_encoder

FPS = 10
OPTIONS = RenderOptions(size=(96, 64), dpi=20, fps=FPS, hold_first=0.5, hold_last=0.5).resolved()
DISTINCT = 20
SHOWN = DISTINCT + 10  # the holds: 0.5 s each at 10 fps


def frames(count=DISTINCT):
    """A bar that moves across a grey field, in a colour (so chroma matters)."""
    for index in range(count):
        frame = np.full((64, 96, 3), 200, np.uint8)
        frame[:, 4 * index:4 * index + 8] = (200, 40, 40)
        yield frame


def write(writer_class, path, **options):
    writer = writer_class(path, OPTIONS.__class__(**{**OPTIONS.__dict__, **options}), comment='{"made_by":"a test"}')
    for frame in frames():
        writer.write(frame)
    writer.close()
    return writer


def decoded(path):
    """Every frame of the video at ``path``, decoded by the bundled ffmpeg, and what it says of the stream."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path), "-f", "rawvideo",
                             "-pix_fmt", "rgb24", "-"], capture_output=True, check=True)
    raw = np.frombuffer(result.stdout, np.uint8)
    return raw.reshape(-1, 64, 96, 3), result.stderr.decode(errors="replace")


def psnr(a, b):
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


@pytest.mark.slow
@pytest.mark.parametrize("codec, chroma, stream", [
    ("vp9", "420", "vp9 (Profile 0), yuv420p"), ("vp9", "444", "vp9 (Profile 1), yuv444p"),
    ("av1", "420", "yuv420p"), ("av1", "444", "yuv444p")])
def test_webm_round_trip(tmp_path, codec, chroma, stream):
    path = tmp_path / "run.webm"
    writer = write(WebmWriter, path, webm_codec=codec, chroma=chroma)
    shown, said = decoded(path)
    assert len(shown) == SHOWN and writer.duration == pytest.approx(SHOWN / FPS)
    assert stream in said and ("av1" in said if codec == "av1" else True), said
    assert re.search(r"Duration: 00:00:03\.0", said), said
    assert '{"made_by":"a test"}' in said  # the provenance, in the comment tag
    expected = list(frames())
    assert psnr(shown[5], expected[0]) > 30 and psnr(shown[-1], expected[-1]) > 30  # after the first hold; the end
    assert writer.description.startswith("VP9" if codec == "vp9" else "AV1")


@pytest.mark.slow
def test_webp_is_lossless_with_its_timing_and_provenance(tmp_path):
    path = tmp_path / "run.webp"
    write(WebpWriter, path)
    expected = list(frames())
    with Image.open(path) as image:
        assert image.size == (96, 64) and image.info.get("loop") == 0 and image.is_animated
        assert '{"made_by":"a test"}' in image.info["xmp"].decode()
        total, shown = 0, []
        for index in range(image.n_frames):
            image.seek(index)
            image.load()
            total += image.info["duration"]
            shown.append(np.asarray(image.convert("RGB")))
    assert total == pytest.approx(SHOWN * 1000 / FPS, abs=2)  # held frames merged, their time kept
    assert np.array_equal(shown[0], expected[0]) and np.array_equal(shown[-1], expected[-1])  # lossless
    assert len(shown) == DISTINCT  # repeats (the holds) are stored once, as longer frames


def test_av1_444_needs_libaom_and_says_so(monkeypatch):
    from animate.writers import webm

    monkeypatch.setattr(webm, "encoders", lambda executable: frozenset({"libsvtav1", "libvpx-vp9"}))
    with pytest.raises(AnimateError, match=r"--webm-codec av1 needs an AV1 encoder \(libaom-av1\)"):
        av1_encoder("ffmpeg", "444")
    assert av1_encoder("ffmpeg", "420") == "libsvtav1"


def test_the_snippet_offers_the_webm_first_with_its_codec_then_the_mp4_then_the_gif():
    snippet = snippet_html(Outputs.beside("run.gif", snippet=True), "alt", (640, 480), webm_type("av1", "444"))
    order = [snippet.index(name) for name in ('src="run.webm"', 'src="run.mp4"', 'src="run.gif"')]
    assert order == sorted(order)
    assert 'type="video/webm; codecs=&quot;av01.1.04M.08&quot;"' in snippet
    assert webm_type("vp9", "420") == 'video/webm; codecs="vp09.00.10.08"'


@pytest.mark.slow
def test_the_cli_writes_webm_and_webp_and_names_the_encoder(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["scene", "logistic", "-o", str(tmp_path / "run.webm"), "--webm-codec", "av1",
                                  "--motion", "steps"])
    assert result.exit_code == 0, result.output
    assert ", AV1 4:2:0 (libsvtav1);" in result.output
    assert json.loads((tmp_path / "run.json").read_text())["encoding"] == {str(tmp_path / "run.webm"): "AV1 4:2:0 (libsvtav1)"}
    result = runner.invoke(main, ["scene", "logistic", "-q", "-o", str(tmp_path / "run.webp"), "--motion", "steps"])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "run.webp") as image:
        assert image.size == (640, 480) and image.n_frames > 10


@pytest.mark.slow
def test_the_new_formats_play_in_a_browser(tmp_path):
    from test_gallery import browser

    names = []
    for codec in ("vp9", "av1"):
        for chroma in ("420", "444"):
            name = f"{codec}-{chroma}.webm"
            write(WebmWriter, tmp_path / name, webm_codec=codec, chroma=chroma)
            names.append(name)
    write(WebpWriter, tmp_path / "run.webp")
    videos = "".join(f'<video muted loop playsinline src="{name}"></video>' for name in names)
    (tmp_path / "page.html").write_text(f'<!doctype html><html><body>{videos}<img src="run.webp"></body></html>')
    driver = browser()
    try:
        driver.get((tmp_path / "page.html").as_uri())
        played = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const wait = (ms) => new Promise(resolve => setTimeout(resolve, ms));
            (async () => {
              const videos = [...document.querySelectorAll('video')];
              await Promise.all(videos.map(v => v.play().catch(e => e.message)));
              const before = videos.map(v => v.currentTime);
              await wait(700);
              const image = document.querySelector('img');
              await image.decode().catch(() => null);
              done({videos: videos.map((v, i) => [v.getAttribute('src'), v.readyState, v.currentTime - before[i],
                                                  v.videoWidth, v.error && v.error.code]),
                    image: [image.naturalWidth, image.naturalHeight]});
            })();""")
    finally:
        driver.quit()
    for src, ready, advanced, width, error in played["videos"]:
        assert error is None and ready >= 2 and advanced > 0.2 and width == 96, (src, ready, advanced, width, error)
    assert played["image"] == [96, 64]
