"""The command line: ``animate list``, ``scene``, ``render``, ``compare`` and ``gallery``.

Each command builds a render job from its arguments (the options come from the settings'
declarations) and runs it; none checks or defaults anything itself. This is the only layer that
prints or exits: library errors (:class:`AnimateError`) become one line on stderr and exit status 1;
click's own usage errors exit with 2; Ctrl-C exits 130, SIGTERM 143 and SIGHUP 129, with nothing
half-written (Ctrl-C during training is the exception: it renders what was recorded); anything else
is a bug, shown with its traceback and a line saying so. A closed or full standard output is a
one-line error too, never a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from .cli_options import declared_options, settings_from
from .errors import AnimateError
from .options import Extras, RenderOptions, TrainOptions, Variants
from .progress import RenderProgress, TrainingProgress
from .signals import Terminated, terminate_on_signals

@contextmanager
def user_errors():
    """Library errors: one line, exit 1. Ctrl-C: exit 130. A bug: its traceback, a line saying so, exit 1."""
    try:
        yield
    except AnimateError as error:
        tell(f"Error: {error}")
        sys.exit(1)
    except click.ClickException:
        raise
    except Exception:
        try:
            traceback.print_exc()
        except (OSError, ValueError):
            pass
        tell(f"Error: this is a bug in animate {__version__}, not a problem with your input: please report it "
             "with the traceback above (see 'Reporting a bug' in the README)")
        sys.exit(1)


def output_option(default_words: str):
    return click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
                        help=f"Output file; the suffix picks the format (.gif, .mp4, .webm, .webp, or .html for a page to explore). Default: {default_words}.")


quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bars and no summary line.")


class AnimateGroup(click.Group):
    """click's group, plus what every command needs around it: SIGTERM and SIGHUP stop it like Ctrl-C
    (from the first line of the command, imports included), and a closed or full stdout is one line."""

    def main(self, *args, **kwargs):
        handled = threading.current_thread() is threading.main_thread()
        previous = terminate_on_signals() if handled else {}
        if sys.stdout is None:  # started with stdout closed (>&-): what would be printed goes nowhere
            sys.stdout = open(os.devnull, "w")
        try:
            with stdout_errors():  # --help and --version print before any command runs
                result = super().main(*args, **kwargs)
            flush_stdout()  # now, so that a failing stdout is reported here and not at exit
            return result
        except SystemExit as exit_:
            if exit_.code in (0, None):
                flush_stdout()
            elif exit_.code == 1 and type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper":
                # click met a closed pipe itself (printing --version or --help), wrapped stdout in its
                # (private, renamed across versions) PacifyFlushWrapper and exits 1: say 141, as every other
                # closed pipe does.
                sys.exit(141)
            raise
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as stop:
            tell(f"\nInterrupted: {outcome(stop)}.")
            sys.exit(130)  # what shells report for a command stopped by Ctrl-C
        except Terminated as stop:
            tell(f"\n{stop.name}: {outcome(stop)}.")
            sys.exit(128 + stop.number)


def outcome(stop: BaseException) -> str:
    """What a signal left: nothing, or (when it came while finished files were put in place) all of them."""
    return "stopped once the files were written" if getattr(stop, "written", False) else "nothing was written"


def tell(line: str) -> None:
    """A line on stderr, if stderr can still take one (a closed or full stderr must not hide the exit)."""
    try:
        click.echo(line, err=True)
    except (OSError, ValueError):
        pass


def say(line: str) -> None:
    """Print ``line`` on stdout; a closed pipe (``| head -1``) or a full device is no traceback."""
    with stdout_errors():
        click.echo(line)


def flush_stdout() -> None:
    with stdout_errors():
        sys.stdout.flush()


@contextmanager
def stdout_errors():
    """A reader that closed the pipe early: exit quietly, 141, as if SIGPIPE had stopped us. A full
    device or another failure of stdout: one line on stderr, exit 1."""
    try:
        yield
    except BrokenPipeError:
        quiet_stdout()
        sys.exit(141)
    except OSError as error:
        quiet_stdout()
        tell(f"Error: could not write to standard output: {error.strerror or error}")
        sys.exit(1)


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's own flush at exit has nothing to fail on."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test runner's stream)
        pass


events_option = click.option("--events", is_flag=True,
                             help="Also list the run's events (loss halved, all points classified, ...) on stdout.")


def list_events(trace) -> None:
    """One line an event: its step, its kind and its caption, in the order they happened."""
    from .events import find_events

    found = find_events(trace)
    if not found:
        say("no events found")
    for event in found:
        say(f"{trace.meta.step_name} {event.step:>7,}  {event.kind:<15} {event.caption}")


@click.group(cls=AnimateGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
        say(f"{name:<{width}}  {scene.summary}")
        say(f"{'':<{width}}  from blog {scene.source}")


@main.command("scene")
@click.argument("name")
@output_option("NAME.gif here")
@declared_options(TrainOptions)
@declared_options(RenderOptions)
@click.option("--trace", "trace_path", type=click.Path(path_type=Path), default=None,
              help="Also save the recorded trace (numbers only) to this file.")
@quiet_option
@events_option
@declared_options(Extras)
def scene_command(name, output, trace_path, quiet, events, **given) -> None:
    """Train scene NAME and write its animation (see `animate list`; NAME may be a scene file, my_scene.py)."""
    from .job import scene_job
    from .pipeline import run

    with user_errors():
        job = scene_job(name, output, settings_from(TrainOptions, given), settings_from(RenderOptions, given),
                        settings_from(Extras, given), trace_path)
        progress = None if quiet else (lambda label: [TrainingProgress(f"training {label}")])
        summary = run(job, callbacks_for=progress, on_frame=None if quiet else RenderProgress("rendering"))
    if events:
        list_events(summary.trace)
    if not quiet:
        say(summary.line())


@main.command("compare")
@click.argument("name")
@declared_options(Variants)
@output_option("NAME-compare.gif here")
@declared_options(TrainOptions, only=("seed", "steps", "frames"))
@declared_options(RenderOptions)
@quiet_option
@declared_options(Extras)
def compare_command(name, output, quiet, **given) -> None:
    """Train scene NAME with several learning rates or optimisers and animate them side by side.

    For example: animate compare linear --lr 0.001 --lr 0.005 --lr 0.01
    """
    from .job import compare_job
    from .pipeline import run

    with user_errors():
        job = compare_job(name, settings_from(Variants, given), output, settings_from(TrainOptions, given),
                          settings_from(RenderOptions, given), settings_from(Extras, given))
        progress = None if quiet else (lambda label: [TrainingProgress(f"training {name}, {label}")])
        summary = run(job, callbacks_for=progress, on_frame=None if quiet else RenderProgress("rendering"))
    if not quiet:
        say(summary.line())


@main.command("explore")
@click.argument("name")
@declared_options(Variants)
@output_option("NAME-explore.html here")
@declared_options(TrainOptions, only=("seed", "steps", "frames"))
@declared_options(RenderOptions)
@quiet_option
def explore_command(name, output, quiet, **given) -> None:
    """Train scene NAME for every pair of the learning rates and optimisers given, and write one page to
    explore them: a step slider for every panel, and a picker between all runs side by side and each run.

    For example: animate explore linear --lr 0.001 --lr 0.01 --optimizer sgd --optimizer adam
    """
    from .job import compare_job
    from .pipeline import run

    with user_errors():
        if output is not None and output.suffix.lower() != ".html":
            raise AnimateError(f"explore writes a page: give an output ending in .html, not {str(output)!r} "
                               "(animate compare writes .gif and .mp4)")
        job = compare_job(name, settings_from(Variants, given), output or Path(f"{Path(name).stem}-explore.html"),
                          settings_from(TrainOptions, given), settings_from(RenderOptions, given))
        progress = None if quiet else (lambda label: [TrainingProgress(f"training {name}, {label}")])
        summary = run(job, callbacks_for=progress)
    if not quiet:
        say(summary.line())


@main.command("render")
@click.argument("trace", type=click.Path(path_type=Path))
@output_option("the trace's name with .gif, here")
@declared_options(RenderOptions)
@quiet_option
@events_option
@declared_options(Extras)
def render_command(trace, output, quiet, events, **given) -> None:
    """Render a saved TRACE (from `animate scene ... --trace`) again, without training."""
    from .job import render_job
    from .pipeline import run

    with user_errors():
        job = render_job(trace, output, settings_from(RenderOptions, given), settings_from(Extras, given))
        summary = run(job, on_frame=None if quiet else RenderProgress("rendering"))
    if events:
        list_events(summary.trace)
    if not quiet:
        say(summary.line())


@main.command("gallery")
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("assets"),
              show_default=True, help="Folder for the animations and index.html (made if missing).")
@click.option("--readme", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also rewrite the gallery table in this README (between its gallery markers).")
@click.option("--scene", "names", multiple=True, help="Only these scenes (give several); default: all.")
@quiet_option
def gallery_command(folder, readme, names, quiet) -> None:
    """Render every scene into a folder with a static index.html (GIF, MP4, poster and provenance each)."""
    bar = None

    def start_bar(count: int) -> None:  # once everything is checked, so that an error is the only line
        nonlocal bar
        if not quiet:
            bar = click.progressbar(length=count, label="rendering the gallery", file=sys.stderr, show_pos=True)
            bar.__enter__()

    with user_errors():
        from .gallery import build_gallery

        try:
            cards = build_gallery(folder, list(names), readme=readme, on_start=start_bar,
                                  on_done=lambda card: bar.update(1) if bar is not None else None)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    if not quiet:
        say(f"{folder / 'index.html'}: {len(cards)} scenes" + (f"; {readme} updated" if readme else ""))
