"""Story mode's words and timeline for a drawable: the set-up before training, the events of the run, and
the result at the end, laid over the frames by :mod:`animate.story` (numbers only, no drawing)."""

from __future__ import annotations

from typing import Optional

import numpy as np

from .comparison import Comparison
from .events import find_events
from .meta import LinearEquation
from .optimizers import OPTIMIZERS
from .options import RenderOptions
from .story import Timeline, build, frames_for, moves, resolve_motion
from .wording import equation_lines, format_loss


def setup_words(trace) -> str:
    """What is trained, before training: ``100 points · true line y = 3x + 10 · lr 0.001 · 10,000 epochs``."""
    static, meta = trace.static, trace.meta
    parts = []
    if "points_x" in static:
        count = len(static["points_x"])
        classes = len(np.unique(static["points_label"])) if "points_label" in static else 0
        parts.append(f"{count:,} points" + (f" in {classes} classes" if classes > 1 else ""))
    if "truth_y" in static and meta.truth_label:
        parts.append(meta.truth_label)
    settings = meta.settings
    if settings is not None:
        optimizer = OPTIMIZERS[settings.optimizer].label if settings.optimizer in OPTIMIZERS else None
        parts.append(f"{optimizer + ', ' if optimizer else ''}lr {settings.lr:g}")
        parts.append(f"up to {settings.steps:,} {plural(meta.step_name)}")
    return " · ".join(parts)


def result_words(trace) -> str:
    """The result, on the last frame: the fitted equation (or the loss) after the run, and the best
    possible answer where it is known (least squares, for a straight line fitted to fixed points)."""
    meta, last = trace.meta, len(trace) - 1
    params = {name: values[last] for name, values in trace.params.items()}
    steps = f"{int(trace.steps[last]):,} {plural(meta.step_name)}"
    fitted = equation_lines(meta.equation, params)[:1] if meta.equation is not None and params else []
    if not fitted or trace.painter != "line":
        return f"loss {format_loss(float(trace.loss[last]))} after {steps}"
    words = f"{fitted[0]} after {steps}"
    best = least_squares(trace)
    return f"{words}; least squares: {best}" if best else words


def least_squares(trace) -> Optional[str]:
    """The least-squares line through the data, written as the fit is, for a straight-line scene."""
    equation, static = trace.meta.equation, trace.static
    if not isinstance(equation, LinearEquation) or "points_x" not in static:
        return None
    x, y = np.asarray(static["points_x"], dtype=float), np.asarray(static["points_y"], dtype=float)
    if x.size < 2 or np.ptp(x) == 0:
        return None
    slope, intercept = np.polyfit(x, y, 1)
    return equation_lines(equation, {equation.slope: np.array([slope]), equation.intercept: np.array([intercept])})[0]


def plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


def timeline_for(drawable, options: RenderOptions) -> Timeline:
    """The timeline of ``drawable`` (a trace or a comparison) under resolved ``options``: its motion, its
    events (captioned unless ``options.captions`` is off), and its length (``options.duration``)."""
    fps = options.fps
    pace = (drawable.traces[0] if isinstance(drawable, Comparison) else drawable).meta.pace or fps
    frames = frames_for(options.duration, fps, options.hold_first, options.hold_last) if options.duration else None
    if isinstance(drawable, Comparison):
        segment_moves = clock_moves(drawable)
        motion = resolve_motion(options.motion, segment_moves)
        # Events belong to one run each: the small multiples show every run's ending in its own panel instead.
        return build(segment_moves, motion, fps, frames=frames, pace=pace)
    segment_moves = moves(drawable)
    motion = resolve_motion(options.motion, segment_moves)
    events = find_events(drawable) if options.captions else []
    opening, closing = (setup_words(drawable), result_words(drawable)) if options.captions else ("", "")
    return build(segment_moves, motion, fps, events=events, frames=frames, opening=opening, closing=closing,
                 pace=pace)


def clock_moves(comparison: Comparison) -> np.ndarray:
    """How far the fastest-moving run moves between consecutive ticks of a comparison's clock."""
    ticks = np.arange(len(comparison))
    largest = np.zeros(max(len(ticks) - 1, 0))
    for run, trace in enumerate(comparison.traces):
        along = np.concatenate([[0.0], np.cumsum(moves(trace))])  # the distance travelled up to each snapshot
        shown = np.array([comparison.index_of(run)(tick) for tick in ticks])
        largest = np.maximum(largest, np.diff(along[shown]))
    return largest
