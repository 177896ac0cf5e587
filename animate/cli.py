"""The command line: ``animate list`` and ``animate scene NAME``.

This is the only layer that prints or exits: library errors (:class:`AnimateError`) become one line
on stderr and exit status 1; click's own usage errors exit with 2.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .errors import AnimateError
from .options import MAX_DPI, MAX_FPS, MAX_SCALE, MAX_TRAIL, MIN_DPI, RenderOptions, parse_size


class SizeType(click.ParamType):
    """``WIDTHxHEIGHT`` in pixels."""

    name = "WxH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return parse_size(value)
        except AnimateError as error:
            self.fail(str(error), param, ctx)


class PositiveFloat(click.ParamType):
    """A finite number above zero, such as a learning rate."""

    name = "FLOAT"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number; use a positive number such as 0.01", param, ctx)
        if not (number > 0 and number != float("inf")):
            self.fail(f"{value!r} is not a positive number; use e.g. 0.01", param, ctx)
        return number


class TrainingProgress:
    """A click progress bar over training steps (on stderr, so stdout keeps only the summary).

    A training callback (fit() calls hooks by name), written without importing torch, so that
    ``animate --help`` starts at once.
    """

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.shown = 0

    def on_fit_start(self, max_steps: int) -> None:
        self.bar = click.progressbar(length=max_steps, label=self.label, file=sys.stderr, show_pos=True)
        self.bar.__enter__()
        self.stride = max(1, max_steps // 200)  # redraw about 200 times, not once per step

    def on_step(self, step: int, loss) -> None:
        if step % self.stride == 0 and step > self.shown:
            self.bar.update(step - self.shown)
            self.shown = step

    def on_interrupt(self, step: int) -> None:
        self.bar.__exit__(None, None, None)
        self.bar = None
        click.echo(f"\nInterrupted at step {step:,}: rendering the frames recorded so far "
                   "(Ctrl-C again to stop without writing anything).", err=True)

    def on_fit_end(self, step: int, loss) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.length - self.shown)  # an early stop still ends the bar
            self.bar.__exit__(None, None, None)


class RenderProgress:
    """A click progress bar over frames, made when the first frame reports how many there are."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __call__(self, index: int, count: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=count, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(1)
        if index == count - 1:
            self.bar.__exit__(None, None, None)


