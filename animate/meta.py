"""What a trace says about itself besides its numbers: words, the fitted equation, the run's settings
and how the run ended, as frozen dataclasses.

Every layer reads these by attribute, so a misspelt name fails at once instead of falling back to a
default. On disk (a trace file's ``meta.json``, format version 1) they are written as one flat JSON
object with the keys version 1 has always had; unknown keys in a file are ignored (a newer writer
may add some), while unknown keys given in code are an error that suggests the nearest valid one.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

from .errors import AnimateError


@dataclass(frozen=True)
class LinearEquation:
    """A line ``lhs = slope·x + intercept``, named by the parameters that hold slope and intercept."""

    slope: str
    intercept: str
    lhs: str = "ŷ"
    slope_label: Optional[str] = None  # the words for the parameter-path panel's axes
    intercept_label: Optional[str] = None
    kind = "linear"


@dataclass(frozen=True)
class PolynomialEquation:
    """``ŷ = w1·x + w2·x² + … + bias`` from the parameters ``weights`` and ``bias``; ``target`` (the
    true ``[w1, w2, …, bias]``) is written below the fit when given."""

    weights: str
    bias: str
    target: Optional[tuple] = None
    kind = "polynomial"


Equation = Union[LinearEquation, PolynomialEquation]
EQUATIONS = {"linear": LinearEquation, "polynomial": PolynomialEquation}


@dataclass(frozen=True)
class RunSettings:
    """The training settings a run used, all resolved (no "the scene's default" left)."""

    seed: int
    lr: float
    steps: int
    every: Optional[int] = None
    frames: Optional[int] = None
    optimizer: Optional[str] = None


@dataclass(frozen=True)
class Ending:
    """How a run ended before its planned last step, if it did."""

    stopped_early: bool = False  # the stopping rule fired
    diverged_at: Optional[int] = None  # the step whose loss stopped being finite
    interrupted_at: Optional[int] = None  # the step at which Ctrl-C ended training

    @property
    def kind(self) -> Optional[str]:
        """``"diverged"``, ``"interrupted"``, ``"stopped"`` (by the stopping rule), or None."""
        if self.diverged_at is not None:
            return "diverged"
        if self.interrupted_at is not None:
            return "interrupted"
        return "stopped" if self.stopped_early else None


@dataclass(frozen=True)
class ParamPath:
    """The two parameters a loss surface was recorded over, and their axis labels."""

    names: tuple
    labels: tuple


@dataclass(frozen=True)
class TraceMeta:
    """Everything a trace carries besides its arrays."""

    title: str = ""
    scene: Optional[str] = None
    xlabel: str = "x"
    ylabel: str = "y"
    loss_name: str = "loss"
    step_name: str = "iteration"
    truth_label: str = "true function"
    class_names: tuple = ("class 0", "class 1")
    equation: Optional[Equation] = None
    settings: Optional[RunSettings] = None
    pace: Optional[float] = None  # the scene's frames per second
    stop_below: Optional[float] = None
    ending: Ending = field(default_factory=Ending)
    path: Optional[ParamPath] = None

    def replace(self, **changes) -> "TraceMeta":
        """A copy with ``changes`` (field names of this class)."""
        return dataclasses.replace(self, **changes)

    # ---- from and to JSON (a trace file's meta, format version 1) ---------------------------------
    def to_json(self) -> dict:
        """The flat JSON object of a version-1 trace file."""
        data = {name: getattr(self, name) for name in WORDS}
        data["class_names"] = list(self.class_names)
        data["equation"] = _equation_json(self.equation)
        data["settings"] = dataclasses.asdict(self.settings) if self.settings else None
        data["fps"] = self.pace
        data["stop_below"] = self.stop_below
        data.update(dataclasses.asdict(self.ending))
        if self.path is not None:
            data["path_params"], data["path_labels"] = list(self.path.names), list(self.path.labels)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "TraceMeta":
        """Read a trace file's meta; keys this version does not know are ignored.

        A file is untrusted input: a value of the wrong type raises :class:`AnimateError` naming the key,
        the value and what would be valid, so nothing of the wrong type reaches the drawing.
        """
        if not isinstance(data, Mapping):
            raise AnimateError(f"the meta must be a JSON object, not {_json_type(data)}")
        words = {name: _text(data, name) for name in WORDS if name != "class_names" and data.get(name) is not None}
        if data.get("class_names") is not None:
            words["class_names"] = _texts(data, "class_names", 2, 9)
        return cls(
            **words,
            equation=equation_from(data.get("equation")),
            settings=_settings(data.get("settings")),
            pace=_number(data, "fps", positive=True),
            stop_below=_number(data, "stop_below"),
            ending=Ending(_flag(data, "stopped_early"), _whole(data, "diverged_at"), _whole(data, "interrupted_at")),
            path=_param_path(data),
        )

    @classmethod
    def from_words(cls, given: Mapping[str, Any]) -> "TraceMeta":
        """Meta from words given in code (``title=``, ``xlabel=``, ``equation=``, ...): see :meth:`with_words`."""
        return cls().with_words(given)

    def with_words(self, given: Mapping[str, Any]) -> "TraceMeta":
        """A copy with ``given`` words (this class's field names); an unknown name is an error."""
        valid = sorted(f.name for f in dataclasses.fields(self))
        for name in given:
            if name not in valid:
                close = difflib.get_close_matches(name, valid, n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                raise AnimateError(f"unknown trace meta {name!r}: {hint}valid names are {', '.join(valid)}")
        words = dict(given)
        if "equation" in words:
            words["equation"] = equation_from(words["equation"])
        if "class_names" in words:
            words["class_names"] = tuple(words["class_names"])
        return dataclasses.replace(self, **words)


# The plain words of the meta, written under their own names.
WORDS = ("title", "scene", "xlabel", "ylabel", "loss_name", "step_name", "truth_label", "class_names")


def as_meta(meta: Union[TraceMeta, Mapping[str, Any], None]) -> TraceMeta:
    """``meta`` as a :class:`TraceMeta` (a mapping is read as words given in code)."""
    if isinstance(meta, TraceMeta):
        return meta
    return TraceMeta.from_words(meta or {})


def equation_from(spec) -> Optional[Equation]:
    """An equation from itself, or from its JSON form (``{"kind": "linear", ...}``)."""
    if spec is None or isinstance(spec, (LinearEquation, PolynomialEquation)):
        return spec
    if not isinstance(spec, Mapping) or spec.get("kind") not in EQUATIONS:
        raise AnimateError(f"equation {_shown(spec)} is not valid: give a LinearEquation or PolynomialEquation "
                           "(or a dict with kind 'linear' or 'polynomial')")
    fields = {key: value for key, value in spec.items() if key != "kind"}
    kind = EQUATIONS[spec["kind"]]
    known = {field.name for field in dataclasses.fields(kind)}
    for name, value in fields.items():
        if name in known and not _fits(name, value):
            raise AnimateError(f"equation {name} {_shown(value)} is not valid: {_EQUATION_FIELDS[name][1]}")
    if fields.get("target") is not None:
        fields["target"] = tuple(float(v) for v in fields["target"])
    try:
        return kind(**fields)
    except TypeError as error:
        raise AnimateError(f"equation {_shown(dict(spec))} is not valid: {error}") from None


# What each equation field may hold (a check, and the words that say so), for equations read from JSON.
_EQUATION_FIELDS = {
    "slope": (lambda v: isinstance(v, str), "name a parameter"),
    "intercept": (lambda v: isinstance(v, str), "name a parameter"),
    "weights": (lambda v: isinstance(v, str), "name a parameter"),
    "bias": (lambda v: isinstance(v, str), "name a parameter"),
    "lhs": (lambda v: isinstance(v, str), "use text"),
    "slope_label": (lambda v: v is None or isinstance(v, str), "use text"),
    "intercept_label": (lambda v: v is None or isinstance(v, str), "use text"),
    # The target is written as "y = w1·x + … + bias": at least one weight and the bias.
    "target": (lambda v: v is None or _is_target(v),
               "give a list of at least two finite numbers (the true weights, then the bias)"),
}


def _is_target(value) -> bool:
    """A list (or tuple, or array) of at least two finite numbers."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__"):
        return False
    return len(value) >= 2 and all(_is_number(v) for v in value)


def _fits(name: str, value) -> bool:
    check = _EQUATION_FIELDS.get(name)
    return check is None or check[0](value)


# ---- reading values from JSON: each one of the right type, or one line saying what is wrong -------------
def _shown(value, limit: int = 60) -> str:
    """``repr(value)``, cut short: a file may hold text of any length, and an error is one line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_type(value) -> str:
    """The JSON word for the type of a parsed value (``object``, ``array``, ``text``, ...)."""
    words = {dict: "an object", list: "an array", str: "text", bool: "true/false", int: "a number",
             float: "a number", type(None): "null"}
    return words.get(type(value), type(value).__name__)


def _is_number(value) -> bool:
    """A finite int or float (NumPy's too, for equations given in code), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _text(data: Mapping, key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise AnimateError(f"{key} {_shown(value)} is not valid: use text")
    return value


def _texts(data: Mapping, key: str, low: int, high: int) -> tuple:
    value = data[key]
    if not (isinstance(value, list) and low <= len(value) <= high and all(isinstance(v, str) for v in value)):
        count = f"{low}" if low == high else f"{low} to {high}"
        raise AnimateError(f"{key} {_shown(value)} is not valid: give a list of {count} texts")
    return tuple(value)


def _number(data: Mapping, key: str, positive: bool = False) -> Optional[float]:
    value = data.get(key)
    if value is None:
        return None
    if not _is_number(value) or (positive and value <= 0):
        raise AnimateError(f"{key} {_shown(value)} is not valid: use a finite number{' above 0' if positive else ''}"
                           " or null")
    return float(value)


def _whole(data: Mapping, key: str, required: bool = False, within: str = "") -> Optional[int]:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise AnimateError(f"{within}{key} {_shown(value)} is not valid: use a whole number"
                           f"{'' if required else ' or null'}")
    return value


def _flag(data: Mapping, key: str) -> bool:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise AnimateError(f"{key} {_shown(value)} is not valid: use true or false")
    return bool(value)


def _settings(data) -> Optional[RunSettings]:
    """The run's settings from JSON; keys this version does not know are ignored, as in the meta itself."""
    if data is None or data == {}:  # files have always written null; an empty object meant the same
        return None
    if not isinstance(data, Mapping):
        raise AnimateError(f"settings {_shown(data)} is not valid: give an object with seed, lr and steps")
    lr = data.get("lr")
    if not _is_number(lr):
        raise AnimateError(f"settings lr {_shown(lr)} is not valid: use a finite number")
    optimizer = data.get("optimizer")
    if optimizer is not None and not isinstance(optimizer, str):
        raise AnimateError(f"settings optimizer {_shown(optimizer)} is not valid: use text or null")
    return RunSettings(seed=_whole(data, "seed", True, "settings "), lr=float(lr),
                       steps=_whole(data, "steps", True, "settings "), every=_whole(data, "every", within="settings "),
                       frames=_whole(data, "frames", within="settings "), optimizer=optimizer)


def _param_path(data: Mapping) -> Optional[ParamPath]:
    """The two parameters of the loss surface (``path_params``) and their labels (``path_labels``, else the names)."""
    if not data.get("path_params"):
        return None
    names = _texts(data, "path_params", 2, 2)
    labels = _texts(data, "path_labels", 2, 2) if data.get("path_labels") else names
    return ParamPath(names, labels)


def _equation_json(equation: Optional[Equation]) -> Optional[dict]:
    if equation is None:
        return None
    data = {"kind": equation.kind}
    data.update({name: value for name, value in dataclasses.asdict(equation).items() if value is not None})
    if "target" in data:
        data["target"] = list(data["target"])
    return data
