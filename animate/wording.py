"""How numbers, equations, steps and endings are written: on a frame, in a summary line, in alt text.

Plain words only (no matplotlib), so that describing a run does not need the drawing layer.
"""

from __future__ import annotations

import math
from typing import Mapping, Optional

import numpy as np

from .meta import Equation, LinearEquation, PolynomialEquation, TraceMeta

MINUS = "\u2212"  # a real minus sign, as wide as the plus


def format_number(value: float, decimals: int = 2) -> str:
    """``2.94``, ``−0.59``: fixed decimals with a typographic minus; ``1.2e+07`` once it is huge."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("∞" if value > 0 else MINUS + "∞")
    text = f"{value:.{decimals}f}" if abs(value) < 1e4 else f"{value:.2g}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "−0.00"
    return text.replace("-", MINUS)


def format_loss(value: float) -> str:
    """Four or so significant digits, whatever the scale: ``41.23``, ``0.9775``, ``0.00857``."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("∞" if value > 0 else MINUS + "∞")
    size = abs(value)
    if size >= 1e6:
        text = f"{value:.3g}"  # a diverging run: 1.23e+30, not thirty digits
    elif size >= 1000:
        text = f"{value:,.0f}"
    elif size >= 10:
        text = f"{value:.2f}"
    elif size >= 0.01 or size == 0:
        text = f"{value:.4f}"
    else:
        text = f"{value:.3g}"
    return text.replace("-", MINUS)


def _signed_term(value: float, suffix: str = "") -> str:
    sign = MINUS if format_number(value).startswith(MINUS) else "+"
    return f" {sign} {format_number(abs(value))}{suffix}"


def _first_term(value: float, suffix: str) -> str:
    # A space where a minus would go, so the columns of stacked equations line up in monospace.
    text = format_number(value)
    return " " + (text if text.startswith(MINUS) else " " + text) + suffix


POWERS = ("x", "x²", "x³", "x⁴", "x⁵")


def _polynomial(lhs: str, weights, bias: float) -> str:
    terms = [_first_term(weights[0], POWERS[0])]
    terms += [_signed_term(w, power) for w, power in zip(weights[1:], POWERS[1:])]
    return f"{lhs} ={''.join(terms)}{_signed_term(bias)}"


def equation_lines(equation: Optional[Equation], params: Mapping[str, np.ndarray]) -> list[str]:
    """The fitted function written from the parameters, as the scene's equation says.

    A :class:`LinearEquation` gives ``["ŷ = 2.94x + 10.31"]``; a :class:`PolynomialEquation` gives the
    fitted polynomial and, below it, its target with the same layout.
    """
    if isinstance(equation, LinearEquation):
        slope, intercept = line_of(equation, params)
        return [f"{equation.lhs} = {format_number(slope)}x{_signed_term(intercept)}"]
    if isinstance(equation, PolynomialEquation):
        weights = [float(w) for w in np.ravel(params[equation.weights])]
        lines = [_polynomial("ŷ", weights, float(np.ravel(params[equation.bias])[0]))]
        if equation.target:
            *target_weights, target_bias = equation.target
            lines.append(_polynomial("y", target_weights, target_bias) + "  target")
        return lines
    return []


def line_of(equation: LinearEquation, params: Mapping[str, np.ndarray]) -> tuple[float, float]:
    """The slope and intercept of a linear equation, read from the parameters."""
    return float(np.ravel(params[equation.slope])[0]), float(np.ravel(params[equation.intercept])[0])


def format_params(params: Mapping[str, np.ndarray]) -> str:
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


def format_progress(step: int, last_step: int, step_name: str = "iteration") -> str:
    """``iteration 1,250 of 10,000`` (or ``epoch ...``, as the blog counts); step 0 is the model before
    its first update, and says so (the animation holds it at the start)."""
    return f"{step_name} {step:,} of {last_step:,}" + (" · before training" if step == 0 else "")


# How a run ended before its last planned step, in the words each place needs: the frame's header,
# the CLI's summary line, a sentence of alt text, and a small multiple's panel.
ENDINGS = {
    "diverged": {
        "frame": "diverged at {name} {step:,}: the loss became ∞ or nan",
        "summary": "diverged at {name} {step:,}: the loss was no longer finite",
        "sentence": "Training diverged at {name} {step:,}, where the loss stopped being finite.",
        "short": "diverged at {step:,}",
    },
    "interrupted": {
        "frame": "interrupted at {name} {step:,}",
        "summary": "interrupted at {name} {step:,}: the frames recorded so far",
        "sentence": "Training was interrupted at {name} {step:,}.",
        "short": "interrupted at {step:,}",
    },
    "stopped": {
        "frame": "stopped: loss < {limit:g}",
        "summary": "stopped: loss < {limit:g}",
        "sentence": "Training stopped once the loss fell below {limit:g}.",
        "short": "stopped at {step:,}: loss < {limit:g}",
    },
}


def ending_text(meta: TraceMeta, style: str, last_step: int = 0) -> str:
    """How the run ended, worded for ``style`` (a key of ``ENDINGS``' entries); ``""`` if it ran out."""
    ending = meta.ending
    kind = ending.kind
    if kind is None:
        return ""
    step = {"diverged": ending.diverged_at, "interrupted": ending.interrupted_at}.get(kind, last_step)
    return ENDINGS[kind][style].format(name=meta.step_name, step=step, limit=meta.stop_below or 0)