def run_options(size: str):
    """Options every training command shares: seed, steps, frames, pace and frame size (default ``size``)."""
    options = [
        click.option("--seed", type=click.IntRange(-(2**63), 2**64 - 1), default=0, show_default=True,
                     help="torch.manual_seed before the data is drawn (before each run, when comparing)."),
        click.option("--steps", type=click.IntRange(1, 10_000_000), default=None,
                     help="Most training steps (the blog's by default)."),
        click.option("--frames", type=click.IntRange(min=2), default=None,
                     help="About K frames, placed where the fit changes (default 200)."),
        click.option("--fps", type=click.FloatRange(min=0, max=MAX_FPS, min_open=True), default=None,
                     help="Frames per second (the scene's pace by default)."),
        click.option("--size", type=SizeType(), default=size, show_default=True, help="Frame size in pixels, WxH."),
        click.option("--dpi", type=click.IntRange(MIN_DPI, MAX_DPI), default=100, show_default=True,
                     help="Dots per inch: larger makes text and lines bigger at the same pixel size."),
    ]

    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def look_options(command):
    """How frames look: theme, side panels, trails, pixel scale."""
    options = [
        click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True,
                     help="Colours: light or dark (both colour-blind-safe)."),
        click.option("--no-loss-panel", is_flag=True, help="Leave out the loss curve beside the plot."),
        click.option("--trail", type=click.IntRange(0, MAX_TRAIL), default=0, show_default=True,
                     help="Show the K previous fits fading out behind the current one."),
        click.option("--param-path", is_flag=True,
                     help="Two-parameter scenes: add the loss surface and the optimiser's path over it."),
        click.option("--scale", type=click.FloatRange(1, MAX_SCALE), default=1.0, show_default=True,
                     help="More pixels, same layout (2 for sharp frames on high-DPI screens)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def extra_options(command):
    """Files to write around the animation."""
    options = [
        click.option("--poster", is_flag=True, help="Also write the last frame as NAME.png (a page's preview)."),
        click.option("--sheet", is_flag=True, help="Also write key frames side by side as NAME-frames.png."),
        click.option("--alt-text", is_flag=True, help="Also write a description of what happens as NAME.alt.txt."),
        click.option("--snippet", is_flag=True,
                     help="Also write NAME.html, a <video> with poster and GIF fallback (and the MP4/GIF it needs)."),
        click.option("--extras", is_flag=True, help="All of the above."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_options(size, dpi, fps, theme, no_loss_panel, trail, param_path, scale) -> RenderOptions:
    return RenderOptions(size=size, dpi=dpi, fps=fps, theme=theme, loss_panel=not no_loss_panel, trail=trail,
                         param_path=param_path).scaled(scale)


def wanted_extras(poster, sheet, alt_text, snippet, extras) -> dict:
    return {"poster": poster or extras, "sheet": sheet or extras, "alt_text": alt_text or extras,
            "snippet": snippet or extras}


def written_line(written) -> str:
    """``out.gif: 26 frames, 4.8 s, 81,234 bytes`` (and the other files written with it)."""
    line = f"{written.path}: {written.frames} frames, {written.seconds:.1f} s, {written.bytes:,} bytes"
    return line + (f"; also {', '.join(str(p) for p in written.extras)}" if written.extras else "")


def fail(error: AnimateError) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(1)


def interrupted() -> None:
    click.echo("\nInterrupted: nothing was written.", err=True)
    sys.exit(130)  # what shells report for a command stopped by Ctrl-C


@contextmanager
def user_errors():
    """Turn the library's errors into one line and exit 1, and Ctrl-C into exit 130, with no traceback."""
    try:
        yield
    except AnimateError as error:
        fail(error)
    except KeyboardInterrupt:
        interrupted()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="animate")
def main() -> None:
    """Train classic beginner PyTorch examples and animate their training as GIF or MP4."""


@main.command("list")
def list_scenes() -> None:
    """List the scenes: name, what it shows, and the blog example it reproduces."""
    from .scene import get_scene, scene_names

    names = scene_names()
    width = max(map(len, names))
    for name in names:
        scene = get_scene(name)
        click.echo(f"{name:<{width}}  {scene.summary}")
        click.echo(f"{'':<{width}}  from blog {scene.source}")


@main.command("scene")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=True, path_type=Path), default=None,
              help="Output file; the suffix picks the format (.gif, .mp4). Default: NAME.gif here.")
@click.option("--every", type=click.IntRange(min=1), default=None,
              help="A frame every N steps, instead of frames placed where the fit changes.")
@click.option("--lr", type=PositiveFloat(), default=None, help="Learning rate (the blog's by default).")
@run_options("640x480")
@click.option("--trace", "trace_path", type=click.Path(path_type=Path), default=None,
              help="Also save the recorded trace (numbers only) to this file.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary line.")
@look_options
@extra_options
def scene_command(name, output, every, frames, steps, lr, seed, fps, size, dpi, trace_path, quiet, theme,
                  no_loss_panel, trail, param_path, scale, poster, sheet, alt_text, snippet, extras) -> None:
    """Train scene NAME and write its animation (see `animate list`)."""
    from .pipeline import run_scene
    from .scene import get_scene

    if every is not None and frames is not None:
        raise click.UsageError(f"--every {every} and --frames {frames} choose frames in two ways: give one")
    with user_errors():
        scene = get_scene(name)
        options = make_options(size, dpi, fps if fps is not None else scene.defaults.fps, theme, no_loss_panel,
                               trail, param_path, scale)
        summary = run_scene(
            name, output, seed=seed, lr=lr, steps=steps, every=every, frames=frames, options=options,
            trace_path=trace_path,
            callbacks=[] if quiet else [TrainingProgress(f"training {name}")],
            on_frame=None if quiet else RenderProgress("rendering"),
            extras=wanted_extras(poster, sheet, alt_text, snippet, extras),
        )
    if not quiet:
        click.echo(summary.line())


@main.command("compare")
@click.argument("name")
@click.option("--lr", "lrs", type=PositiveFloat(), multiple=True, help="A learning rate to run (give several).")
@click.option("--optimizer", "optimizers", type=click.Choice(["sgd", "momentum", "adam"]), multiple=True,
              help="An optimiser to run instead of the scene's own (give several).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Output file (.gif, .mp4). Default: NAME-compare.gif here.")
