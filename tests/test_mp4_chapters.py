"""MP4 chapters: written through the writer, read back with the bundled ffmpeg (no ffprobe needed)."""

import subprocess

import imageio_ffmpeg
import numpy as np
import pytest

from animate.errors import AnimateError
from animate.options import RenderOptions
from animate.writers import mp4
from animate.writers.mp4 import Mp4Writer

FPS = 10
FRAME = 1 / FPS
OPTIONS = RenderOptions(size=(96, 64), dpi=20, fps=FPS, hold_first=0.5, hold_last=0.5).resolved()
DISTINCT = 20  # frames given to the writer; with the holds the video has 20 + 5 + 5 = 30 frames, 3 s
SECONDS = (DISTINCT + 10) / FPS


def frames(count=DISTINCT):
    """A bar that moves across a grey field: frames that differ, and encode the same way every time."""
    for index in range(count):
        frame = np.full((64, 96, 3), 200, np.uint8)
        frame[:, 4 * index:4 * index + 8] = (200, 40, 40)
        yield frame


def write(path, **keywords):
    writer = Mp4Writer(path, OPTIONS, comment="made by a test", **keywords)
    for frame in frames():
        writer.write(frame)
    writer.close()
    return writer


def read_metadata(path):
    """The file's global metadata and its chapters (dicts with ``start``, ``end`` in seconds and ``title``),
    as ffmpeg's FFMETADATA output gives them."""
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(path),
                             "-f", "ffmetadata", "-"], capture_output=True, check=True)
    found, chapters = {}, []
    current, entry, key, escaped = found, [], None, False
    for char in result.stdout.decode("utf-8") + "\n":  # a backslash escapes the next character, newlines too
        if escaped:
            entry.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "=" and key is None:
            key, entry = "".join(entry), []
        elif char == "\n":
            if key is not None:
                current[key] = "".join(entry)
            elif "".join(entry) == "[CHAPTER]":
                current = {}
                chapters.append(current)
            entry, key = [], None
        else:
            entry.append(char)
    read = []
    for chapter in chapters:
        numerator, denominator = map(int, chapter["TIMEBASE"].split("/"))
        read.append({"start": int(chapter["START"]) * numerator / denominator,
                     "end": int(chapter["END"]) * numerator / denominator, "title": chapter.get("title")})
    return found, read


@pytest.fixture
def launches(monkeypatch):
    """The ffmpeg command lines the writer starts (those with an input: not imageio-ffmpeg's ``-version``)."""
    started = []
    popen = subprocess.Popen

    def spy(command, *args, **keywords):
        if "-i" in command:
            started.append(command)
        return popen(command, *args, **keywords)

    monkeypatch.setattr(mp4.subprocess, "Popen", spy)
    return started


@pytest.mark.slow
def test_chapters_are_read_back_with_their_times_and_the_comment_survives(tmp_path, launches):
    path = tmp_path / "video.mp4"
    chapters = [(0.0, "untrained"), (1.2, "loss halved"), (2.1, "converged")]
    writer = write(path, chapters=chapters)
    assert len(launches) == 2  # the encoding, then the copy that adds the chapters
    assert sorted(p.name for p in tmp_path.iterdir()) == ["video.mp4"]  # its temporary file is gone

    assert writer.duration == pytest.approx(SECONDS)
    found, read = read_metadata(path)
    assert found["comment"] == "made by a test"
    assert [chapter["title"] for chapter in read] == ["untrained", "loss halved", "converged"]
    for chapter, (start, _) in zip(read, chapters):
        assert chapter["start"] == pytest.approx(start, abs=FRAME)
    for chapter, following in zip(read, read[1:]):
        assert chapter["end"] == pytest.approx(following["start"], abs=FRAME)  # each runs until the next
    count, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert count == DISTINCT + 10
    assert read[-1]["end"] == pytest.approx(count / FPS, abs=FRAME)  # the last runs until the end
    assert read[-1]["end"] == pytest.approx(seconds, abs=FRAME)


