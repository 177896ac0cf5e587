"""Writers: decode what was written (Pillow for GIF, ffmpeg for MP4) and compare with the lossless frames."""

import dataclasses
import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image, ImageSequence

from animate.errors import AnimateError
from animate.options import RenderOptions
from animate.api import render
from animate.writers import valid_suffixes, writer_for
from animate.writers.gif import GifWriter

from imaging import lossless_frames, psnr


def decode_gif(path):
    with Image.open(path) as image:
        loop = image.info.get("loop")
        frames = [(np.asarray(frame.convert("RGB")), frame.info["duration"]) for frame in ImageSequence.Iterator(image)]
    return frames, loop


@pytest.mark.slow
def test_gif_round_trip(tmp_path, linear_trace, small_options):
    path = tmp_path / "linear.gif"
    written = render(linear_trace, path, small_options)
    reference = lossless_frames(linear_trace, small_options)
    frames, loop = decode_gif(path)

    assert loop == 0  # loops forever
    assert len(frames) == len(reference) == written.frames == len(linear_trace)
    assert all(image.shape == (240, 320, 3) for image, _ in frames)
    durations = [duration for _, duration in frames]
    assert durations[1:-1] == [100] * (len(frames) - 2)  # 10 fps
    assert durations[0] == 100 + 1000  # the untrained model is held for hold_first = 1 s more
    assert durations[-1] == 100 + 1000  # the last frame is held for hold_last = 1 s more
    assert written.seconds == pytest.approx(sum(durations) / 1000)
    assert written.bytes == path.stat().st_size
    assert all(not np.array_equal(a, b) for (a, _), (b, _) in zip(frames, frames[1:]))  # frames move
    quality = [psnr(image, expected) for (image, _), expected in zip(frames, reference)]
    assert min(quality) >= 35, quality


@pytest.mark.slow
def test_gif_timing_stays_right_at_rates_that_do_not_divide_a_second(tmp_path, logistic_trace):
    options = RenderOptions(size=(320, 240), dpi=50, fps=7.0, hold_first=0, hold_last=0, motion="steps", captions=False)
    written = render(logistic_trace, tmp_path / "seven.gif", options)
    frames, _ = decode_gif(tmp_path / "seven.gif")
    durations = [duration for _, duration in frames]
    assert set(durations) <= {140, 150}  # 100/7 = 14.3 hundredths, alternated so the total is right
    assert sum(durations) == pytest.approx(1000 * len(logistic_trace) / 7, abs=10)
    assert written.frames == len(frames)


def test_gif_writer_merges_identical_frames_into_a_longer_one(tmp_path):
    options = RenderOptions(size=(64, 64), dpi=20, fps=10, hold_first=0, hold_last=0)
    writer = GifWriter(tmp_path / "m.gif", options)
    red, blue = np.zeros((64, 64, 3), np.uint8), np.zeros((64, 64, 3), np.uint8)
    red[..., 0], blue[..., 2] = 255, 255
    for frame in (red, red, red, blue):
        writer.write(frame)
    writer.close()
    frames, _ = decode_gif(tmp_path / "m.gif")
    assert [duration for _, duration in frames] == [300, 100]
    assert frames[0][0][0, 0].tolist() == [255, 0, 0] and frames[1][0][0, 0].tolist() == [0, 0, 255]


def test_gif_refuses_a_rate_browsers_cannot_play():
    with pytest.raises(AnimateError, match="at most 50"):
        GifWriter.check(RenderOptions(fps=60))
    GifWriter.check(RenderOptions(fps=50))


@pytest.mark.slow
def test_mp4_round_trip(tmp_path, linear_trace, small_options):
    path = tmp_path / "linear.mp4"
    written = render(linear_trace, path, small_options)
    reference = lossless_frames(linear_trace, small_options)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    frames = [np.frombuffer(raw, np.uint8).reshape(240, 320, 3) for raw in reader]

    assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p")
    assert tuple(meta["size"]) == (320, 240) and meta["fps"] == 10
    hold = 10  # 1 s at 10 fps, at the start and at the end
    assert len(frames) == len(reference) + 2 * hold
    assert written.seconds == pytest.approx(len(frames) / 10)
    assert np.array_equal(frames[-1], frames[-1 - hold]) or psnr(frames[-1], frames[-1 - hold]) > 45
    assert np.array_equal(frames[0], frames[hold]) or psnr(frames[0], frames[hold]) > 45
    quality = [psnr(decoded, expected) for decoded, expected in zip(frames[hold:], reference)]
    assert min(quality) >= 30, quality  # yuv420p halves colour resolution; 30 dB is visually clean
    assert psnr(frames[0], frames[hold + len(reference) - 1]) < 30  # first and last frames really differ


