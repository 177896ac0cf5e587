"""How numbers, equations and steps are written on a frame."""

from __future__ import annotations

import math
from typing import Mapping, Optional

import numpy as np

MINUS = "\u2212"  # a real minus sign, as wide as the plus


def format_number(value: float, decimals: int = 2) -> str:
    """``2.94``, ``−0.59``: fixed decimals with a typographic minus."""
    text = f"{value:.{decimals}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "−0.00"
    return text.replace("-", MINUS)


def format_loss(value: float) -> str:
    """Four or so significant digits, whatever the scale: ``41.23``, ``0.9775``, ``0.00857``."""
    if not math.isfinite(value):
        return "nan" if math.isnan(value) else ("∞" if value > 0 else MINUS + "∞")
    size = abs(value)
    if size >= 1000:
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


def format_equation(spec: Optional[Mapping], params: Mapping[str, np.ndarray]) -> Optional[str]:
    """Write the fitted function from the parameters as the scene's ``equation`` spec says.

    ``{"kind": "linear", "slope": NAME, "intercept": NAME, "lhs": "ŷ"}`` gives ``ŷ = 2.94x + 10.31``.
    """
    if not spec or spec.get("kind") != "linear":
        return None
    slope = float(np.ravel(params[spec["slope"]])[0])
    intercept = float(np.ravel(params[spec["intercept"]])[0])
    return f"{spec.get('lhs', 'ŷ')} = {format_number(slope)}x{_signed_term(intercept)}"


def format_progress(step: int, last_step: int) -> str:
    """``iteration 1,250 of 10,000``."""
    return f"iteration {step:,} of {last_step:,}"
