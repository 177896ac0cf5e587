"""Every user setting, declared once: how a run trains, how frames look and play, which files go with them.

The command line, the checks, ``--help`` and the provenance (the command that remakes a file) are
all made from these declarations (see :mod:`animate.declare`). Defaults live here and nowhere else;
``None`` means "what the thing being drawn asks for" (a scene's own learning rate or pace), resolved
by :meth:`RenderOptions.resolved` and :meth:`TrainOptions.resolved`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Optional

from .declare import check, setting
from .errors import AnimateError
from .meta import RunSettings
from .optimizers import OPTIMIZERS
from .themes import THEMES

DEFAULT_SIZE = (640, 480)
DEFAULT_FPS = 20.0
DEFAULT_FRAMES = 200
MIN_SIDE, MAX_SIDE = 64, 4096
MIN_INCHES = (2.4, 2.0)  # below this (size / dpi), the text leaves no room for the plot
MAX_TRAIL = 20
MAX_SCALE = 4
MIN_DPI, MAX_DPI = 20, 600
MAX_FPS = 60.0
MAX_STEPS = 10_000_000


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``"640x480"`` into ``(640, 480)``; raise :class:`AnimateError` naming the bad value."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", str(text))
    if not match:
        raise AnimateError(f"size {text!r} is not WIDTHxHEIGHT in pixels, e.g. 640x480")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class RenderOptions:
    """How frames look and play: frame rate, pixel size, dots per inch, theme, panels, trails, title.

    Width and height must be even because H.264 in yuv420p (what browsers play) needs it, and one size
    rule for every format keeps a GIF and an MP4 of the same trace pixel-identical in layout.
    ``workers`` (processes drawing frames; None: one per core for long animations) changes how fast
    frames are made, never what they look like, so it is no user setting.
    """

    fps: Optional[float] = setting(
        None, "--fps", "Frames per second (at most 50 for GIF).", "float", low=0, high=MAX_FPS, low_open=True,
        default_words="the scene's pace")
    size: Optional[tuple] = setting(
        None, "--size", "Frame size in pixels, WxH (even numbers).", "size", metavar="WxH",
        default_words="640x480; 1280x720 for compare")
    dpi: int = setting(
        100, "--dpi", "Dots per inch: larger makes text and lines bigger at the same pixel size.", "int",
        low=MIN_DPI, high=MAX_DPI)
    theme: str = setting(
        "light", "--theme", "Colours (both colour-blind-safe).", "choice", choices=tuple(THEMES))
    loss_panel: bool = setting(
        True, "--loss-panel", "Leave out the loss curve beside the plot.", "switch", off_flag="--no-loss-panel",
        written="changed")
    trail: int = setting(
        0, "--trail", "Show the K previous fits fading out behind the current one.", "int", low=0, high=MAX_TRAIL,
        written="changed", unit="earlier fits", metavar="K")
    param_path: bool = setting(
        False, "--param-path", "Two-parameter scenes: add the loss surface and the optimiser's path over it.",
        "switch", written="changed")
    title: Optional[str] = setting(
        None, "--title", "The title at the top of every frame.", "text", written="changed",
        default_words="the scene's title", metavar="TEXT")
    hold_last: float = setting(
        1.5, "--hold-last", "Seconds the last frame stays before the animation loops.", "float", low=0, high=60,
        written="changed", unit="seconds", metavar="SECONDS")
    scale: float = setting(
        1.0, "--scale", "More pixels, same layout (2 for sharp frames on high-DPI screens).", "float",
        low=1, high=MAX_SCALE, written="never", metavar="N")
    workers: Optional[int] = None

    def __post_init__(self) -> None:
        # One type for each setting, however it was given (8 and 8.0 must describe the same file).
        for name in ("fps", "hold_last", "scale"):
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, name, float(value))
        if isinstance(self.size, (list, tuple)) and len(self.size) == 2:
            object.__setattr__(self, "size", tuple(int(side) if isinstance(side, (int, float)) and
                                                   float(side).is_integer() else side for side in self.size))
        check(self)
        if self.size is not None:
            width, height = self.size
            for side in (width, height):
                if not (MIN_SIDE <= side <= MAX_SIDE) or side % 2:
                    raise AnimateError(f"size {width}x{height} is not valid: width and height must be even "
                                       f"numbers from {MIN_SIDE} to {MAX_SIDE}")
            if width < MIN_INCHES[0] * self.dpi or height < MIN_INCHES[1] * self.dpi:
                least = [math.ceil(inches * self.dpi / 2) * 2 for inches in MIN_INCHES]
                raise AnimateError(
                    f"size {width}x{height} is too small for dpi {self.dpi}: the text would leave no room for "
                    f"the plot; use at least {least[0]}x{least[1]} at this dpi, or a lower dpi")
        if self.workers is not None and not (isinstance(self.workers, int) and 1 <= self.workers <= 64):
            raise AnimateError(f"workers {self.workers!r} is not valid: use 1 to 64, or None for one per core")

    def resolved(self, pace: Optional[float] = None, size: Optional[tuple] = None) -> "RenderOptions":
        """These options with nothing left to choose: the frame rate (``pace``, else 20 fps) and size
        (``size``, else 640×480) filled in where not given, and the scale folded into size and dpi."""
        options = replace(self, fps=self.fps if self.fps is not None else (pace or DEFAULT_FPS),
                          size=self.size if self.size is not None else (size or DEFAULT_SIZE))
        if options.scale == 1:
            return options
        width, height = (2 * round(side * options.scale / 2) for side in options.size)  # kept even
        return replace(options, size=(width, height), dpi=round(options.dpi * options.scale), scale=1.0)

    def scaled(self, factor: float) -> "RenderOptions":
        """The same layout with ``factor`` times the pixels: sharper frames for high-DPI screens."""
        return replace(self, scale=float(factor)).resolved()

    @property
    def figsize(self) -> tuple[float, float]:
        """The figure size in inches that gives exactly ``size`` pixels at ``dpi``."""
        width, height = self.size or DEFAULT_SIZE
        return width / self.dpi, height / self.dpi


@dataclass(frozen=True)
class TrainOptions:
    """How a scene is trained; ``None`` means the scene's own (its blog's) value."""

    seed: int = setting(
        0, "--seed", "torch.manual_seed before the data is drawn (before each run, when comparing).", "int",
        low=-(2**63), high=2**64 - 1)
    lr: Optional[float] = setting(
        None, "--lr", "Learning rate.", "float", low=0, low_open=True, default_words="the blog's")
    steps: Optional[int] = setting(
        None, "--steps", "Most training steps.", "int", low=1, high=MAX_STEPS, default_words="the blog's")
    every: Optional[int] = setting(
        None, "--every", "A frame every N steps, instead of frames placed where the fit changes.", "int", low=1,
        metavar="N")
    frames: Optional[int] = setting(
        None, "--frames", "About K frames, placed where the fit changes.", "int", low=2, metavar="K",
        default_words=f"{DEFAULT_FRAMES}")
    optimizer: Optional[str] = setting(
        None, "--optimizer", "An optimiser instead of the scene's own update.", "choice",
        choices=tuple(OPTIMIZERS), default_words="the scene's own")

    def __post_init__(self) -> None:
        if isinstance(self.lr, int) and not isinstance(self.lr, bool):
            object.__setattr__(self, "lr", float(self.lr))
        check(self)
        if self.every is not None and self.frames is not None:
            raise AnimateError(f"every {self.every} and frames {self.frames} choose frames in two ways: give one")

    def resolved(self, defaults) -> RunSettings:
        """The settings a run of a scene with these ``defaults`` (a scene's ``Defaults``) uses."""
        every, frames = self.every, self.frames
        if every is None and frames is None:
            every, frames = defaults.every, (None if defaults.every else defaults.frames)
        return RunSettings(seed=self.seed, lr=self.lr if self.lr is not None else float(defaults.lr),
                           steps=self.steps if self.steps is not None else int(defaults.steps),
                           every=every, frames=frames, optimizer=self.optimizer)


MAX_RUNS = 6


@dataclass(frozen=True)
class Variants:
    """The runs a comparison trains: every pair of the learning rates and optimisers given."""

    lrs: tuple = setting(
        (), "--lr", "A learning rate to run (give several).", "float", low=0, low_open=True, multiple=True)
    optimizers: tuple = setting(
        (), "--optimizer", "An optimiser to run instead of the scene's own (give several).", "choice",
        choices=tuple(OPTIMIZERS), multiple=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lrs", tuple(float(lr) if isinstance(lr, int) else lr for lr in self.lrs))
        object.__setattr__(self, "optimizers", tuple(self.optimizers))
        check(self)
        count = max(len(self.lrs), 1) * max(len(self.optimizers), 1)
        if count < 2:
            raise AnimateError("compare needs two or more runs: give --lr twice or more, or --optimizer twice or more")
        if count > MAX_RUNS:
            raise AnimateError(f"compare shows at most {MAX_RUNS} runs side by side; {count} were asked for")

    def runs(self) -> list:
        """Every (lr, optimizer) pair; ``None`` means the scene's own."""
        return [(lr, optimizer) for lr in (self.lrs or (None,)) for optimizer in (self.optimizers or (None,))]


@dataclass(frozen=True)
class Extras:
    """Files written around the animation, from the same frames."""

    poster: bool = setting(False, "--poster", "Also write the last frame as NAME.png (a page's preview).",
                           "switch", written="never")
    sheet: bool = setting(False, "--sheet", "Also write key frames side by side as NAME-frames.png.",
                          "switch", written="never")
    alt_text: bool = setting(False, "--alt-text", "Also write a description of what happens as NAME.alt.txt.",
                             "switch", written="never")
    snippet: bool = setting(False, "--snippet",
                            "Also write NAME.html, a <video> with poster and GIF fallback (and the MP4/GIF it needs).",
                            "switch", written="never")
    extras: bool = setting(False, "--extras", "All of the above.", "switch", written="never")

    def __post_init__(self) -> None:
        check(self)

    def wanted(self) -> dict:
        """Which files are asked for: ``{"poster": bool, "sheet": ..., "alt_text": ..., "snippet": ...}``."""
        return {"poster": self.poster or self.extras, "sheet": self.sheet or self.extras,
                "alt_text": self.alt_text or self.extras, "snippet": self.snippet or self.extras}
