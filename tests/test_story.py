"""Story mode: in-between frames that lie between real states, numbers that are always real, a duration
that is kept, captions from the run's events, and chapters in the MP4."""

import re
import subprocess

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from animate.cli import main
from animate.drawing import Renderer
from animate.narration import least_squares, setup_words, timeline_for
from animate.options import RenderOptions
from animate.story import MAX_MOVE, Moment, Timeline, build, ease, moves, resolve_motion
from animate.wording import format_loss


# ---- the timeline itself (numbers only: fast) ----------------------------------------------------------
class Event:
    def __init__(self, snapshot, caption):
        self.snapshot, self.caption = snapshot, caption


def test_smooth_motion_moves_at_most_max_move_a_frame_and_ends_each_segment_on_a_real_state():
    segment_moves = np.array([0.5, 0.01, 0.2])
    timeline = build(segment_moves, "smooth", fps=20)
    assert timeline.moments[0] == Moment(0, 0)
    for segment, move in enumerate(segment_moves, start=1):
        frames = [m for m in timeline.moments if m.after == segment]
        assert frames[-1].real and frames[-1].t == 1.0
        ts = [0.0] + [m.t for m in frames]
        # eased: each frame moves at most about MAX_MOVE (smoothstep's steepest is 1.5× the mean)
        assert max(np.diff(ts)) * move <= 1.5 * MAX_MOVE + 1e-9 or len(frames) == 13
        assert all(0 < t <= 1 for t in ts[1:]) and ts == sorted(ts)


def test_steps_motion_shows_real_states_only_and_holds_a_slow_scenes_pace():
    timeline = build(np.array([0.5, 0.5]), "steps", fps=20, pace=8)
    assert all(m.real for m in timeline.moments)
    assert [m.after for m in timeline.moments] == [0, 1, 1, 1, 2, 2, 2]  # ceil(20 / 8) = 3 frames a state


def test_a_duration_fixes_the_number_of_frames_in_both_motions():
    segment_moves = np.abs(np.sin(np.arange(40))) * 0.3
    for motion in ("smooth", "steps"):
        for frames in (5, 41, 97, 300):
            timeline = build(segment_moves, motion, fps=20, frames=frames, events=[Event(10, "x")])
            assert len(timeline) == frames, (motion, frames)
            afters = [m.after for m in timeline.moments]
            assert afters == sorted(afters) and afters[-1] == 40  # in order, and the run's end is shown


def test_a_short_duration_crosses_still_states_to_smooth_the_jumps_and_keeps_event_states():
    # A converged run: ten large early jumps, then 190 states that hardly move (the shape of `linear`).
    segment_moves = np.concatenate([np.full(10, 0.2), np.full(190, 0.001)])
    timeline = build(segment_moves, "smooth", fps=20, frames=201, events=[Event(150, "x")])
    assert len(timeline) == 201
    travelled = np.concatenate([[0.0], np.cumsum(segment_moves)])  # how far the picture has moved by each state
    position = [travelled[m.before] + m.t * (travelled[m.after] - travelled[m.before]) for m in timeline.moments]
    largest = float(np.max(np.diff(position)))
    one_frame_each = 0.2  # what a frame per state would move in the early jumps
    assert largest < one_frame_each / 3
    assert any(m.after == 150 and m.real for m in timeline.moments)  # the event's state is drawn as it was
    assert timeline.moments[-1].after == 200 and timeline.moments[-1].real


def test_time_slows_into_an_event_and_its_caption_is_on_screen_there():
    segment_moves = np.full(10, 0.1)
    plain = build(segment_moves, "smooth", fps=20)
    slowed = build(segment_moves, "smooth", fps=20, events=[Event(6, "loss halved by iteration 6")])
    into = lambda timeline: sum(m.after == 6 for m in timeline.moments)  # noqa: E731
    assert into(slowed) > into(plain)
    shown = [m.caption for m in slowed.moments if m.after == 6 and m.real]
    assert shown and all(caption == "loss halved by iteration 6" for caption in shown)


