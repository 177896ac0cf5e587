"""A render job: what to draw, which files to write, and how frames look, validated completely up front.

Every way in (the CLI's ``scene``, ``render`` and ``compare``, the gallery, and the Python API) builds
a :class:`RenderJob` with one of the functions here and hands it to :func:`animate.pipeline.run`. A
job is checked before any training starts: the options, each output's format and folder, that no two
files are the same, and the scene or trace itself. Defaults are resolved here, from the thing being
drawn (a scene's pace, a trace's recorded pace) and :mod:`animate.options`, so the command line and
the API give the same file from the same inputs.

    >>> job = scene_job("logistic", "logistic.gif", TrainOptions(seed=1))   # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Union

from .declare import command_words
from .errors import AnimateError
from .meta import LinearEquation
from .optimizers import OPTIMIZERS
from .options import COMPARE_SIZE, DEFAULT_SIZE, MAX_FRAMES, Extras, RenderOptions, TrainOptions, Variants
from .outputs import SNIPPET_FORMATS, Outputs
from .story import frames_for
from .trace import Trace

@dataclass(frozen=True)
class SceneRun:
    """Train a scene (loaded once, as the user named it: a built-in name or a scene file), then draw it."""

    scene: object  # an animate.scene.Scene
    spec: str
    train: TrainOptions
    landscape: bool = False  # also the loss over the plane of the path, for a model of more than two parameters
    trains = True

    @property
    def pace(self) -> float:
        return self.scene.defaults.fps

    def words(self) -> list:
        settings = self.train.resolved(self.scene.defaults)
        return ["scene", positional(self.spec), *command_words(TrainOptions(**dataclasses.asdict(settings)))]

    def record(self, callbacks_for: Callable[[str], list]) -> list:
        from .train import train

        settings = self.train.resolved(self.scene.defaults)
        return [train(self.scene, settings, callbacks_for(self.scene.name), landscape=self.landscape)]

    def drawable(self, traces: list):
        return traces[0]


@dataclass(frozen=True)
class RunComparison:
    """Train a scene once per learning rate and/or optimiser, from the same seed, and draw them side by side."""

    scene: object
    spec: str
    train: TrainOptions  # seed, steps and frames: the same for every run
    variants: Variants
    trains = True

    @property
    def pace(self) -> float:
        return self.scene.defaults.fps

    @property
    def frames(self) -> int:
        return self.train.frames or self.scene.defaults.frames

    def labels(self) -> list:
        """``lr 0.01``, ``Adam, lr 0.02``: each run's label (the scene's own update at its own rate unnamed)."""
        labels = []
        for lr, optimizer in self.variants.runs():
            rate = f"lr {lr if lr is not None else self.scene.defaults.lr:g}"
            labels.append(f"{OPTIMIZERS[optimizer].label}, {rate}" if optimizer else rate)
        return labels

    def words(self) -> list:
        settings = dataclasses.replace(self.train, frames=self.frames).resolved(self.scene.defaults)
        train = TrainOptions(**dataclasses.asdict(settings))
        return ["compare", positional(self.spec), *command_words(train, only=("seed",)), *command_words(self.variants),
                *command_words(train, only=("steps", "frames"))]

    def record(self, callbacks_for: Callable[[str], list]) -> list:
        from .train import train

        traces = []
        for (lr, optimizer), label in zip(self.variants.runs(), self.labels()):
            options = dataclasses.replace(self.train, lr=lr, frames=self.frames, optimizer=optimizer)
            traces.append(train(self.scene, options.resolved(self.scene.defaults), callbacks_for(label)))
        return traces

    def drawable(self, traces: list):
        from .comparison import build

        varied = " and ".join(part for part, asked in (("learning rates", self.variants.lrs),
                                                         ("optimizers", self.variants.optimizers)) if asked)
        return build(traces, self.labels(), self.frames, title=f"{self.scene.title} · {varied} compared")


@dataclass(frozen=True)
class SavedTrace:
    """Draw a trace saved by ``--trace`` (loaded, and so checked, when the job is made)."""

    path: Path
    trace: Trace
    trains = False

    @property
    def pace(self) -> Optional[float]:
        return self.trace.meta.pace

    def words(self) -> list:
        return ["render", positional(str(self.path))]

    def record(self, callbacks_for) -> list:
        return [self.trace]

    def drawable(self, traces: list):
        return traces[0]


@dataclass(frozen=True)
class GivenTrace:
    """Draw a trace made in this process (a user's own loop); its provenance names this process's command."""

    trace: Trace
    trains = False

    @property
    def pace(self) -> Optional[float]:
        return self.trace.meta.pace

    def words(self) -> None:
        return None  # no animate command remakes it: the script that made the trace does

    def record(self, callbacks_for) -> list:
        return [self.trace]

    def drawable(self, traces: list):
        return traces[0]


Source = Union[SceneRun, RunComparison, SavedTrace, GivenTrace]


@dataclass(frozen=True)
class RenderJob:
    """What to draw (``source``), the files to write, the resolved options, and where to save the trace.

    ``named`` is the path the animation will be known by when it is written somewhere else first
    (the gallery writes into a staging folder): the remaking command names that path.
    """

    source: Source
    outputs: Outputs
    options: RenderOptions
    trace_path: Optional[Path] = None
    named: Optional[Path] = None

    def command(self, path: Optional[Path] = None) -> str:
        """The command that remakes the animation (or ``path``, the same animation in another format),
        every setting spelled out and quoted for a shell."""
        words = self.source.words()
        if words is None:
            return this_process()
        path = Path(path) if path is not None else self.outputs.animation
        output = self.named.with_name(path.name) if self.named is not None else path
        return shlex.join(["animate", *words, *command_words(self.options), "-o", str(output)])


def positional(word: str) -> str:
    """A path as a command line's positional argument: ``./-run.npz``, not an option ``-run.npz``."""
    return f"./{word}" if word.startswith("-") else word


def this_process() -> str:
    """How this process was started, for a trace made in it (a user's script or notebook)."""
    if "ipykernel" in sys.modules:  # argv is the kernel's, with a connection file that changes every time
        return "a Jupyter notebook"
    return shlex.join([Path(sys.executable).name, *sys.argv]) if sys.argv and sys.argv[0] else "python"


def scene_job(spec: str, output=None, train: TrainOptions = TrainOptions(), options: RenderOptions = RenderOptions(),
              extras: Extras = Extras(), trace_path=None) -> RenderJob:
    """Train scene ``spec`` (a name, or ``my_scene.py[:NAME]``) and write ``output`` (default ``NAME.gif``)."""
    from .scene import get_scene

    scene = get_scene(spec)
    if options.param_path and scene.fresh_batches:
        raise AnimateError(f"scene {scene.name!r} has no loss surface to draw the parameter path on: its loss draws "
                           "fresh random data each step")
    train = budget_for_duration(train, scene.defaults, options)
    # Two-parameter scenes have their exact surface; any other model, the plane of its path (--param-path).
    source = SceneRun(scene, str(spec), train, landscape=options.param_path)
    return _job(source, output or f"{scene.name}.gif", options, DEFAULT_SIZE, extras, trace_path)


def budget_for_duration(train: TrainOptions, defaults, options: RenderOptions) -> TrainOptions:
    """With a duration and no frame choice of the user's or the scene's, record as many real states as the
    duration has frames: real states are better than in-betweens."""
    if options.duration is None or train.frames is not None or train.every is not None or defaults.every:
        return train
    fps = options.resolved(defaults.fps).fps
    wanted = frames_for(options.duration, fps, options.hold_first, options.hold_last)
    return dataclasses.replace(train, frames=min(max(wanted, 2), MAX_FRAMES))


def compare_job(spec: str, variants: Variants, output=None, train: TrainOptions = TrainOptions(),
                options: RenderOptions = RenderOptions(), extras: Extras = Extras()) -> RenderJob:
    """Train scene ``spec`` once per variant and write them side by side to ``output`` (``NAME-compare.gif``)."""
    from .scene import get_scene

    for name in ("lr", "every", "optimizer"):
        if getattr(train, name) is not None:
            raise AnimateError(f"compare sets {name} per run (see Variants), not for all runs: leave it out")
    if options.param_path:
        raise AnimateError("compare draws each run small, without the parameter path: leave out --param-path")
    scene = get_scene(spec)
    train = budget_for_duration(train, scene.defaults, options)
    return _job(RunComparison(scene, str(spec), train, variants), output or f"{scene.name}-compare.gif", options,
                COMPARE_SIZE, extras, None)


def render_job(trace: Union[Trace, str, Path], output=None, options: RenderOptions = RenderOptions(),
               extras: Extras = Extras(), provenance_file: bool = True) -> RenderJob:
    """Draw ``trace`` (a :class:`Trace`, or the path of a saved one) into ``output``.

    The default output is a saved trace's name with ``.gif``, in the current folder. ``provenance_file``
    writes ``NAME.json`` beside the animation (the provenance is inside the animation either way).
    """
    if isinstance(trace, Trace):
        if output is None:
            raise AnimateError("give an output path for the trace, such as 'run.gif'")
        source = GivenTrace(trace)
    else:
        path = Path(trace)
        source = SavedTrace(path, Trace.load(path))
        output = output if output is not None else Path(path.with_suffix(".gif").name)
    return _job(source, output, options, DEFAULT_SIZE, extras, None, provenance_file)


def _job(source: Source, output, options: RenderOptions, size: tuple, extras: Extras, trace_path,
         provenance_file: bool = True) -> RenderJob:
    """Resolve the options for ``source``, name and check every file, and check what can be drawn."""
    from .drawing import check_drawable, check_memory

    options = options.resolved(source.pace, size)
    check_memory(options)
    if options.duration is not None and frames_for(options.duration, options.fps, options.hold_first,
                                                   options.hold_last) < 2:
        least = options.hold_first + options.hold_last + 2 / options.fps
        raise AnimateError(f"duration {options.duration:g} s leaves no time to train in after the first frame's "
                           f"hold ({options.hold_first:g} s) and the last's ({options.hold_last:g} s): give "
                           f"--duration {least:g} or more, or shorter holds")
    inputs = (source.path,) if isinstance(source, SavedTrace) else ()
    if options.param_path and options.compact:
        width, height = options.size
        raise AnimateError(f"--param-path needs room beside the plot: frames of {width}x{height} at dpi "
                           f"{options.dpi} are laid out compact (under 4.8 x 3.6 inches); use a larger size "
                           "or a lower dpi")
    wanted = extras.wanted(snippet_fits=Path(output).suffix.lower() in SNIPPET_FORMATS)
    outputs = Outputs.beside(output, **wanted, provenance=provenance_file)
    outputs.check(options, also=(trace_path,) if trace_path is not None else (), inputs=inputs)
    if isinstance(source, (SavedTrace, GivenTrace)):
        check_drawable(source.trace, options)
    return RenderJob(source, outputs, options, Path(trace_path) if trace_path is not None else None)
