"""animate: turn the training of small PyTorch models into GIF and MP4 animations.

The public names are imported on first use, so that ``import animate.drawing`` (or the writers) does
not import torch, and ``animate --help`` starts quickly.

    >>> import animate
    >>> animate.run_scene("logistic", "logistic.gif")          # doctest: +SKIP
"""

from importlib import import_module

__version__ = "0.1.0"

_PUBLIC = {
    "AnimateError": "animate.errors",
    "RenderOptions": "animate.options",
    "TrainOptions": "animate.options",
    "Trace": "animate.trace",
    "TraceMeta": "animate.meta",
    "LinearEquation": "animate.meta",
    "PolynomialEquation": "animate.meta",
    "Callback": "animate.loop",
    "fit": "animate.loop",
    "Recorder": "animate.record",
    "Curve": "animate.observe",
    "Boundary": "animate.observe",
    "Regions": "animate.observe",
    "scene_names": "animate.scene",
    "get_scene": "animate.scene",
    "record_scene": "animate.train",
    "render": "animate.api",
    "run_scene": "animate.api",
    "compare_scene": "animate.api",
    "explore": "animate.api",
    "log_tensorboard": "animate.watch",
    "log_wandb": "animate.watch",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'animate' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_PUBLIC))