def test_auto_motion_smooths_only_runs_whose_states_jump():
    assert resolve_motion(None, np.array([0.01, 0.2])) == "smooth"
    assert resolve_motion(None, np.array([0.01, 0.02])) == "steps"
    assert resolve_motion("steps", np.array([0.9])) == "steps"


def test_ease_starts_and_ends_at_rest():
    assert ease(0) == 0 and ease(1) == 1 and ease(0.5) == 0.5
    assert ease(0.05) < 0.05 and ease(0.95) > 0.95


# ---- drawn frames ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def traces():
    from animate.train import record_scene

    return {"logistic": record_scene("logistic", seed=0), "linear": record_scene("linear", seed=0, steps=400, frames=30)}


def story_renderer(trace, **options):
    options = RenderOptions(size=(480, 360), **options).resolved(trace.meta.pace)
    timeline = timeline_for(trace, options)
    return Renderer(trace, options, timeline), timeline


@pytest.mark.slow
def test_in_between_boundaries_are_convex_combinations_of_the_two_recorded_states(traces):
    trace = traces["logistic"]
    renderer, timeline = story_renderer(trace, motion="smooth")
    panel = renderer.panel
    assert timeline.in_betweens > 0
    for index, moment in enumerate(timeline.moments):
        if moment.real:
            continue
        renderer.frame(index)
        drawn = panel.params_blended(index)
        for name, values in trace.params.items():
            a, b = np.ravel(values[moment.before]), np.ravel(values[moment.after])
            p = np.ravel(drawn[name])
            # on the segment from a to b, at the eased fraction t: p - a = t (b - a)
            np.testing.assert_allclose(p - a, moment.t * (b - a), atol=1e-6)
            assert np.all(p >= np.minimum(a, b) - 1e-6) and np.all(p <= np.maximum(a, b) + 1e-6)
        # and the line drawn is the line of those parameters
        from animate.wording import line_of

        slope, intercept = line_of(trace.meta.equation, drawn)
        np.testing.assert_allclose(panel.boundary.get_ydata(), slope * panel.xs + intercept, rtol=1e-6)


@pytest.mark.slow
def test_in_between_curves_lie_between_the_two_recorded_curves(traces):
    trace = traces["linear"]
    renderer, timeline = story_renderer(trace, motion="smooth")
    curves = trace.outputs["curve"]
    assert timeline.in_betweens > 0
    for index, moment in enumerate(timeline.moments):
        renderer.frame(index)
        drawn = np.asarray(renderer.panel.fit_line.get_ydata())
        low = np.minimum(curves[moment.before], curves[moment.after])
        high = np.maximum(curves[moment.before], curves[moment.after])
        assert np.all(drawn >= low - 1e-6) and np.all(drawn <= high + 1e-6), index


@pytest.mark.slow
@pytest.mark.parametrize("name", ["logistic", "linear"])
def test_every_frame_shows_the_counter_and_loss_of_a_real_recorded_step(traces, name):
    trace = traces[name]
    renderer, timeline = story_renderer(trace)
    step_name = trace.meta.step_name
    real = {int(step): format_loss(float(loss)) for step, loss in zip(trace.steps, trace.loss)}
    for index in range(len(timeline)):
        renderer.frame(index)
        lines = [line for lines, _ in renderer.picture.text_rects(index) for line in lines]
        counter = next(line for line in lines if line.startswith(f"{step_name} ") and " of " in line)
        step = int(re.match(rf"{step_name} ([\d,]+) of", counter).group(1).replace(",", ""))
        assert step == int(trace.steps[timeline.index_of(index)]) and step in real
        losses = [m.group(1) for line in lines for m in [re.search(r"loss[^=]*= (\S+)$", line.split(" · ")[-1])] if m]
        assert losses == [real[step]], (index, lines)


