"""The Python API: each function builds the same render job the command line builds, and runs it.

    >>> import animate
    >>> animate.run_scene("logistic", "logistic.gif", seed=1)                       # doctest: +SKIP
    >>> animate.render("run.npz", "run.mp4", animate.RenderOptions(size=(1280, 720)))  # doctest: +SKIP
    >>> animate.compare_scene("linear", "lrs.gif", lrs=[0.001, 0.01])               # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence, Union

from .errors import AnimateError
from .job import compare_job, render_job, scene_job
from .options import Extras, RenderOptions, TrainOptions, Variants
from .outputs import Written
from .pipeline import Summary, run
from .trace import Trace


def run_scene(
    name: str,
    path: str | Path | None = None,
    *,
    options: RenderOptions = RenderOptions(),
    trace_path: str | Path | None = None,
    callbacks: Iterable = (),
    on_frame: Optional[Callable[[int, int], None]] = None,
    extras: Optional[dict] = None,
    **train,
) -> Summary:
    """Train scene ``name`` (or a scene file), then write its animation to ``path`` (default ``NAME.gif``).

    ``train`` are the fields of :class:`~animate.options.TrainOptions` (``seed``, ``lr``, ``steps``,
    ``every``, ``frames``, ``optimizer``); those not given are the scene's own. ``options`` left as
    default play at the scene's pace at 640×480. ``extras`` asks for files around the animation
    (``poster``, ``sheet``, ``alt_text``, ``snippet``: see :class:`~animate.options.Extras`); a
    provenance JSON (``NAME.json``) is always written. Everything is checked before training, so a bad
    output path fails at once.
    """
    job = scene_job(name, path, TrainOptions(**train), options, Extras(**(extras or {})), trace_path)
    callbacks = list(callbacks)
    return run(job, callbacks_for=lambda label: callbacks, on_frame=on_frame)


def compare_scene(
    name: str,
    path: str | Path | None = None,
    *,
    lrs: Sequence[float] = (),
    optimizers: Sequence[str] = (),
    options: RenderOptions = RenderOptions(),
    callbacks_for: Optional[Callable[[str], list]] = None,
    on_frame: Optional[Callable[[int, int], None]] = None,
    extras: Optional[dict] = None,
    **train,
) -> Written:
    """Train scene ``name`` once per learning rate and/or optimiser and animate the runs side by side.

    Every run starts from the same seed (the same data and initial model); ``train`` may give ``seed``,
    ``steps`` and ``frames`` (see :class:`~animate.options.TrainOptions`) for all runs alike.
    ``callbacks_for(label)`` gives each run's training callbacks. Writes ``path`` (default
    ``NAME-compare.gif``, 1280×720).
    """
    job = compare_job(name, Variants(tuple(lrs), tuple(optimizers)), path, TrainOptions(**train), options,
                      Extras(**(extras or {})))
    return run(job, callbacks_for=callbacks_for, on_frame=on_frame).written


def explore(
    name: str,
    path: str | Path | None = None,
    *,
    lrs: Sequence[float] = (),
    optimizers: Sequence[str] = (),
    options: RenderOptions = RenderOptions(),
    callbacks_for: Optional[Callable[[str], list]] = None,
    **train,
) -> Written:
    """Train scene ``name`` for every pair of ``lrs`` × ``optimizers`` and write one page to explore the
    runs (default ``NAME-explore.html``): a step slider for every panel, and a picker between all the runs
    side by side, one run, and every run's fit overlaid. In Jupyter the result shows the page inline.

        animate.explore("linear", lrs=[0.001, 0.01], optimizers=["sgd", "adam"])     # doctest: +SKIP
    """
    if path is not None and Path(path).suffix.lower() != ".html":
        raise AnimateError(f"explore writes a page: give a path ending in .html, not {str(path)!r}")
    job = compare_job(name, Variants(tuple(lrs), tuple(optimizers)), path or f"{Path(name).stem}-explore.html",
                      TrainOptions(**train), options)
    return run(job, callbacks_for=callbacks_for).written


def render(
    trace: Union[Trace, str, Path],
    path: str | Path | None = None,
    options: RenderOptions = RenderOptions(),
    on_frame: Optional[Callable[[int, int], None]] = None,
    extras: Optional[dict] = None,
) -> Written:
    """Render ``trace`` (a :class:`Trace`, or the path of a saved one) into ``path``; the suffix picks the format.

    The trace plays at its scene's pace unless ``options`` say otherwise, exactly as ``animate render``
    does. The file appears only when complete. Its provenance (settings, versions, and the command that
    remakes it: ``animate render ...`` for a saved trace, your script's command line for a trace made
    here) goes into the file itself; no sidecar JSON is written from Python.
    """
    job = render_job(trace, path, options, Extras(**(extras or {})), provenance_file=False)
    return run(job, on_frame=on_frame).written