def test_unknown_suffix_names_the_valid_ones(tmp_path, linear_trace):
    assert valid_suffixes() == [".gif", ".html", ".mp4", ".webm", ".webp"]
    for name in ("out.avi", "out", "out.GIF.txt"):
        with pytest.raises(AnimateError, match=r"valid suffixes are \.gif, \.html, \.mp4, \.webm, \.webp"):
            writer_for(tmp_path / name)
    assert writer_for(tmp_path / "OUT.GIF") is GifWriter


def test_a_failed_render_leaves_the_existing_file_untouched_and_no_partial_file(tmp_path, linear_trace):
    path = tmp_path / "keep.gif"
    path.write_bytes(b"precious")
    with pytest.raises(AnimateError):
        render(linear_trace, path, RenderOptions(fps=60))  # refused by the GIF writer before drawing
    assert path.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.gif"]


@pytest.mark.slow
def test_the_default_fast_path_round_trips_a_long_gif(tmp_path):
    """Long animations go through worker processes and the delta encoder: check what comes out."""
    from animate.train import record_scene

    trace = record_scene("logistic", lr=0.0005, every=1)  # about 150 steps
    trace = dataclasses.replace(trace, meta=trace.meta.replace(pace=20.0))  # a state a frame at 20 fps
    options = RenderOptions(size=(320, 240), dpi=50, fps=20, hold_first=0, hold_last=0.5, motion="steps", captions=False)
    written = render(trace, tmp_path / "long.gif", options)
    reference = lossless_frames(trace, RenderOptions(size=(320, 240), dpi=50, fps=20, workers=1, motion="steps", captions=False))
    frames, _ = decode_gif(tmp_path / "long.gif")
    slots = []  # a frame merged with unchanged successors plays for several frame slots
    for image, duration in frames:
        slots += [image] * round(duration / 50)
    assert len(trace) > 100 and written.frames == len(trace)
    assert len(slots) == len(reference) + 10  # every frame's slot, plus the 0.5 s hold
    assert written.seconds == pytest.approx(len(trace) / 20 + 0.5)
    quality = [psnr(image, expected) for image, expected in zip(slots, reference)]
    assert np.mean(quality) >= 40 and min(quality) >= 35, (np.mean(quality), min(quality))


@pytest.mark.slow
def test_the_default_fast_path_round_trips_a_long_mp4(tmp_path):
    from animate.train import record_scene

    trace = record_scene("mlp", frames=60)
    options = RenderOptions(size=(320, 240), dpi=50, fps=20, hold_first=0, hold_last=0, motion="steps", captions=False)
    render(trace, tmp_path / "long.mp4", options)
    reference = lossless_frames(trace, RenderOptions(size=(320, 240), dpi=50, fps=20, workers=1, motion="steps", captions=False))
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "long.mp4"))
    next(reader)
    decoded = [np.frombuffer(raw, np.uint8).reshape(240, 320, 3) for raw in reader]
    assert len(decoded) == len(reference) == 60
    assert min(psnr(a, b) for a, b in zip(decoded, reference)) >= 30


def test_gif_deltas_never_let_the_picture_drift(tmp_path):
    """A slow fade, each step below the still threshold: what is shown must still follow it."""
    options = RenderOptions(size=(64, 64), dpi=20, fps=10, hold_first=0, hold_last=0)
    writer = GifWriter(tmp_path / "fade.gif", options, sample=[np.full((64, 64, 3), v, np.uint8) for v in (0, 255)])
    for level in range(0, 256, 1):
        writer.write(np.full((64, 64, 3), level, np.uint8))
    writer.close()
    frames, _ = decode_gif(tmp_path / "fade.gif")
    assert abs(int(frames[-1][0][0, 0, 0]) - 255) <= 3
    assert sum(duration for _, duration in frames) == 25600  # 256 frames at 10 fps, merged or not


def test_a_still_longer_than_one_gif_delay_carries_on_in_empty_images(tmp_path):
    """GIF delays stop at 655.35 s; seven identical frames at 0.01 fps still last their 700 s."""
    options = RenderOptions(size=(64, 64), dpi=20, fps=0.01, hold_first=0, hold_last=1.5)
    writer = GifWriter(tmp_path / "slow.gif", options)
    for _ in range(7):
        writer.write(np.full((64, 64, 3), 200, np.uint8))
    writer.close()
    frames, _ = decode_gif(tmp_path / "slow.gif")
    assert sum(duration for _, duration in frames) == 701_500
    assert all(np.array_equal(frame, frames[0][0]) for frame, _ in frames)
