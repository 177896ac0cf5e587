"""Train a scene while recording it: the half of a job that needs torch.

    >>> trace = record_scene("logistic", seed=0)       # doctest: +SKIP
    >>> trace.meta.ending.stopped_early                 # doctest: +SKIP
    True
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Optional

import numpy as np
import torch

from .loop import Callback, fit
from .meta import LinearEquation, ParamPath, RunSettings, Ending
from .optimizers import make_optimizer
from .options import TrainOptions
from .record import Recorder
from .errors import AnimateError
from .scene import Scene, Setup, get_scene
from .trace import Trace

SURFACE_RESOLUTION = 48


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
    scene's default schedule when neither is given). ``optimizer`` (``"sgd"``, ``"momentum"`` or
    ``"adam"``) replaces the scene's own optimiser or hand-written update. The caller's torch random
    state is left alone.
    """
    scene = get_scene(scene) if isinstance(scene, str) else scene
    options = TrainOptions(seed=seed, lr=lr, steps=steps, every=every, frames=frames, optimizer=optimizer)
    return train(scene, options.resolved(scene.defaults), callbacks)


def train(scene: Scene, settings: RunSettings, callbacks: Iterable[Callback] = (), landscape: bool = False) -> Trace:
    """Train ``scene`` with resolved ``settings`` and return its trace (with a loss surface where it has one;
    with ``landscape``, for a model of more parameters, the loss over the plane of its path: see
    :mod:`animate.landscape`)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(settings.seed)
        with scene.user_code("building the scene"):
            setup = scene.build(settings.lr)
        if not isinstance(setup, Setup):
            raise AnimateError(f"scene {scene.name!r}{f' in {str(scene.file)!r}' if scene.file else ''}: build() "
                               f"returned {type(setup).__name__}, not a Setup(model=..., loss=..., optimizer=..., "
                               "observe=..., points=...)")
        if settings.optimizer is not None:
            setup.optimizer = make_optimizer(settings.optimizer, setup.model, settings.lr)
        recorder = Recorder(setup.model, setup.observe, every=settings.every, frames=settings.frames)
        with scene.user_code("training"):
            result = fit(setup.loss, setup.optimizer, settings.steps, scene.defaults.stop_below,
                         [recorder, *callbacks])
        ending = Ending(stopped_early=result.stopped_early, diverged_at=result.steps if result.diverged else None,
                        interrupted_at=result.steps if result.interrupted else None)
        trace = recorder.trace(points=setup.points, meta=scene.meta().replace(settings=settings, ending=ending))
        with scene.user_code("computing the loss surface"):
            surfaced = with_loss_surface(trace, setup, scene)
            if landscape and "surface" not in surfaced.static:
                surfaced = with_landscape(surfaced, setup, scene)
            return surfaced


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
    if not parameters or trace.meta.ending.diverged_at is not None or scene.fresh_batches:
        return trace
    equation = scene.equation if isinstance(scene.equation, LinearEquation) else None
    names = [equation.slope, equation.intercept] if equation else []
    names = names if set(names) == set(parameters) else list(parameters)
    first, second = (parameters[name] for name in names)
    paths = [trace.params[name].reshape(len(trace), -1)[:, 0].astype(float) for name in names]
    axes = []
    for path in paths:
        low, high = float(path.min()), float(path.max())
        # Framed by the path, each axis on its own: a parameter that moved little is shown at its own
        # scale, so its path has a shape rather than a flat line; one that did not move gets a little room.
        margin = max(0.25 * (high - low), 1e-3 * (1 + abs(low) + abs(high)))
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
    labels = names
    if equation is not None and names == [equation.slope, equation.intercept]:
        labels = [equation.slope_label or names[0], equation.intercept_label or names[1]]
    return dataclasses.replace(
        trace,
        static={**trace.static, "surface": surface.astype(np.float32), "surface_a": grid_a.astype(np.float32),
                "surface_b": grid_b.astype(np.float32)},
        meta=trace.meta.replace(path=ParamPath(tuple(names), tuple(labels))),
    )


def with_landscape(trace: Trace, setup, scene: Scene) -> Trace:
    """``trace`` plus the loss over the plane of its parameter path (two principal directions through the final
    parameters; see :mod:`animate.landscape`): the path's coordinates become the parameters ``pc1`` and ``pc2``
    that the path panel draws, and the axes say how much of the path each direction holds."""
    from .landscape import Landscape

    if trace.meta.ending.diverged_at is not None or scene.fresh_batches:
        return trace
    names = list(trace.params)
    tensors = dict(setup.model.items()) if isinstance(setup.model, dict) else dict(setup.model.named_parameters())
    tensors = [tensors[name] for name in names]
    plane = Landscape.of(trace)
    saved = [tensor.detach().clone() for tensor in tensors]
    sizes = [tensor.numel() for tensor in tensors]

    def loss_at(vector: np.ndarray) -> float:
        start = 0
        for tensor, size in zip(tensors, sizes):
            tensor.copy_(torch.as_tensor(vector[start:start + size], dtype=tensor.dtype).reshape(tensor.shape))
            start += size
        return float(setup.loss())

    with torch.no_grad():
        try:
            grid_a, grid_b, surface, seconds = plane.surface(loss_at)
        finally:
            for tensor, value in zip(tensors, saved):
                tensor.copy_(value)
    params = {**trace.params, "pc1": plane.a.astype(np.float32), "pc2": plane.b.astype(np.float32)}
    return dataclasses.replace(
        trace, params=params,
        static={**trace.static, "surface": surface.astype(np.float32), "surface_a": grid_a.astype(np.float32),
                "surface_b": grid_b.astype(np.float32)},
        meta=trace.meta.replace(path=ParamPath(("pc1", "pc2"), plane.labels())),
    )