@pytest.mark.slow
def test_chapter_titles_round_trip_exactly(tmp_path):
    titles = ["a = b", "semi; colon # hash", "back\\slash", "损失 halved", "two\nlines", "ends in a backslash\\"]
    path = tmp_path / "titles.mp4"
    write(path, chapters=[(0.4 * index, title) for index, title in enumerate(titles)])

    _, read = read_metadata(path)
    assert [chapter["title"] for chapter in read] == titles
    assert read[-1]["end"] == pytest.approx(SECONDS, abs=FRAME)


@pytest.mark.slow
def test_chaptered_video_decodes_to_the_same_frames(tmp_path):
    plain, chaptered = tmp_path / "plain.mp4", tmp_path / "chaptered.mp4"
    write(plain)
    write(chaptered, chapters=[(0.0, "one"), (1.0, "two")])

    assert imageio_ffmpeg.count_frames_and_secs(str(chaptered)) == imageio_ffmpeg.count_frames_and_secs(str(plain))
    decoded = []
    for path in (plain, chaptered):
        reader = imageio_ffmpeg.read_frames(str(path))
        meta = next(reader)
        assert meta["codec"] == "h264" and tuple(meta["size"]) == (96, 64) and meta["fps"] == FPS
        decoded.append([np.frombuffer(raw, np.uint8) for raw in reader])
    assert len(decoded[1]) == DISTINCT + 10
    assert all(np.array_equal(a, b) for a, b in zip(*decoded))  # copied, not encoded again


@pytest.mark.slow
def test_no_chapters_writes_the_same_bytes_in_one_pass(tmp_path, launches):
    write(tmp_path / "without.mp4")
    write(tmp_path / "empty.mp4", chapters=())
    assert [command[-1] for command in launches] == [str(tmp_path / "without.mp4"), str(tmp_path / "empty.mp4")]

    assert (tmp_path / "without.mp4").read_bytes() == (tmp_path / "empty.mp4").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.mp4", "without.mp4"]
    _, read = read_metadata(tmp_path / "empty.mp4")
    assert read == []


@pytest.mark.slow
def test_abort_with_chapters_stops_ffmpeg_and_leaves_nothing_of_its_own(tmp_path):
    path = tmp_path / "aborted.mp4"
    writer = Mp4Writer(path, OPTIONS, chapters=[(0.0, "one"), (1.0, "two")])
    for frame in frames(5):
        writer.write(frame)
    assert len(list(tmp_path.iterdir())) == 1  # ffmpeg writes a temporary file first, not the output
    writer.abort()

    assert writer._process.returncode is not None
    assert list(tmp_path.iterdir()) == []
    writer.abort()  # as the caller may, for every writer, when another one failed
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_failed_chapters_pass_is_one_line_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(mp4, "REMUX_ARGS", [*mp4.REMUX_ARGS, "-no_such_option"])
    path = tmp_path / "failed.mp4"
    writer = Mp4Writer(path, OPTIONS, chapters=[(0.0, "one")])
    for frame in frames(3):
        writer.write(frame)
    failed = "^ffmpeg failed to add the chapters to the MP4: .*Option not found"
    with pytest.raises(AnimateError, match=failed) as error:
        writer.close()
    assert "\n" not in str(error.value)
    assert [p.name for p in tmp_path.iterdir() if p != path] == []  # at most the output, for the caller
    writer.abort()
    assert [p.name for p in tmp_path.iterdir() if p != path] == []


@pytest.mark.slow
def test_chapters_that_would_begin_after_the_end_are_left_out(tmp_path):
    path = tmp_path / "short.mp4"
    write(path, chapters=[(0.0, "inside"), (SECONDS, "at the end"), (SECONDS + 5, "after")])
    _, read = read_metadata(path)
    assert [chapter["title"] for chapter in read] == ["inside"]
    assert read[0]["end"] == pytest.approx(SECONDS, abs=FRAME)


def test_chapters_must_be_in_time_order_from_zero(tmp_path):
    for chapters in ([(1.0, "b"), (0.5, "a")], [(1.0, "a"), (1.0, "b")], [(-1.0, "a")], [(float("nan"), "a")],
                     [(0.0, b"bytes")]):
        with pytest.raises(ValueError):
            Mp4Writer(tmp_path / "bad.mp4", OPTIONS, chapters=chapters)
    assert list(tmp_path.iterdir()) == []
    assert Mp4Writer.takes_chapters is True
