"""Axis limits fixed from the whole trace, so the frame never jumps."""

from __future__ import annotations

import numpy as np


def padded(low: float, high: float, fraction: float = 0.05) -> tuple[float, float]:
    """``(low, high)`` widened by ``fraction`` of the span on each side (or by 1 if the span is 0)."""
    span = high - low
    pad = span * fraction if span > 0 else 1.0
    return low - pad, high + pad


def value_limits(data: np.ndarray, fitted: np.ndarray, reach: float = 1.0) -> tuple[float, float]:
    """Limits that show all the data and as much of the fitted values as stays near it.

    The fitted values of every snapshot count, but no further than ``reach`` times the data's span
    beyond the data, so one wild early prediction cannot shrink the data to a sliver.
    """
    data = np.asarray(data, dtype=float)
    data = data[np.isfinite(data)]
    low, high = float(data.min()), float(data.max())
    span = max(high - low, 1e-9)
    fitted = np.asarray(fitted, dtype=float)
    fitted = fitted[np.isfinite(fitted)]
    if fitted.size:
        low = max(min(low, float(fitted.min())), low - reach * span)
        high = min(max(high, float(fitted.max())), high + reach * span)
    return padded(low, high)
