"""Settings declared once: the name, type, default, valid values, help and how each is written down.

A settings class is a frozen dataclass whose fields are made with :func:`setting`. From that one
declaration come the checks (:func:`check`, run when an instance is made), the command-line options
(the CLI builds its click options from :func:`declared`), the words of the command that remakes an
output (:func:`command_words`) and the JSON of its provenance (:func:`settings_json`). Adding an
option is one ``setting(...)`` line plus the code that uses it.

    >>> @dataclass(frozen=True)
    ... class Looks:
    ...     trail: int = setting(0, "--trail", "Earlier fits that fade out.", kind="int", low=0, high=20)
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import Any, Optional

from .errors import AnimateError

KINDS = ("int", "float", "choice", "switch", "size", "text", "bytes")


@dataclass(frozen=True)
class Declared:
    """How one setting is offered to users and written down.

    ``written`` says when the remaking command spells the setting out: ``"always"`` (so the command
    does not depend on defaults that may change), ``"changed"`` (only when not the default), or
    ``"never"`` (a convenience folded into other settings, such as ``--scale``). ``off_flag`` is the
    flag of a switch that is on by default (``--no-loss-panel``). ``default_words`` is the default as
    ``--help`` says it when the value comes from elsewhere ("the scene's").
    """

    flag: str
    help: str
    kind: str
    choices: tuple = ()
    low: Optional[float] = None
    high: Optional[float] = None
    low_open: bool = False  # the low end itself is not valid (a learning rate above 0)
    written: str = "always"
    off_flag: Optional[str] = None
    default_words: Optional[str] = None
    metavar: Optional[str] = None
    multiple: bool = False  # given several times; the value is a tuple
    unit: str = ""  # the words after a number in an error ("earlier fits", "seconds")

    @property
    def flags(self) -> list:
        """The flags a command line takes for this setting (a switch that is on by default: its off flag)."""
        return [self.off_flag] if self.off_flag else [self.flag]


DECLARED = "animate.declared"


def setting(default, flag: str, help: str, kind: str, **details) -> Any:
    """A dataclass field declared for users; ``details`` are :class:`Declared`'s other fields."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {KINDS}")
    declared = Declared(flag=flag, help=help, kind=kind, **details)
    if isinstance(default, (list, dict, set)):
        raise ValueError("use a tuple for a setting's default")
    return dataclasses.field(default=default, metadata={DECLARED: declared})


def declared(cls_or_instance) -> list:
    """``(field, Declared)`` for each declared field, in declaration order."""
    return [(f, f.metadata[DECLARED]) for f in dataclasses.fields(cls_or_instance) if DECLARED in f.metadata]


def describe_name(field_name: str) -> str:
    """``loss_panel`` → ``loss panel``: how a setting is named in an error."""
    return field_name.replace("_", " ")


def settle(instance) -> None:
    """Give each declared number one type however it was given (``8``, ``8.0`` and ``np.int64(8)`` must
    describe the same file), then :func:`check` them. For ``__post_init__`` of a frozen dataclass."""
    for field, declared_ in declared(instance):
        value = getattr(instance, field.name)
        values = value if declared_.multiple and isinstance(value, (tuple, list)) else (value,)
        settled = tuple(_settled(declared_.kind, one) for one in values)
        object.__setattr__(instance, field.name, settled if declared_.multiple and isinstance(value, (tuple, list))
                           else settled[0])
    check(instance)


def _settled(kind: str, value):
    if isinstance(value, bool) or value is None:
        return value
    if kind in ("int", "bytes") and isinstance(value, numbers.Integral):
        return int(value)
    if kind == "int" and isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    if kind == "float" and isinstance(value, numbers.Real):
        return float(value) + 0.0  # + 0.0 turns -0.0 into 0.0, which is how it reads back
    return value


def check_value(cls, name: str, value) -> None:
    """Check one value against the declaration of ``cls``'s field ``name`` (for settings made elsewhere)."""
    for field, declared_ in declared(cls):
        if field.name == name:
            _check_one(name, declared_, _settled(declared_.kind, value))
            return
    raise KeyError(name)


