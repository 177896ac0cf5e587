"""Side-by-side runs of one scene: several learning rates or optimisers, one animation, one clock.

    >>> compare_scene("linear", "lrs.gif", lrs=[0.001, 0.005, 0.01])          # doctest: +SKIP
    >>> compare_scene("logistic", "opt.gif", optimizers=["sgd", "adam"])       # doctest: +SKIP
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Callable, Optional, Sequence

from .comparison import build
from .errors import AnimateError
from .options import RenderOptions
from .describe import comparison_alt_text, provenance, render_settings, scene_command
from .pipeline import OPTIMIZERS, record_scene
from .renderer.compare import CompareRenderer
from .scene import get_scene
from .write import Notes, Outputs, Written, write_animation
from .writers import writer_for
from .writers.atomic import check_destination

MAX_RUNS = 6
COMPARE_SIZE = (1280, 720)


def variants(lrs: Sequence[float], optimizers: Sequence[str]) -> list:
    """Every (lr, optimizer) pair asked for; ``None`` means the scene's own."""
    runs = list(itertools.product(list(lrs) or [None], list(optimizers) or [None]))
    if len(runs) < 2:
        raise AnimateError("compare needs two or more runs: give --lr twice or more, or --optimizer twice or more")
    if len(runs) > MAX_RUNS:
        raise AnimateError(f"compare shows at most {MAX_RUNS} runs side by side; {len(runs)} were asked for")
    return runs


def label(lr: Optional[float], optimizer: Optional[str], scene) -> str:
    """``lr 0.01``, ``Adam, lr 0.02``, or the scene's own update at its own rate."""
    name = OPTIMIZERS[optimizer][0] if optimizer else None
    rate = f"lr {lr if lr is not None else scene.defaults.lr:g}"
    return f"{name}, {rate}" if name else rate


def compare_scene(
    name: str,
    path: str | Path | None = None,
    *,
    lrs: Sequence[float] = (),
    optimizers: Sequence[str] = (),
    seed: int = 0,
    steps: Optional[int] = None,
    frames: Optional[int] = None,
    options: Optional[RenderOptions] = None,
    callbacks_for: Optional[Callable[[str], list]] = None,
    on_frame: Optional[Callable[[int, int], None]] = None,
    extras: Optional[dict] = None,
) -> Written:
    """Train scene ``name`` once per learning rate and/or optimiser and animate the runs side by side.

    Every run starts from the same seed (the same data and initial model); ``callbacks_for(label)``
    gives each run's training callbacks. Writes ``path`` (default ``NAME-compare.gif``).
    """
    scene = get_scene(name)
    for optimizer in optimizers:
        if optimizer not in OPTIMIZERS:
            raise AnimateError(f"unknown optimizer {optimizer!r}: valid optimizers are {', '.join(OPTIMIZERS)}")
    runs = variants(lrs, optimizers)
    path = Path(path) if path is not None else Path(f"{scene.name}-compare.gif")
    options = options or RenderOptions(size=COMPARE_SIZE, fps=scene.defaults.fps)
    outputs = Outputs.beside(path, **(extras or {}))
    writer_for(path).check_available()
    for file in outputs.files():
        check_destination(file)
    frames = frames or scene.defaults.frames
    traces, labels = [], []
    for lr, optimizer in runs:
        labels.append(label(lr, optimizer, scene))
        callbacks = callbacks_for(labels[-1]) if callbacks_for else []
        traces.append(record_scene(scene, seed=seed, lr=lr, steps=steps, frames=frames, callbacks=callbacks,
                                   optimizer=optimizer))
    varied = " and ".join(part for part, asked in (("learning rates", lrs), ("optimizers", optimizers)) if asked)
    comparison = build(traces, labels, frames, title=f"{scene.title} · {varied} compared")
    settings = render_settings(options)
    asked = {"lrs": list(lrs), "optimizers": list(optimizers)}
    command = scene_command(name, {**traces[0].meta["settings"], "frames": frames}, settings, str(path), compare=asked)
    notes = Notes(comparison_alt_text(comparison), {**provenance(traces[0], settings, command, scene=name),
                                                    "runs": labels})
    return write_animation(comparison, outputs, options, CompareRenderer, on_frame, notes)
