"""Words around an animation: alt text that says what happens, and provenance that says how to remake it."""

from __future__ import annotations

import dataclasses
import platform
from importlib import metadata
from typing import Optional

import numpy as np

from .meta import LinearEquation
from .trace import Trace
from .wording import ending_text, equation_lines, format_loss, format_params

VERSIONED = ("animate", "torch", "numpy", "matplotlib", "pillow", "imageio-ffmpeg", "click")


def alt_text(trace: Trace) -> str:
    """One or two sentences for a screen reader: how the loss moved, where the fit ended, how the run ended.

    e.g. ``Linear regression with nn.Linear: the MSE loss falls from 957.31 to 7.1216 over 10,000
    epochs; the line settles at ŷ = 2.80x + 10.94.``
    """
    meta = trace.meta
    first, last = float(trace.loss[0]), float(trace.loss[-1])
    verb = "falls" if last < first else "rises" if last > first else "stays"
    steps = int(trace.steps[-1])
    sentence = (f"{meta.title or 'Training'}: the {meta.loss_name} {verb} from {format_loss(first)} to "
                f"{format_loss(last)} over {steps:,} {meta.step_name}{'s' if steps != 1 else ''}")
    parts = [sentence]
    for scalar, values in trace.scalars.items():
        start, end = float(values[0]), float(values[-1])
        if np.isfinite(start) and np.isfinite(end):
            parts.append(f"{scalar} goes from {format_loss(start)} to {format_loss(end)}")
    equation = equation_lines(meta.equation, trace.final_params())
    if equation:
        what = ("boundary" if trace.painter == "boundary" else
                "line" if isinstance(meta.equation, LinearEquation) else "curve")
        parts.append(f"the {what} settles at {equation[0]}")
    elif trace.painter == "line":
        parts.append("the fitted curve settles onto the data")
    elif trace.painter == "boundary":
        parts.append("the decision boundary settles between the two classes")
    text = "; ".join(parts) + "."
    ending = ending_text(meta, "sentence")
    return f"{text} {ending}" if ending else text


def comparison_alt_text(comparison) -> str:
    """What a side-by-side animation shows: each run's loss from start to end."""
    first = comparison.traces[0].meta
    runs = "; ".join(
        f"{label}: {format_loss(float(trace.loss[0]))} to {format_loss(float(trace.loss[-1]))} by "
        f"{first.step_name} {int(trace.steps[-1]):,}"
        for trace, label in zip(comparison.traces, comparison.labels)
    )
    return (f"{comparison.title}: {len(comparison.traces)} runs side by side, the {first.loss_name} "
            f"going {runs}.")


def result_text(trace: Trace) -> str:
    """``final loss 0.00857 at iteration 25 (stopped: loss < 0.01); w = -0.9511, b = -0.02908``."""
    meta = trace.meta
    ending = ending_text(meta, "summary")
    return (f"final {meta.loss_name} {format_loss(float(trace.loss[-1]))} at {meta.step_name} "
            f"{int(trace.steps[-1]):,}{f' ({ending})' if ending else ''}; {format_params(model_params(trace))}")


def versions() -> dict:
    """The versions of Python and the libraries an output depends on."""
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def provenance(trace: Optional[Trace], render: dict, command: str, scene: Optional[str] = None,
               runs: Optional[list] = None) -> dict:
    """What an output came from: the scene (as it was named), seed, settings, render options, versions
    and the command that remakes it; for a comparison, each run's label and settings.

    Nothing time-dependent goes in, so the same command still writes byte-identical files.
    """
    settings = trace.meta.settings if trace is not None else None
    record = {
        "made_by": "animate",
        "scene": scene or (trace.meta.scene if trace is not None else None),
        "seed": settings.seed if settings else None,
        # A comparison's runs differ in their settings: each run's are under "runs".
        "settings": dataclasses.asdict(settings) if settings and runs is None else None,
        "render": render,
        "versions": versions(),
        "command": command,
    }
    if runs is not None:
        record["runs"] = list(runs)
    return record


def model_params(trace) -> dict:
    """The final parameters of the model itself: not a landscape's path coordinates (``pc1``, ``pc2``)."""
    params = trace.final_params()
    path = trace.meta.path
    if path is not None and tuple(path.names) == ("pc1", "pc2"):
        params = {name: value for name, value in params.items() if name not in ("pc1", "pc2")}
    return params

