"""How numbers, equations and steps are written on a frame."""

from __future__ import annotations

import math
from typing import Mapping, Optional

import numpy as np

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


def equation_lines(spec: Optional[Mapping], params: Mapping[str, np.ndarray]) -> list[str]:
    """The fitted function written from the parameters, as the scene's ``equation`` spec says.

    ``{"kind": "linear", "slope": NAME, "intercept": NAME, "lhs": "ŷ"}`` gives ``["ŷ = 2.94x + 10.31"]``;
    ``{"kind": "polynomial", "weights": NAME, "bias": NAME, "target": [w1, w2, w3, b]}`` gives the
    fitted polynomial and, below it, the target with the same layout.
    """
    if not spec:
        return []
    if spec.get("kind") == "linear":
        slope = float(np.ravel(params[spec["slope"]])[0])
        intercept = float(np.ravel(params[spec["intercept"]])[0])
        return [f"{spec.get('lhs', 'ŷ')} = {format_number(slope)}x{_signed_term(intercept)}"]
    if spec.get("kind") == "polynomial":
        weights = [float(w) for w in np.ravel(params[spec["weights"]])]
        lines = [_polynomial("ŷ", weights, float(np.ravel(params[spec["bias"]])[0]))]
        if spec.get("target"):
            *target_weights, target_bias = spec["target"]
            lines.append(_polynomial("y", target_weights, target_bias) + "  target")
        return lines
    return []


def format_progress(step: int, last_step: int, step_name: str = "iteration") -> str:
    """``iteration 1,250 of 10,000`` (or ``epoch ...``, as the blog counts)."""
    return f"{step_name} {step:,} of {last_step:,}"


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


def ending_kind(meta: Mapping) -> Optional[str]:
    """``"diverged"``, ``"interrupted"``, ``"stopped"`` (by the stopping rule), or None: a run's meta says."""
    if meta.get("diverged_at") is not None:
        return "diverged"
    if meta.get("interrupted_at") is not None:
        return "interrupted"
    return "stopped" if meta.get("stopped_early") else None


def ending_text(meta: Mapping, style: str, last_step: int = 0) -> str:
    """How the run ended, worded for ``style`` (a key of ``ENDINGS``' entries); ``""`` if it ran out."""
    kind = ending_kind(meta)
    if kind is None:
        return ""
    step = meta.get("diverged_at") if kind == "diverged" else meta.get("interrupted_at") if kind == "interrupted" \
        else last_step
    return ENDINGS[kind][style].format(name=meta.get("step_name", "iteration"), step=step,
                                       limit=meta.get("stop_below") or 0)
