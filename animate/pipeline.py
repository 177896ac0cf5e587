"""The whole job: train a scene while recording it, then render the trace and write the file.

    >>> summary = run_scene("logistic", "logistic.gif", seed=0)    # doctest: +SKIP
    >>> print(summary.line())                                       # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy as np
import torch

from .errors import AnimateError
from .fit import Callback, fit
from .options import RenderOptions
from .record import Recorder
from .renderer.text import ending_text, format_loss
from .scene import Scene, get_scene
from .trace import Trace
from .describe import alt_text, provenance, render_settings, scene_command
from .renderer import Renderer
from .write import Notes, Outputs, Written, save_trace, write_animation
from .writers import writer_for
from .writers.atomic import check_destination

MAX_STEPS = 10_000_000
SURFACE_RESOLUTION = 48
# Optimisers a run can use instead of its scene's own (for side-by-side comparisons).
OPTIMIZERS = {
    "sgd": ("SGD", lambda params, lr: torch.optim.SGD(params, lr=lr)),
    "momentum": ("SGD + momentum 0.9", lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9)),
    "adam": ("Adam", lambda params, lr: torch.optim.Adam(params, lr=lr)),
}


def make_optimizer(name: str, model, lr: float):
    """Optimiser ``name`` (see ``OPTIMIZERS``) over the model's parameters (a module's or a dict's)."""
    if name not in OPTIMIZERS:
        raise AnimateError(f"unknown optimizer {name!r}: valid optimizers are {', '.join(OPTIMIZERS)}")
    params = list(model.values()) if isinstance(model, dict) else list(model.parameters())
    return OPTIMIZERS[name][1](params, lr)


@dataclass(frozen=True)
class Summary:
    """What a scene run produced, for the CLI's one summary line."""

    written: Written
    trace: Trace

    def _repr_html_(self) -> str:
        """In a notebook: the animation, with the summary line under it."""
        return f"{self.written._repr_html_()}<pre>{html.escape(self.line())}</pre>"

    def line(self) -> str:
        """``logistic.gif: 26 frames, 4.8 s, 81,234 bytes; final loss 0.00857 at iteration 25 ...``."""
        written, trace, meta = self.written, self.trace, self.trace.meta
        step = int(trace.steps[-1])
        ending = ending_text(meta, "summary")
        return (
            f"{written.path}: {written.frames} frames, {written.seconds:.1f} s, {written.bytes:,} bytes; "
            f"final {meta.get('loss_name', 'loss')} {format_loss(float(trace.loss[-1]))} "
            f"at {meta.get('step_name', 'iteration')} {step:,}{f' ({ending})' if ending else ''}; "
            f"{format_params(trace.final_params())}"
            + (f"; also {', '.join(str(p) for p in written.extras)}" if written.extras else "")
        )


def format_params(params: dict) -> str:
    """``w = -0.9511, b = -0.02908``; a parameter with more than four numbers is shown by its shape."""
    parts = []
    for name, value in params.items():
        value = np.asarray(value)
        if value.size <= 4:
            numbers = ", ".join(f"{v:#.4g}".rstrip(".") for v in value.ravel())
            parts.append(f"{name} = {numbers if value.size == 1 else '[' + numbers + ']'}")
        else:
            parts.append(f"{name} ({'×'.join(map(str, value.shape))})")
    return ", ".join(parts)


def record_scene(
    scene: str | Scene,
    seed: int = 0,
    lr: Optional[float] = None,
    steps: Optional[int] = None,
    every: Optional[int] = None,
    frames: Optional[int] = None,
    callbacks: Iterable[Callback] = (),
    optimizer: Optional[str] = None,
) -> Trace:
    """Train a scene from ``torch.manual_seed(seed)`` and return its trace.

    ``lr`` and ``steps`` (the most updates) default to the scene's own, which are its blog's.
    Frames are ``every`` N-th step, or about ``frames`` placed where the picture changes (the
    scene's default schedule when neither is given). ``optimizer`` (a name in ``OPTIMIZERS``)
    replaces the scene's own optimiser or hand-written update. The caller's torch random state is
    left alone.
    """
    scene = get_scene(scene) if isinstance(scene, str) else scene
    defaults = scene.defaults
    lr = defaults.lr if lr is None else float(lr)
    steps = defaults.steps if steps is None else int(steps)
    if not (np.isfinite(lr) and lr > 0):
        raise AnimateError(f"learning rate {lr!r} is not valid: use a positive number such as {defaults.lr:g}")
    if not (1 <= steps <= MAX_STEPS):
        raise AnimateError(f"steps {steps} is out of range: use 1 to {MAX_STEPS:,}")
    if every is None and frames is None:
        every, frames = defaults.every, (None if defaults.every else defaults.frames)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        setup = scene.build(lr)
        if optimizer is not None:
            setup.optimizer = make_optimizer(optimizer, setup.model, lr)
        recorder = Recorder(setup.model, setup.observe, every=every, frames=frames)
        result = fit(setup.loss, setup.optimizer, steps, defaults.stop_below, [recorder, *callbacks])
        trace = recorder.trace(
        points=setup.points,
        meta={
            **scene.meta(),
            **setup.meta,
            "settings": {"seed": seed, "lr": lr, "steps": steps, "every": every, "frames": frames,
                         "optimizer": optimizer},
            "fps": defaults.fps,
            "stop_below": defaults.stop_below,
            "stopped_early": result.stopped_early,
            "diverged_at": result.steps if result.diverged else None,
            "interrupted_at": result.steps if result.interrupted else None,
        },
        )
        return with_loss_surface(trace, setup, scene)