def check(instance) -> None:
    """Raise :class:`AnimateError` for the first declared field whose value is not valid.

    ``None`` is valid where the default is ``None`` (it means "the default that applies here").
    """
    for field, declared_ in declared(instance):
        value = getattr(instance, field.name)
        values = value if declared_.multiple else (value,)
        if declared_.multiple and not isinstance(value, tuple):
            raise AnimateError(f"{describe_name(field.name)} {value!r} is not valid: give a tuple of values")
        for one in values:
            if one is None and field.default is None and not declared_.multiple:
                continue
            _check_one(field.name, declared_, one)


def _check_one(name: str, declared_: Declared, value) -> None:
    words = describe_name(name)
    kind = declared_.kind
    if kind == "switch":
        if not isinstance(value, bool):
            raise AnimateError(f"{words} {value!r} is not valid: use True or False")
        return
    if kind == "text":
        if not isinstance(value, str):
            raise AnimateError(f"{words} {value!r} is not valid: use text")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise AnimateError(f"{words} {ascii(value)} is not valid UTF-8 text") from None
        if "\x00" in value:
            raise AnimateError(f"{words} {value!r} holds a NUL character, which no command line can carry")
        return
    if kind == "choice":
        if value not in declared_.choices:
            raise AnimateError(f"unknown {words} {value!r}: valid {words}s are {', '.join(declared_.choices)}")
        return
    if kind == "size":
        if not (isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value)):
            raise AnimateError(f"{words} {value!r} is not valid: give (width, height) in pixels")
        return
    number_ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bytes":
        if not (isinstance(value, int) and not isinstance(value, bool)) or not _in_range(declared_, value):
            raise AnimateError(f"{words} {value!r} is not valid: use {range_words(declared_)}, such as 500KB or 2MB")
        return
    if kind == "int":
        number_ok = number_ok and float(value).is_integer()
    if not number_ok or not math.isfinite(value) or not _in_range(declared_, value):
        raise AnimateError(f"{words} {value!r} is {'out of range' if number_ok else 'not valid'}: "
                           f"use {range_words(declared_)}")


def _in_range(declared_: Declared, value) -> bool:
    low, high = declared_.low, declared_.high
    if low is not None and (value < low or (declared_.low_open and value == low)):
        return False
    return high is None or value <= high


def range_words(declared_: Declared) -> str:
    """``0 to 20 earlier fits``, ``a number above 0``, ``2 or more``: what a number may be."""
    low, high, unit = declared_.low, declared_.high, f" {declared_.unit}" if declared_.unit else ""
    if low is not None and declared_.low_open:
        text = f"a number above {number_word(low)}" + (f" and at most {number_word(high)}" if high is not None else "")
        return text + unit
    if low is not None and high is not None:
        return f"{number_word(low)} to {number_word(high)}{unit}"
    if low is not None:
        return f"{number_word(low)} or more{unit}"
    return f"at most {number_word(high)}{unit}" if high is not None else f"a number{unit}"


def number_word(value) -> str:
    """A number as a command line takes it back exactly: ``8``, ``0.0123456789``, ``1e-05``."""
    if isinstance(value, bool):
        raise TypeError("a switch is not a number")
    if isinstance(value, int):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def value_word(declared_: Declared, value) -> str:
    """One setting's value as a command-line word."""
    if declared_.kind == "size":
        return f"{value[0]}x{value[1]}"
    if declared_.kind in ("int", "float", "bytes"):
        return number_word(value)
    return str(value)


def command_words(instance, only: Optional[tuple] = None) -> list:
    """The command-line words that give ``instance``'s settings (those named in ``only``, if given)."""
    words = []
    for field, declared_ in declared(instance):
        if only is not None and field.name not in only:
            continue
        value = getattr(instance, field.name)
        if declared_.written == "never" or value is None or value == ():
            continue
        if declared_.written == "changed" and value == field.default:
            continue
        if declared_.kind == "switch":
            if declared_.off_flag:
                words += [] if value else [declared_.off_flag]
            else:
                words += [declared_.flag] if value else []
            continue
        for one in (value if declared_.multiple else (value,)):
            words += [declared_.flag, value_word(declared_, one)]
    return words


def settings_json(instance) -> dict:
    """Every declared setting as plain JSON-able values (sizes as lists), for provenance."""
    data = {}
    for field, declared_ in declared(instance):
        if declared_.written == "never":
            continue
        value = getattr(instance, field.name)
        data[field.name] = list(value) if isinstance(value, tuple) else value
    return data
