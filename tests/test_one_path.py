"""One way through the code: every way in builds the same job, so the same inputs give the same file.

The first tests here are regressions for bugs that came from rendering being orchestrated in several
places (each failed before the render job existed).
"""

import json
import shlex
import textwrap

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import animate
from animate.cli import main
from animate.cli_options import settings_from
from animate.declare import command_words, declared
from animate.errors import AnimateError
from animate.options import Extras, RenderOptions, TrainOptions, Variants


def gif_seconds(path) -> float:
    """How long a GIF plays, from its frame delays."""
    with Image.open(path) as image:
        total = 0
        for index in range(image.n_frames):
            image.seek(index)
            total += image.info["duration"]
    return total / 1000


@pytest.mark.slow
def test_the_api_and_the_cli_play_a_trace_at_the_same_pace(tmp_path, logistic_trace, monkeypatch):
    monkeypatch.chdir(tmp_path)
    logistic_trace.save("run.npz")
    result = CliRunner().invoke(main, ["render", "run.npz", "-o", "cli.gif", "-q"])
    assert result.exit_code == 0, result.output
    written = animate.render(logistic_trace, "api.gif")
    from animate.narration import timeline_for

    options = RenderOptions().resolved(logistic_trace.meta.pace)  # logistic's pace: 1/8 s a recorded state
    expected = len(timeline_for(logistic_trace, options)) / options.fps + 1.0 + 1.5  # and the held ends
    assert gif_seconds("cli.gif") == pytest.approx(expected, abs=0.02)
    assert written.seconds == pytest.approx(expected, abs=0.02)
    assert gif_seconds("api.gif") == pytest.approx(expected, abs=0.02)


@pytest.mark.slow
def test_the_api_and_the_cli_write_byte_identical_files_from_the_same_trace(tmp_path, logistic_trace, monkeypatch):
    monkeypatch.chdir(tmp_path)
    logistic_trace.save("run.npz")
    options = ["--size", "480x360", "--theme", "dark", "--trail", "2"]
    for suffix in (".gif", ".mp4"):
        result = CliRunner().invoke(main, ["render", "run.npz", "-o", f"cli{suffix}", "-q", *options])
        assert result.exit_code == 0, result.output
        animate.render("run.npz", f"api{suffix}", animate.RenderOptions(size=(480, 360), theme="dark", trail=2))
        assert (tmp_path / f"cli{suffix}").read_bytes() != b""
        # Each file names itself in its provenance command, so compare the two after renaming one.
        cli_bytes = (tmp_path / f"cli{suffix}").read_bytes().replace(f"cli{suffix}".encode(), f"api{suffix}".encode())
        assert cli_bytes == (tmp_path / f"api{suffix}").read_bytes()


@pytest.mark.slow
def test_the_api_and_the_cli_write_byte_identical_scene_animations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["scene", "logistic", "-o", "out.gif", "-q", "--frames", "12"])
    assert result.exit_code == 0, result.output
    cli_bytes = (tmp_path / "out.gif").read_bytes()
    animate.run_scene("logistic", "out.gif", frames=12)
    assert (tmp_path / "out.gif").read_bytes() == cli_bytes