def _scalar_parameters(model) -> dict:
    named = dict(model.items()) if isinstance(model, dict) else dict(model.named_parameters())
    return named if len(named) == 2 and all(tensor.numel() == 1 for tensor in named.values()) else {}


def with_loss_surface(trace: Trace, setup, scene: Scene, resolution: int = SURFACE_RESOLUTION) -> Trace:
    """``trace`` plus the loss over a grid of its two parameters, for models that have exactly two.

    The grid spans the path the parameters took (with a margin); each point's loss comes from the
    scene's own loss function with the parameters set there, so it is the surface the optimiser saw.
    A run that diverged, or a loss that draws fresh random batches, gets no surface.
    """
    parameters = _scalar_parameters(setup.model)
    if not parameters or trace.meta.get("diverged_at") is not None or scene.fresh_batches:
        return trace
    spec = scene.equation or {}
    names = [spec.get("slope"), spec.get("intercept")]
    names = names if set(names) == set(parameters) else list(parameters)
    first, second = (parameters[name] for name in names)
    paths = [trace.params[name].reshape(len(trace), -1)[:, 0].astype(float) for name in names]
    widest = max(float(path.max() - path.min()) for path in paths)
    axes = []
    for path in paths:
        low, high = float(path.min()), float(path.max())
        # A parameter that barely moved still gets room to show how the loss changes along it.
        margin = max(0.25 * (high - low), 0.15 * widest, 0.1)
        axes.append(np.linspace(low - margin, high + margin, resolution))
    grid_a, grid_b = axes
    surface = np.empty((resolution, resolution))
    saved = (first.detach().clone(), second.detach().clone())
    with torch.no_grad():
        for row, b in enumerate(grid_b):
            second.fill_(float(b))
            for column, a in enumerate(grid_a):
                first.fill_(float(a))
                surface[row, column] = float(setup.loss())
        first.copy_(saved[0])
        second.copy_(saved[1])
    labels = [spec.get("slope_label", names[0]), spec.get("intercept_label", names[1])] if spec else names
    return dataclasses.replace(
        trace,
        static={**trace.static, "surface": surface.astype(np.float32), "surface_a": grid_a.astype(np.float32),
                "surface_b": grid_b.astype(np.float32)},
        meta={**trace.meta, "path_params": names, "path_labels": labels},
    )


def run_scene(
    name: str,
    path: str | Path | None = None,
    *,
    seed: int = 0,
    lr: Optional[float] = None,
    steps: Optional[int] = None,
    every: Optional[int] = None,
    frames: Optional[int] = None,
    options: Optional[RenderOptions] = None,
    trace_path: str | Path | None = None,
    callbacks: Iterable[Callback] = (),
    on_frame: Optional[Callable[[int, int], None]] = None,
    extras: Optional[dict] = None,
) -> Summary:
    """Train scene ``name``, then write its animation to ``path`` (default ``NAME.gif``).

    ``options`` defaults to 640×480 at the scene's own frame rate. ``extras`` asks for files around
    the animation (``poster``, ``sheet``, ``alt_text``, ``snippet``: see :meth:`Outputs.beside`); a
    provenance JSON (``NAME.json``) is always written. Paths are checked before training, so a bad
    output path fails at once rather than after a long run.
    """
    scene = get_scene(name)
    path = Path(path) if path is not None else Path(f"{scene.name}.gif")
    options = options or RenderOptions(fps=scene.defaults.fps)
    outputs = Outputs.beside(path, **(extras or {}))
    writer_for(outputs.animation).check_available()
    for file in outputs.files():
        check_destination(file)
    if trace_path is not None:
        check_destination(trace_path)
    trace = record_scene(scene, seed=seed, lr=lr, steps=steps, every=every, frames=frames, callbacks=callbacks)
    if trace_path is not None:
        save_trace(trace, trace_path)
    settings = render_settings(options)
    command = scene_command(name, trace.meta["settings"], settings, str(path))
    notes = Notes(alt_text(trace), provenance(trace, settings, command, scene=name))
    written = write_animation(trace, outputs, options, Renderer, on_frame, notes)
    return Summary(written=written, trace=trace)