@pytest.mark.slow
def test_the_set_up_and_the_result_are_written_on_the_first_and_last_frames(traces):
    trace = traces["linear"]
    renderer, timeline = story_renderer(trace)
    first = [line for lines, _ in renderer.picture.text_rects(0) for line in lines]
    last = [line for lines, _ in renderer.picture.text_rects(len(timeline) - 1) for line in lines]
    assert setup_words(trace).startswith("100 points")
    assert any("100 points" in line for line in first)
    assert any("least squares" in line for line in last) or any("least" in line for line in last)
    # the least-squares line is computed, not copied: it is numpy's fit through the data
    slope, intercept = np.polyfit(trace.static["points_x"], trace.static["points_y"], 1)
    assert f"{slope:.2f}x" in least_squares(trace)


# ---- whole runs through the command line ---------------------------------------------------------------
def gif_seconds(path) -> float:
    with Image.open(path) as image:
        total = 0
        for index in range(image.n_frames):
            image.seek(index)
            total += image.info["duration"]
    return total / 1000


@pytest.mark.slow
@pytest.mark.parametrize("name,seconds", [("logistic", 6.0), ("linear-autograd", 9.5)])
def test_duration_gives_that_length_within_one_frame(tmp_path, name, seconds):
    result = CliRunner().invoke(main, ["scene", name, "--duration", str(seconds), "-q", "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == 0, result.output
    assert abs(gif_seconds(tmp_path / "a.gif") - seconds) <= 1 / 20 + 0.011  # a frame at 20 fps, GIF's 1/100 s


@pytest.mark.slow
def test_the_mp4_carries_the_events_as_chapters_and_events_are_listed(tmp_path):
    import imageio_ffmpeg

    result = CliRunner().invoke(main, ["scene", "logistic", "--events", "-o", str(tmp_path / "a.mp4")])
    assert result.exit_code == 0, result.output
    listed = [line for line in result.stdout.splitlines() if line.startswith("iteration ")]
    assert any("halved" in line for line in listed) and any("stopped" in line for line in listed)
    metadata = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(tmp_path / "a.mp4"),
                               "-f", "ffmetadata", "-"], capture_output=True, text=True, check=True).stdout
    titles = re.findall(r"^title=(.*)$", metadata, flags=re.M)
    assert titles[0].startswith("200 points") and titles[-1].startswith("loss 0.00857 after 25 iterations")
    for line in listed:
        caption = line.split(maxsplit=3)[-1]
        assert caption in titles, (caption, titles)


@pytest.mark.slow
def test_no_captions_and_steps_motion_give_the_recorded_animation(tmp_path):
    result = CliRunner().invoke(main, ["scene", "logistic", "--motion", "steps", "--no-captions", "-q",
                                       "-o", str(tmp_path / "a.gif")])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "a.gif") as image:
        assert image.n_frames == 26  # one frame per recorded state, at the scene's 8 fps
    assert abs(gif_seconds(tmp_path / "a.gif") - (26 / 8 + 2.5)) < 0.02


def test_a_duration_shorter_than_the_holds_is_one_line():
    result = CliRunner().invoke(main, ["scene", "logistic", "--duration", "2", "-q", "-o", "x.gif"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: duration 2 s leaves no time")


def test_moves_measure_the_fit_in_fractions_of_the_plot():
    from animate.trace import Trace

    curves = np.array([[0.0, 0.0], [0.0, 5.0], [0.0, 5.0]])
    trace = Trace(painter="line", steps=np.arange(3), loss=np.ones(3), outputs={"curve": curves},
                  static={"grid_x": np.array([0.0, 1.0]), "points_x": np.array([0.0, 1.0]),
                          "points_y": np.array([0.0, 10.0])})
    np.testing.assert_allclose(moves(trace), [0.5, 0.0])


def test_a_plain_timeline_is_one_frame_per_snapshot():
    timeline = Timeline.plain(4)
    assert [timeline.blend(i) for i in range(4)] == [(i, i, 1.0) for i in range(4)] and timeline.in_betweens == 0
