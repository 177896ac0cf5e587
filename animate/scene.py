"""Scenes: one blog example each, registered by name.

A scene is declarative: its class says where it comes from and its defaults (the blog's), and
``build(lr)`` makes the data, model, loss and optimiser in the blog's order of random draws. The
pipeline seeds torch before calling ``build``, so ``--seed S`` means ``torch.manual_seed(S)`` first,
exactly as at the top of the blog's script.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import numbers
import importlib
import importlib.util
import sys
import traceback
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import torch

from .errors import AnimateError
from .meta import Equation, TraceMeta
from .declare import check_value
from .options import DEFAULT_FPS, DEFAULT_FRAMES, RenderOptions, TrainOptions


@dataclass(frozen=True)
class Defaults:
    """A scene's hyperparameters as its blog sets them, and how its animation is paced.

    ``steps`` is the most updates (the blog's epoch count, or a cap where the blog loops until a
    stopping rule); ``stop_below`` stops after the update whose loss is below it. Frames follow a
    budget of ``frames`` placed where the picture changes, unless ``every`` asks for every N-th step.
    """

    lr: float
    steps: int
    stop_below: Optional[float] = None
    fps: float = DEFAULT_FPS
    frames: int = DEFAULT_FRAMES
    every: Optional[int] = None

    def __post_init__(self) -> None:
        # The same rules as the settings a user gives (a scene file's defaults are the user's too).
        try:
            for name, cls in (("lr", TrainOptions), ("steps", TrainOptions), ("frames", TrainOptions),
                              ("fps", RenderOptions)):
                check_value(cls, name, getattr(self, name))
            if self.every is not None:
                check_value(TrainOptions, "every", self.every)
            if self.stop_below is not None and not (isinstance(self.stop_below, numbers.Real)
                                                    and math.isfinite(self.stop_below)):
                raise AnimateError(f"stop below {self.stop_below!r} is not valid: use a number, or None")
        except AnimateError as error:
            raise AnimateError(f"Defaults: {error}") from None


@dataclass
class Setup:
    """Everything one training run of a scene needs, made by :meth:`Scene.build` after seeding."""

    model: Any  # an nn.Module, or a dict of hand-made tensors
    loss: Callable[[], torch.Tensor]
    optimizer: Any  # zero_grad() and step()
    observe: Any  # a Curve or Boundary observer
    points: tuple  # (x, y) or (x, y, labels): the training data to draw


class Scene:
    """Base class of scenes; subclasses set the class attributes and write :meth:`build`."""

    name: str = ""
    title: str = ""  # shown on every frame
    summary: str = ""  # one line for `animate list`
    source: str = ""  # the blog example it reproduces
    defaults: Defaults
    equation: Optional[Equation] = None  # how the fitted function is written from the parameters
    labels: tuple[str, str] = ("x", "y")  # the axes
    loss_name: str = "loss"  # e.g. "MSE loss", as the frames write it
    step_name: str = "iteration"  # what the blog counts: "epoch" or "iteration"
    truth_label: str = "true function"  # the legend's words for the dashed true function
    class_names: tuple = ("class 0", "class 1")  # one name a class
    fresh_batches: bool = False  # each step's loss sees new random data (no fixed loss surface to draw)
    file: Optional[Path] = None  # the scene file it was loaded from; None for a built-in scene

    def build(self, lr: float) -> Setup:
        """Make data, model, loss and optimiser with learning rate ``lr`` (torch is already seeded)."""
        raise NotImplementedError

    def meta(self) -> TraceMeta:
        """What the picture needs to know about this scene, stored in the trace."""
        return TraceMeta(title=self.title, scene=self.name, xlabel=self.labels[0], ylabel=self.labels[1],
                         loss_name=self.loss_name, step_name=self.step_name, truth_label=self.truth_label,
                         class_names=tuple(self.class_names), equation=self.equation,
                         stop_below=self.defaults.stop_below, pace=float(self.defaults.fps))

    @contextmanager
    def user_code(self, doing: str) -> Iterator[None]:
        """Report an error raised by a scene file's own code as one line naming the file and line.

        A built-in scene's errors are bugs and keep their traceback.
        """
        if self.file is None:
            yield
            return
        try:
            yield
        except (AnimateError, KeyboardInterrupt):
            raise
        except BaseException as error:  # sys.exit() or GeneratorExit in the file are the file's too
            if type(error).__name__ == "Terminated":
                raise
            line = where(error, self.file)
            if not line:
                raise  # raised by animate's own code, not the file's: a bug, with its traceback
            what = f"called sys.exit({error.code!r})" if isinstance(error, SystemExit) else \
                f"{type(error).__name__}: {error}"
            raise AnimateError(f"scene file {str(self.file)!r} failed while {doing}{line}: {what}") from None


_SCENES: dict[str, type[Scene]] = {}


# While a scene file loads, @register puts its scenes here instead of in the registry: a file's scenes
# belong to that file, so two files (or a file and a built-in) may use the same name.
_loading_file: ContextVar[Optional[dict]] = ContextVar("_loading_file", default=None)


def register(cls: type[Scene]) -> type[Scene]:
    """Class decorator: make a scene available by its ``name`` to the CLI and the API."""
    if not cls.name:
        raise AnimateError(f"scene class {cls.__name__} needs a name (a class attribute, e.g. name = \"mine\")")
    captured = _loading_file.get()
    if captured is not None:
        captured[cls.name] = cls
        return cls
    if cls.name in _SCENES and _SCENES[cls.name] is not cls:
        raise AnimateError(f"scene name {cls.name!r} is already taken by {_SCENES[cls.name].__module__}")
    _SCENES[cls.name] = cls
    return cls


def _load_builtin_scenes() -> None:
    # Importing the package runs each scene module's @register; it happens once, on first use.
    try:
        importlib.import_module("animate.scenes")
    except ModuleNotFoundError as error:
        if error.name != "animate.scenes":
            raise
        _load_scenes_from_checkout()


def _load_scenes_from_checkout() -> None:
    # Run from a source checkout (`python -m animate` at the repository root), `animate` is the
    # checkout's folder and the scenes sit beside it in scenes/; map them to animate.scenes the way
    # setup.cfg's package_dir does when installing.
    folder = Path(__file__).resolve().parent.parent / "scenes"
    if not (folder / "__init__.py").is_file():
        raise AnimateError("the built-in scenes are missing from this installation: reinstall animate")
    spec = importlib.util.spec_from_file_location(
        "animate.scenes", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["animate.scenes"] = module
    spec.loader.exec_module(module)


def scene_names() -> list[str]:
    """The registered scene names, sorted."""
    _load_builtin_scenes()
    return sorted(_SCENES)


def get_scene(name: str) -> Scene:
    """A new instance of the scene called ``name``, or defined in the file ``name`` (``my_scene.py``,
    or ``my_scene.py:NAME`` to pick one of several); an unknown name is an :class:`AnimateError`."""
    if is_scene_file(name):
        return load_scene_file(name)
    names = scene_names()
    if name not in _SCENES:
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise AnimateError(f"unknown scene {name!r}: {hint}valid scenes are {', '.join(names)}")
    return _SCENES[name]()


def is_scene_file(name: str) -> bool:
    """Whether ``name`` means a Python file (``path/to/my_scene.py``, optionally ``:NAME``) not a built-in."""
    return str(name).partition(":")[0].endswith(".py")


def load_scene_file(spec: str) -> Scene:
    """The scene defined in a Python file written the way the built-in scenes are.

    The file defines a :class:`Scene` subclass with a ``name`` (``@register`` is optional);
    ``file.py:NAME`` picks one when the file defines several.
    """
    path, _, wanted = str(spec).partition(":")
    file = Path(path)
    if not file.is_file():
        raise AnimateError(f"scene file {path!r} does not exist")
    digest = hashlib.sha1(str(file.resolve()).encode()).hexdigest()[:12]
    module_name = f"animate_scene_file_{digest}"  # the same file always loads as the same module
    loader_spec = importlib.util.spec_from_file_location(module_name, file)
    module = importlib.util.module_from_spec(loader_spec)
    sys.modules[module_name] = module  # so that dataclasses and pickling inside the file work
    registered: dict = {}
    token = _loading_file.set(registered)
    try:
        loader_spec.loader.exec_module(module)
    except AnimateError as error:  # a Defaults(...) or @register the file gave wrongly
        raise AnimateError(f"scene file {path!r}{where(error, file)}: {error}") from None
    except Exception as error:  # the user's code: report it in one line, whatever it is
        raise AnimateError(f"could not load scene file {path!r}{where(error, file)}: "
                           f"{type(error).__name__}: {error}") from None
    finally:
        _loading_file.reset(token)
    found = {cls.name: cls for cls in vars(module).values()
             if isinstance(cls, type) and issubclass(cls, Scene) and cls.__module__ == module_name and cls.name}
    found.update(registered)
    if wanted:
        if wanted not in found:
            raise AnimateError(f"scene file {path!r} has no scene named {wanted!r}: it has {', '.join(found) or 'none'}")
        chosen = found[wanted]
    elif len(found) == 1:
        chosen = next(iter(found.values()))
    elif not found:
        raise AnimateError(f"scene file {path!r} defines no scene: write a Scene subclass with a name "
                           "(see the README's 'Write your own scene')")
    else:
        raise AnimateError(f"scene file {path!r} defines several scenes ({', '.join(found)}): "
                           f"pick one as {path}:NAME")
    if not isinstance(getattr(chosen, "defaults", None), Defaults):
        raise AnimateError(f"scene {chosen.name!r} in {path!r} needs defaults = Defaults(lr=..., steps=...)")
    scene = chosen()
    scene.file = file
    return scene


def where(error: BaseException, file: Path) -> str:
    """`` at line N`` of ``file`` where ``error`` was raised inside it (the innermost such line), or ``""``."""
    if isinstance(error, SyntaxError) and error.lineno and Path(error.filename or "").resolve() == file.resolve():
        return f" at line {error.lineno}"
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if Path(frame.filename).resolve() == file.resolve()]
    return f" at line {lines[-1]}" if lines else ""
