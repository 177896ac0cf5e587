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
        """Read a trace file's meta; keys this version does not know are ignored."""
        if not isinstance(data, Mapping):
            raise AnimateError(f"trace meta must be a JSON object, not {type(data).__name__}")
        try:
            words = {name: data[name] for name in WORDS if data.get(name) is not None}
            if "class_names" in words:
                words["class_names"] = tuple(words["class_names"])
            settings = data.get("settings")
            path = (ParamPath(tuple(data["path_params"]), tuple(data.get("path_labels") or data["path_params"]))
                    if data.get("path_params") else None)
            return cls(
                **words,
                equation=equation_from(data.get("equation")),
                settings=RunSettings(**settings) if settings else None,
                pace=float(data["fps"]) if data.get("fps") is not None else None,
                stop_below=data.get("stop_below"),
                ending=Ending(bool(data.get("stopped_early")), data.get("diverged_at"), data.get("interrupted_at")),
                path=path,
            )
        except (TypeError, ValueError, KeyError) as error:
            raise AnimateError(f"trace meta is damaged: {error}") from None

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
        raise AnimateError(f"equation {spec!r} is not valid: give a LinearEquation or PolynomialEquation "
                           "(or a dict with kind 'linear' or 'polynomial')")
    fields = {key: value for key, value in spec.items() if key != "kind"}
    if "target" in fields and fields["target"] is not None:
        fields["target"] = tuple(float(v) for v in fields["target"])
    try:
        return EQUATIONS[spec["kind"]](**fields)
    except TypeError as error:
        raise AnimateError(f"equation {dict(spec)!r} is not valid: {error}") from None


def _equation_json(equation: Optional[Equation]) -> Optional[dict]:
    if equation is None:
        return None
    data = {"kind": equation.kind}
    data.update({name: value for name, value in dataclasses.asdict(equation).items() if value is not None})
    if "target" in data:
        data["target"] = list(data["target"])
    return data
