"""Words around an animation: alt text that says what happens, and provenance that says how to remake it."""

from __future__ import annotations

import platform
import shlex
from importlib import metadata
from typing import Optional

import numpy as np

from .renderer.text import ending_text, equation_lines, format_loss
from .trace import Trace

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
    name = meta.get("step_name", "iteration")
    sentence = (f"{meta.get('title') or 'Training'}: the {meta.get('loss_name', 'loss')} {verb} from "
                f"{format_loss(first)} to {format_loss(last)} over {steps:,} {name}{'s' if steps != 1 else ''}")
    parts = [sentence]
    for scalar, values in trace.scalars.items():
        start, end = float(values[0]), float(values[-1])
        if np.isfinite(start) and np.isfinite(end):
            parts.append(f"{scalar} goes from {format_loss(start)} to {format_loss(end)}")
    final = {name: values[-1] for name, values in trace.params.items()}
    equation = equation_lines(meta.get("equation"), final)
    if equation:
        what = "boundary" if trace.painter == "boundary" else "line" if meta["equation"].get("kind") == "linear" else "curve"
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
        f"{first.get('step_name', 'iteration')} {int(trace.steps[-1]):,}"
        for trace, label in zip(comparison.traces, comparison.labels)
    )
    return f"{comparison.title}: {len(comparison.traces)} runs side by side, the {first.get('loss_name', 'loss')} " \
           f"going {runs}."


def scene_command(scene: str, settings: dict, render: dict, output: str, compare: Optional[dict] = None) -> str:
    """The ``animate`` command that remakes an output, every setting spelled out (so it does not
    depend on defaults that may change)."""
    words = ["animate", "compare" if compare else "scene", scene, "--seed", str(settings.get("seed", 0))]
    if compare:
        for lr in compare.get("lrs", ()):
            words += ["--lr", f"{lr:g}"]
        for optimizer in compare.get("optimizers", ()):
            words += ["--optimizer", optimizer]
    else:
        words += ["--lr", f"{settings['lr']:g}"]
    if settings.get("steps") is not None:
        words += ["--steps", str(settings["steps"])]
    if settings.get("every"):
        words += ["--every", str(settings["every"])]
    elif settings.get("frames"):
        words += ["--frames", str(settings["frames"])]
    if settings.get("optimizer") and not compare:
        words += ["--optimizer", settings["optimizer"]]
    words += render_words(render) + ["-o", output]
    return shlex.join(words)


def render_settings(options) -> dict:
    """Render options as plain JSON-able values (for provenance and the remaking command)."""
    return {"size": list(options.size), "dpi": options.dpi, "fps": options.fps, "hold_last": options.hold_last,
            "theme": options.theme, "loss_panel": options.loss_panel, "trail": options.trail,
            "param_path": options.param_path}


def render_words(render: dict) -> list:
    """Command-line words for the render settings."""
    width, height = render["size"]
    words = ["--fps", f"{render['fps']:g}", "--size", f"{width}x{height}", "--dpi", str(render["dpi"]),
             "--theme", render["theme"]]
    if not render["loss_panel"]:
        words.append("--no-loss-panel")
    if render["trail"]:
        words += ["--trail", str(render["trail"])]
    if render["param_path"]:
        words.append("--param-path")
    return words


def versions() -> dict:
    """The versions of Python and the libraries an output depends on."""
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def provenance(trace: Optional[Trace], render: dict, command: str, scene: Optional[str] = None) -> dict:
    """What an output came from: the scene, seed, settings, render options, versions and the command.

    Nothing time-dependent goes in, so the same command still writes byte-identical files.
    """
    meta = trace.meta if trace is not None else {}
    return {
        "made_by": "animate",
        "scene": scene or meta.get("scene"),
        "seed": meta.get("settings", {}).get("seed"),
        "settings": meta.get("settings"),
        "render": render,
        "versions": versions(),
        "command": command,
    }
