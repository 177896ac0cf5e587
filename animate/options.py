"""Every user setting, declared once: how a run trains, how frames look and play, which files go with them.

The command line, the checks, ``--help`` and the provenance (the command that remakes a file) are
all made from these declarations (see :mod:`animate.declare`). Defaults live here and nowhere else;
``None`` means "what the thing being drawn asks for" (a scene's own learning rate or pace), resolved
by :meth:`RenderOptions.resolved` and :meth:`TrainOptions.resolved`.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, replace
from typing import Optional

from .declare import settle, setting
from .errors import AnimateError
from .meta import RunSettings
from .optimizers import OPTIMIZERS
from .story import MOTIONS
from .themes import THEMES

DEFAULT_SIZE = (640, 480)
COMPARE_SIZE = (1280, 720)  # small multiples need room: the default size of a comparison
DEFAULT_FPS = 20.0
DEFAULT_FRAMES = 200
MIN_SIDE, MAX_SIDE = 64, 4096
MIN_INCHES = (2.4, 2.0)  # below this (size / dpi), the text leaves no room for the plot
# Below this (size / dpi) the picture is compact: one plot, its readouts and legend above or beside it,
# no side panels or colour bar, smaller type.
COMPACT_INCHES = (4.8, 3.6)
MAX_TRAIL = 20
MAX_SCALE = 4
MIN_DPI, MAX_DPI = 20, 600
MAX_FPS = 60.0
MIN_FPS = 0.01  # a frame every 100 s: slower is no animation, and GIF delays stop at 655 s
MAX_STEPS = 10_000_000
# More frames than anyone can watch (8 minutes at 20 fps) only cost memory while training.
MAX_FRAMES = 10_000
SMOOTH_FPS = 20.0  # the least frame rate of smooth motion: a slower scene's pace is kept as time per state
MAX_DURATION = 600.0  # seconds: ten minutes is a lecture, not an animation


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``"640x480"`` into ``(640, 480)``; raise :class:`AnimateError` naming the bad value."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", str(text))
    if not match:
        raise AnimateError(f"size {text!r} is not WIDTHxHEIGHT in pixels, e.g. 640x480")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class Venue:
    """Where an animation is seen: the size it is laid out at (pixels as seen) and how many pixels each
    of those gets (``scale``: 2 keeps it sharp on the high-density screens most readers have)."""

    size: tuple
    scale: float


# Laid out at the size it is seen at, so the words are 11 pixels or more there; the README shows its
# GIFs 320 px wide, a blog column is about 680 px, a phone about 360 px (a square fits it best), and a
# slide is a full 16:9 screen (laid out at 960×540, so the words read from the back of the room).
VENUES = {
    "readme": Venue((320, 240), 2.0),
    "blog": Venue((680, 510), 1.0),
    "phone": Venue((360, 360), 2.0),
    "slides": Venue((960, 540), 2.0),
}


def check_pixels(size: tuple, dpi: int) -> None:
    """Raise :class:`AnimateError` unless ``size`` is even, in range, and leaves room for the plot at ``dpi``."""
    width, height = size
    for side in (width, height):
        if not (MIN_SIDE <= side <= MAX_SIDE) or side % 2:
            raise AnimateError(f"size {width}x{height} is not valid: width and height must be even numbers "
                               f"from {MIN_SIDE} to {MAX_SIDE}")
    # A pixel or two of slack: a scaled size is rounded to even pixels and its dpi to a whole number.
    if width < MIN_INCHES[0] * dpi - 2 or height < MIN_INCHES[1] * dpi - 2:
        least = [math.ceil(inches * dpi / 2) * 2 for inches in MIN_INCHES]
        raise AnimateError(f"size {width}x{height} is too small for dpi {dpi}: the text would leave no room for "
                           f"the plot; use at least {least[0]}x{least[1]} at this dpi, or a lower dpi")


WEBM_CODECS = ("vp9", "av1")
CHROMAS = ("420", "444")


@dataclass(frozen=True)
class RenderOptions:
    """How frames look and play: frame rate, pixel size, dots per inch, theme, panels, trails, title.

    Width and height must be even because H.264 in yuv420p (what browsers play) needs it, and one size
    rule for every format keeps a GIF and an MP4 of the same trace pixel-identical in layout.
    ``workers`` (processes drawing frames; None: one per core for long animations) changes how fast
    frames are made, never what they look like, so it is no user setting.
    """

    fps: Optional[float] = setting(
        None, "--fps", "Frames per second (at most 50 for GIF).", "float", low=MIN_FPS, high=MAX_FPS,
        default_words="the scene's pace")
    size: Optional[tuple] = setting(
        None, "--size", "Frame size in pixels, WxH (even numbers).", "size", metavar="WxH",
        default_words=f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}; {COMPARE_SIZE[0]}x{COMPARE_SIZE[1]} for compare")
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
    hold_first: float = setting(
        1.0, "--hold-first", "Seconds the first frame (the untrained model) stays at the start.", "float", low=0,
        high=60, written="changed", unit="seconds", metavar="SECONDS")
    hold_last: float = setting(
        1.5, "--hold-last", "Seconds the last frame stays before the animation loops.", "float", low=0, high=60,
        written="changed", unit="seconds", metavar="SECONDS")
    motion: Optional[str] = setting(
        None, "--motion", "smooth: in-between frames where the recorded states are far apart on screen (the "
        "numbers shown are always a recorded step's); steps: recorded states only.", "choice", choices=MOTIONS,
        written="changed", default_words="smooth where the recorded states jump, else steps")
    duration: Optional[float] = setting(
        None, "--duration", "The animation's length in seconds, holds included (the frame budget follows).",
        "float", low=0, low_open=True, high=MAX_DURATION, written="changed", unit="seconds", metavar="SECONDS",
        default_words="as recorded")
    captions: bool = setting(
        True, "--captions", "Leave out the captions (the set-up, the events of the run, the result).", "switch",
        off_flag="--no-captions", written="changed")
    max_bytes: Optional[int] = setting(
        None, "--max-bytes", "Make the animation fit this many bytes (500KB, 2MB): fewer colours, recorded states "
        "only, fewer states, a smaller scale or a lower video quality, in the order that costs the least, by trial "
        "encodes; says what it reached, or that it cannot.", "bytes", low=1000, high=10**10, written="changed",
        metavar="SIZE", default_words="no limit")
    colours: int = setting(
        255, "--colours", "Colours in a GIF's palette (fewer: smaller, flatter shading).", "int", low=2, high=255,
        written="changed", metavar="N")
    crf: Optional[int] = setting(
        None, "--crf", "A video's constant-quality factor (higher: smaller, blurrier).", "int", low=0, high=63,
        written="changed", metavar="N", default_words="20 for MP4, 33 for VP9, 38 for AV1")
    webm_codec: str = setting(
        "vp9", "--webm-codec", "The video codec of a .webm: vp9 (plays in every browser that plays WebM) or av1 "
        "(smaller, newer browsers).", "choice", choices=WEBM_CODECS, written="changed")
    chroma: str = setting(
        "420", "--chroma", "Colour resolution of a .webm: 420 (half, as every video) or 444 (full: sharp thin "
        "coloured lines; Chrome and Firefox play it, Safari does not). MP4 stays 420: browsers do not "
        "reliably play H.264 in 4:4:4.", "choice", choices=CHROMAS, written="changed")
    scale: Optional[float] = setting(
        None, "--scale", "More pixels, same layout (2 for sharp frames on high-DPI screens).", "float",
        low=1, high=MAX_SCALE, written="never", metavar="N", default_words="1; 2 for readme, phone, slides")
    venue: Optional[str] = setting(
        None, "--for", "Where it will be seen: a README (320 px wide), a blog column (680 px), a phone "
        "(360 px, square) or slides (full screen). Sets the layout size and scale; --size and --scale still win.",
        "choice", choices=tuple(VENUES), written="never")
    workers: Optional[int] = None

    def __post_init__(self) -> None:
        if isinstance(self.size, list):
            object.__setattr__(self, "size", tuple(self.size))
        if isinstance(self.size, tuple):
            object.__setattr__(self, "size", tuple(int(side) if isinstance(side, numbers.Real) and
                                                   float(side).is_integer() else side for side in self.size))
        settle(self)
        if self.title is not None and len(self.title) > 200:
            raise AnimateError(f"title is {len(self.title):,} characters long: a frame's title takes at most 200")
        if self.size is not None:
            check_pixels(self.size, self.dpi)
        if self.workers is not None and not (isinstance(self.workers, int) and 1 <= self.workers <= 64):
            raise AnimateError(f"workers {self.workers!r} is not valid: use 1 to 64, or None for one per core")

    def resolved(self, pace: Optional[float] = None, size: Optional[tuple] = None) -> "RenderOptions":
        """These options with nothing left to choose: the frame rate (``pace``, else 20 fps) and size
        (``size``, else 640×480) filled in where not given, and the scale folded into size and dpi."""
        fps = self.fps if self.fps is not None else (pace if pace is not None else DEFAULT_FPS)
        if self.fps is None and self.motion != "steps":
            fps = max(fps, SMOOTH_FPS)  # smooth motion (or perhaps smooth, when auto) needs frames to move in
        venue = VENUES.get(self.venue)
        given = self.size or (venue.size if venue else None) or size or DEFAULT_SIZE
        width, height = given
        scale = self.scale if self.scale is not None else (venue.scale if venue else 1.0)
        if scale == 1:
            return replace(self, fps=fps, size=(width, height), scale=None, venue=None)
        if self.size is None and venue is None:
            check_pixels((width, height), self.dpi)  # the layout size, checked before it is scaled
        scaled = (2 * round(width * scale / 2), 2 * round(height * scale / 2))  # kept even
        dpi = round(self.dpi * scale)
        if max(scaled) > MAX_SIDE:
            raise AnimateError(f"size {width}x{height} at scale {scale:g} would be {scaled[0]}x{scaled[1]} "
                               f"pixels: frames hold at most {MAX_SIDE} a side; use a smaller size or scale")
        if dpi > MAX_DPI:
            raise AnimateError(f"dpi {self.dpi} at scale {scale:g} would be {dpi}: at most {MAX_DPI}; use a "
                               "lower dpi or scale")
        return replace(self, fps=fps, size=scaled, dpi=dpi, scale=None, venue=None)

    def scaled(self, factor: float) -> "RenderOptions":
        """The same layout with ``factor`` times the pixels: sharper frames for high-DPI screens."""
        return replace(self, scale=float(factor)).resolved()

    @property
    def compact(self) -> bool:
        """Whether frames of these (resolved) options are laid out compact (see ``COMPACT_INCHES``)."""
        width, height = self.figsize
        return width < COMPACT_INCHES[0] or height < COMPACT_INCHES[1]

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
        None, "--frames", "About K frames, placed where the fit changes.", "int", low=2, high=MAX_FRAMES,
        metavar="K", default_words=f"{DEFAULT_FRAMES}")
    optimizer: Optional[str] = setting(
        None, "--optimizer", "An optimiser instead of the scene's own update.", "choice",
        choices=tuple(OPTIMIZERS), default_words="the scene's own")

    def __post_init__(self) -> None:
        settle(self)
        if self.every is not None and self.frames is not None:
            raise AnimateError(f"every {self.every} and frames {self.frames} choose frames in two ways: give one")

    def resolved(self, defaults) -> RunSettings:
        """The settings a run of a scene with these ``defaults`` (a scene's ``Defaults``) uses."""
        every, frames = self.every, self.frames
        if every is None and frames is None:
            every, frames = defaults.every, (None if defaults.every else defaults.frames)
        steps = self.steps if self.steps is not None else int(defaults.steps)
        # Snapshots at every multiple of ``every`` before the last update, and the final model after it.
        count = (steps - 1) // every + 2 if every is not None else 0
        if count > MAX_FRAMES:
            raise AnimateError(
                f"every {every} over {steps:,} steps makes {count:,} frames: an animation takes at most "
                f"{MAX_FRAMES:,} (more only costs memory while training); use every "
                f"{(steps - 1) // (MAX_FRAMES - 1) + 1:,} or more, or frames")
        return RunSettings(seed=self.seed, lr=self.lr if self.lr is not None else float(defaults.lr),
                           steps=steps, every=every, frames=frames, optimizer=self.optimizer)


MAX_RUNS = 9  # a 3 × 3 lattice of learning rates and optimisers


@dataclass(frozen=True)
class Variants:
    """The runs a comparison trains: every pair of the learning rates and optimisers given."""

    lrs: tuple = setting(
        (), "--lr", "A learning rate to run (give several).", "float", low=0, low_open=True, multiple=True)
    optimizers: tuple = setting(
        (), "--optimizer", "An optimiser to run instead of the scene's own (give several).", "choice",
        choices=tuple(OPTIMIZERS), multiple=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lrs", tuple(self.lrs))
        object.__setattr__(self, "optimizers", tuple(self.optimizers))
        settle(self)
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
        settle(self)

    def wanted(self, snippet_fits: bool = True) -> dict:
        """Which files are asked for: ``{"poster": bool, "sheet": ..., "alt_text": ..., "snippet": ...}``.
        ``--extras`` asks for a snippet only where one ``snippet_fits`` the output (not for a page or a WebP);
        ``--snippet`` itself always asks (and the output's check says why it cannot be)."""
        return {"poster": self.poster or self.extras, "sheet": self.sheet or self.extras,
                "alt_text": self.alt_text or self.extras, "snippet": self.snippet or (self.extras and snippet_fits)}
