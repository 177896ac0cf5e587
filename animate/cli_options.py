"""Click options made from the settings' declarations (:mod:`animate.declare`), so each is written once.

    @declared_options(RenderOptions)
    def command(**given): options = settings_from(RenderOptions, given)
"""

from __future__ import annotations

import re
from typing import Optional

import click

from .declare import declared
from .errors import AnimateError
from .options import parse_size


class SizeType(click.ParamType):
    """``WIDTHxHEIGHT`` in pixels."""

    name = "WxH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return parse_size(value)
        except AnimateError as error:
            self.fail(str(error), param, ctx)


class ByteCount(click.ParamType):
    """A size in bytes: ``500000``, ``500KB``, ``1.5MB`` (KB = 1000 bytes, KiB = 1024; ``k``/``M`` alone too)."""

    name = "BYTES"
    UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2,
             "g": 1000**3, "gb": 1000**3, "gib": 1024**3}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match.group(2).lower() if match else None
        if match is None or unit not in self.UNITS:
            self.fail(f"{value!r} is not a size: use bytes or a unit, such as 500KB or 2MB", param, ctx)
        return int(round(float(match.group(1)) * self.UNITS[unit]))


class PositiveFloat(click.ParamType):
    """A finite number above zero, such as a learning rate."""

    name = "FLOAT"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number; use a positive number such as 0.01", param, ctx)
        if not (number > 0 and number != float("inf")):
            self.fail(f"{value!r} is not a positive number; use e.g. 0.01", param, ctx)
        return number


def click_type(declared_):
    """The click parameter type that reads one value of a declared setting."""
    kind = declared_.kind
    if kind == "int":
        return click.IntRange(declared_.low, declared_.high)
    if kind == "float":
        if declared_.low == 0 and declared_.low_open and declared_.high is None:
            return PositiveFloat()
        return click.FloatRange(declared_.low, declared_.high, min_open=declared_.low_open)
    if kind == "choice":
        return click.Choice(list(declared_.choices))
    if kind == "size":
        return SizeType()
    if kind == "bytes":
        return ByteCount()
    return click.STRING


def click_option(field, declared_):
    """The click option for one declared field; its value arrives under the field's name."""
    if declared_.kind == "switch":
        if declared_.off_flag:
            return click.option(declared_.off_flag, field.name, flag_value=False, default=True, help=declared_.help)
        return click.option(declared_.flag, field.name, is_flag=True, default=False, help=declared_.help)
    if declared_.multiple:
        return click.option(declared_.flag, field.name, type=click_type(declared_), multiple=True,
                            help=declared_.help, metavar=declared_.metavar)
    shown = declared_.default_words if field.default is None else True
    return click.option(declared_.flag, field.name, type=click_type(declared_), default=field.default,
                        show_default=shown, help=declared_.help, metavar=declared_.metavar)


def declared_options(cls, only: Optional[tuple] = None):
    """Decorator: add a click option for each declared field of ``cls`` (those named in ``only``, if given)."""
    options = [click_option(field, declared_) for field, declared_ in declared(cls)
               if only is None or field.name in only]

    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def settings_from(cls, given: dict, **fixed):
    """An instance of ``cls`` from the values click gathered (``given``), plus ``fixed`` ones."""
    names = {field.name for field, _ in declared(cls)}
    return cls(**{name: value for name, value in given.items() if name in names}, **fixed)