def test_a_scene_file_is_executed_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "counted.py").write_text(textwrap.dedent("""
        import pathlib

        import torch

        from animate.observe import Curve
        from animate.scene import Defaults, Scene, Setup

        with open(pathlib.Path(__file__).with_name("loads.txt"), "a") as log:
            log.write("loaded\\n")


        class Counted(Scene):
            name = "counted"
            title = "A counted scene"
            defaults = Defaults(lr=0.1, steps=5)

            def build(self, lr):
                x = torch.linspace(0, 1, 10).unsqueeze(1)
                model = torch.nn.Linear(1, 1)
                return Setup(model=model, loss=lambda: ((model(x) - x) ** 2).mean(),
                             optimizer=torch.optim.SGD(model.parameters(), lr=lr),
                             observe=Curve(x_range=(0, 1)), points=(x, x))
    """))
    result = CliRunner().invoke(main, ["scene", "counted.py", "-o", "out.gif", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "loads.txt").read_text().splitlines() == ["loaded"]


@pytest.mark.slow
def test_the_provenance_command_quotes_paths_and_keeps_every_digit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my plots").mkdir()
    output = "my plots/run 1.gif"
    args = ["scene", "linear", "--lr", "0.0123456789", "--steps", "40", "--frames", "8", "-o", output, "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    command = json.loads((tmp_path / "my plots" / "run 1.json").read_text())["command"]
    words = shlex.split(command)
    assert words[0] == "animate"
    assert words[words.index("--lr") + 1] == "0.0123456789"
    assert words[words.index("-o") + 1] == output
    first = (tmp_path / output).read_bytes()
    (tmp_path / output).unlink()
    again = CliRunner().invoke(main, words[1:])  # what a shell would pass after pasting the command
    assert again.exit_code == 0, again.output
    assert (tmp_path / output).read_bytes() == first


@pytest.mark.slow
def test_a_bug_while_rendering_keeps_its_traceback(tmp_path, monkeypatch, logistic_trace):
    from animate.drawing.picture import Picture

    def broken(self, index):
        raise ZeroDivisionError("a bug inside drawing")

    monkeypatch.chdir(tmp_path)
    logistic_trace.save("run.npz")
    monkeypatch.setattr(Picture, "frame", broken)
    with pytest.raises(ZeroDivisionError):
        animate.render(logistic_trace, "api.gif", animate.RenderOptions(workers=1))
    result = CliRunner().invoke(main, ["render", "run.npz", "-o", "cli.gif", "-q"])
    assert result.exit_code == 1
    assert "could not write" not in result.output
    assert "Traceback" in result.output and "ZeroDivisionError: a bug inside drawing" in result.output
    assert "bug in animate" in result.output
    assert not list(tmp_path.glob("*.gif")) and not list(tmp_path.glob(".*partial*"))


def test_an_error_in_a_scene_file_names_the_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.py").write_text("import torch\n\nx = 1\ny = x / 0\n")
    result = CliRunner().invoke(main, ["scene", "broken.py", "-q"])
    assert result.exit_code == 1
    line = result.output.strip()
    assert "Traceback" not in line and "\n" not in line
    assert "broken.py" in line and "line 4" in line and "ZeroDivisionError" in line


def test_an_error_in_a_scene_files_build_names_the_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "badbuild.py").write_text(textwrap.dedent("""\
        from animate.scene import Defaults, Scene


        class Bad(Scene):
            name = "bad"
            defaults = Defaults(lr=0.1, steps=5)

            def build(self, lr):
                return undefined_name
    """))
    result = CliRunner().invoke(main, ["scene", "badbuild.py", "-q"])
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert "\n" not in line and "badbuild.py" in line and "line 9" in line and "NameError" in line


def test_a_typo_in_trace_meta_is_an_error_not_a_silent_default():
    import torch

    recorder = animate.Recorder(torch.nn.Linear(1, 1), animate.Curve(x_range=(0, 1)), every=1)
    recorder.step(0, torch.tensor(1.0))
    recorder.finish(1, torch.tensor(0.5))
    with pytest.raises(AnimateError, match="titel.*did you mean title"):
        recorder.trace(titel="A model")


# ---- every setting declared once --------------------------------------------------------------------

COMMANDS = {"scene": (TrainOptions, RenderOptions, Extras), "compare": (Variants, RenderOptions, Extras),
            "render": (RenderOptions, Extras)}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_declared_setting_is_an_option_of_the_commands_that_take_it(command):
    params = {param.name: param for param in main.commands[command].params}
    for cls in COMMANDS[command]:
        for field, declared_ in declared(cls):
            assert field.name in params, f"{command} has no option for {cls.__name__}.{field.name}"
            assert params[field.name].opts == declared_.flags
            assert params[field.name].help == declared_.help


@pytest.mark.parametrize("options", [
    RenderOptions(),
    RenderOptions(fps=8.0, size=(480, 360), dpi=72, theme="dark", loss_panel=False, trail=3, param_path=True,
                  title="Two words", hold_last=0.25),
    RenderOptions(fps=12.5, title="It's \"quoted\"; $HOME", hold_last=1.5),
])
def test_the_words_written_for_any_render_options_read_back_as_the_same_options(options):
    words = command_words(options)
    context = main.commands["render"].make_context("render", ["run.npz", *shlex.split(shlex.join(words))])
    assert settings_from(RenderOptions, context.params) == options


def test_the_words_written_for_training_settings_read_back_as_the_same_settings():
    train = TrainOptions(seed=7, lr=0.0123456789, steps=40, every=3, optimizer="adam")
    context = main.commands["scene"].make_context("scene", ["linear", *command_words(train)])
    assert settings_from(TrainOptions, context.params) == train
    variants = Variants(lrs=(0.001, 1e-05), optimizers=("sgd", "momentum"))
    context = main.commands["compare"].make_context("compare", ["linear", *command_words(variants)])
    assert settings_from(Variants, context.params) == variants


def test_a_setting_is_checked_from_its_declaration_in_python_too():
    with pytest.raises(AnimateError, match=r"unknown theme 'sepia': valid themes are light, dark"):
        RenderOptions(theme="sepia")
    with pytest.raises(AnimateError, match="trail 21 is out of range: use 0 to 20 earlier fits"):
        RenderOptions(trail=21)
    with pytest.raises(AnimateError, match=r"lr -0\.1 is out of range: use a number above 0"):
        TrainOptions(lr=-0.1)
    with pytest.raises(AnimateError, match="unknown optimizers 'rmsprop'"):
        Variants(optimizers=("sgd", "rmsprop"))
    with pytest.raises(AnimateError, match="title 3 is not valid: use text"):
        RenderOptions(title=3)


def test_the_title_option_replaces_the_frame_title(logistic_trace):
    from animate.drawing import Renderer

    def title_of(options):
        return Renderer(logistic_trace, options).picture.figure.texts[0].get_text()

    assert title_of(RenderOptions(size=(320, 240), dpi=50)) == logistic_trace.meta.title
    assert title_of(RenderOptions(size=(320, 240), dpi=50, title="Two classes")) == "Two classes"


# ---- frame sources and sinks ------------------------------------------------------------------------

def test_the_null_sink_takes_a_whole_animation_and_keeps_nothing(logistic_trace):
    from animate.drawing import open_frames
    from animate.frames import FrameSink, FrameSource
    from animate.writers import NullSink

    options = RenderOptions(size=(320, 240), dpi=50).resolved(logistic_trace.meta.pace)
    sink = NullSink(options)
    with open_frames(logistic_trace, options) as source:
        assert isinstance(source, FrameSource) and isinstance(sink, FrameSink)
        for frame in source.frames(range(len(source))):
            sink.write(frame)
    sink.close()
    assert sink.frames_written == len(logistic_trace)
    assert options.fps == 20  # smooth motion (when it comes to that) needs at least 20 frames a second
    assert sink.duration == pytest.approx(len(logistic_trace) / 20 + 1.0 + 1.5)
    with pytest.raises(AnimateError, match="expected"):
        sink.write(np.zeros((10, 10, 3), np.uint8))


def test_a_job_refuses_two_outputs_with_one_name_before_training(tmp_path):
    from animate.job import scene_job

    with pytest.raises(AnimateError, match="would be written twice"):
        scene_job("logistic", tmp_path / "run.gif", trace_path=tmp_path / "run.json")  # the provenance's name
    with pytest.raises(AnimateError, match="too fast for a GIF"):
        scene_job("logistic", tmp_path / "run.gif", options=RenderOptions(fps=55))
    assert list(tmp_path.iterdir()) == []


def test_one_scene_gives_its_pace_to_every_way_in(tmp_path):
    from animate.job import compare_job, render_job, scene_job

    # The scene's pace is its time per recorded state: with steps motion that is the frame rate; smooth
    # motion (the default, where the states jump) draws at 20 fps or more and spends the same time per state.
    assert scene_job("logistic", tmp_path / "a.gif", options=RenderOptions(motion="steps")).options.fps == 8
    assert scene_job("logistic", tmp_path / "a.gif").options.fps == 20
    assert compare_job("logistic", Variants(lrs=(0.01, 0.02)), tmp_path / "b.gif").options.size == (1280, 720)
    trace = animate.Trace(painter="history", steps=np.arange(3), loss=np.ones(3), meta={"pace": 4.0})
    assert render_job(trace, tmp_path / "c.gif", RenderOptions(motion="steps")).options.fps == 4
    assert render_job(trace, tmp_path / "c.gif", RenderOptions(fps=10, scale=2)).options == RenderOptions(
        fps=10.0, size=(1280, 960), dpi=200)