@run_options("1280x720")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary line.")
@look_options
@extra_options
def compare_command(name, lrs, optimizers, output, seed, steps, frames, fps, size, dpi, quiet, theme,
                    no_loss_panel, trail, param_path, scale, poster, sheet, alt_text, snippet, extras) -> None:
    """Train scene NAME with several learning rates or optimisers and animate them side by side.

    For example: animate compare linear --lr 0.001 --lr 0.005 --lr 0.01
    """
    from .compare import compare_scene
    from .scene import get_scene

    with user_errors():
        scene = get_scene(name)
        options = make_options(size, dpi, fps if fps is not None else scene.defaults.fps, theme, no_loss_panel,
                               trail, param_path, scale)
        written = compare_scene(
            name, output, lrs=lrs, optimizers=optimizers, seed=seed, steps=steps, frames=frames, options=options,
            callbacks_for=None if quiet else (lambda label: [TrainingProgress(f"training {name}, {label}")]),
            on_frame=None if quiet else RenderProgress("rendering"),
            extras=wanted_extras(poster, sheet, alt_text, snippet, extras),
        )
    if not quiet:
        click.echo(written_line(written))


@main.command("gallery")
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("assets"),
              show_default=True, help="Folder for the animations and index.html (made if missing).")
@click.option("--readme", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also rewrite the gallery table in this README (between its gallery markers).")
@click.option("--scene", "names", multiple=True, help="Only these scenes (give several); default: all.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
def gallery_command(folder, readme, names, quiet) -> None:
    """Render every scene into a folder with a static index.html (GIF, MP4, poster and provenance each)."""
    import os

    from .gallery import build_gallery, readme_table, update_readme
    from .scene import get_scene, scene_names

    with user_errors():
        names = list(names) or scene_names()
        for name in names:
            get_scene(name)  # an unknown name fails now, not after the others have rendered
        bar = None if quiet else click.progressbar(length=len(names), label="rendering the gallery",
                                                   file=sys.stderr, show_pos=True)
        if bar is not None:
            bar.__enter__()
        try:
            cards = build_gallery(folder, names, on_done=None if bar is None else (lambda card: bar.update(1)))
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        if readme is not None:
            update_readme(readme, readme_table(cards, os.path.relpath(folder, readme.parent or ".")))
    if not quiet:
        click.echo(f"{folder / 'index.html'}: {len(cards)} scenes" + (f"; {readme} updated" if readme else ""))


@main.command("render")
@click.argument("trace", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Output file; the suffix picks the format (.gif, .mp4). Default: the trace's name with .gif.")
@click.option("--fps", type=click.FloatRange(min=0, max=MAX_FPS, min_open=True), default=None,
              help="Frames per second (the scene's pace, kept in the trace, by default).")
@click.option("--size", type=SizeType(), default="640x480", show_default=True, help="Frame size in pixels, WxH.")
@click.option("--dpi", type=click.IntRange(MIN_DPI, MAX_DPI), default=100, show_default=True,
              help="Dots per inch: larger makes text and lines bigger at the same pixel size.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
@look_options
@extra_options
def render_command(trace, output, fps, size, dpi, quiet, theme, no_loss_panel, trail, param_path, scale, poster,
                   sheet, alt_text, snippet, extras) -> None:
    """Render a saved TRACE (from `animate scene ... --trace`) again, without training."""
    from .describe import alt_text as describe, provenance, render_settings, render_words
    from .renderer import Renderer
    from .trace import Trace
    from .write import Notes, Outputs, write_animation

    output = output if output is not None else Path(trace.with_suffix(".gif").name)
    with user_errors():
        loaded = Trace.load(trace)
        options = make_options(size, dpi, fps if fps is not None else loaded.meta.get("fps", 20.0), theme,
                               no_loss_panel, trail, param_path, scale)
        settings = render_settings(options)
        command = " ".join(["animate", "render", str(trace), *render_words(settings), "-o", str(output)])
        notes = Notes(describe(loaded), provenance(loaded, settings, command))
        outputs = Outputs.beside(output, **wanted_extras(poster, sheet, alt_text, snippet, extras))
        written = write_animation(loaded, outputs, options, Renderer,
                                  on_frame=None if quiet else RenderProgress("rendering"), notes=notes)
    if not quiet:
        click.echo(written_line(written))
