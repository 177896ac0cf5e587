"""A byte budget (``--max-bytes``): the settings that make an animation fit, found by trial encodes.

Each rung of a format's ladder gives up a little more, in the order that costs the picture the least:
first what adds bytes without adding information (story mode's in-between frames), then precision
(fewer GIF colours, a higher video CRF), then motion (every other recorded state), then size (a smaller
scale). Each trial renders and encodes the whole animation into a temporary file; the first that fits is
kept, and its quality is measured as PSNR against the lossless frames of the same settings.

    fitted = fit_budget(trace, Path("run.gif"), options, timeline)
    fitted.options, fitted.timeline, fitted.words()   # 'fits 500 KB: recorded states only, 128 colours; ...'
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

import numpy as np

from .comparison import Comparison
from .errors import AnimateError
from .options import RenderOptions
from .outputs import Outputs
from .story import Timeline

VIDEO_SUFFIXES = (".mp4", ".webm")
DEFAULT_CRF = {".mp4": 20, ".webm": 33}
HIGHEST_CRF = {".mp4": 51, ".webm": 63}
PSNR_SAMPLES = 12
SLACK = 512  # bytes kept free in a trial for the provenance's own record of the budget, added afterwards


@dataclass(frozen=True)
class Rung:
    """One step down the ladder: what it changes, in words and as settings."""

    words: str
    colours: Optional[int] = None
    crf_up: int = 0
    steps_motion: bool = False
    every_other: bool = False
    scale: float = 1.0


def ladder(suffix: str, smooth: bool, several_states: bool) -> list:
    """The rungs to try for a file with ``suffix``, each one a little smaller than the one before."""
    rungs = [Rung("as asked")]
    if smooth:
        rungs.append(Rung("recorded states only", steps_motion=True))
    motion = dict(steps_motion=True)
    if suffix == ".gif":
        for colours in (128, 64):
            rungs.append(Rung(f"{colours} colours", colours=colours, **motion))
        if several_states:
            rungs.append(Rung("every other state, 64 colours", colours=64, every_other=True, **motion))
        for scale in (0.75, 0.5):
            rungs.append(Rung(f"{scale:g}× scale, 64 colours", colours=64, every_other=several_states, scale=scale,
                              **motion))
        rungs.append(Rung("0.5× scale, 16 colours", colours=16, every_other=several_states, scale=0.5, **motion))
    elif suffix in VIDEO_SUFFIXES:
        for up in (6, 12, 18):
            rungs.append(Rung(f"quality CRF +{up}", crf_up=up, **motion))
        for scale in (0.75, 0.5):
            rungs.append(Rung(f"{scale:g}× scale, CRF +18", crf_up=18, scale=scale, **motion))
    else:  # lossless WebP: only fewer and smaller frames help
        if several_states:
            rungs.append(Rung("every other state", every_other=True, **motion))
        for scale in (0.75, 0.5):
            rungs.append(Rung(f"{scale:g}× scale", every_other=several_states, scale=scale, **motion))
    return rungs


@dataclass(frozen=True)
class Fitted:
    """The settings that fit, and what they reached."""

    options: RenderOptions
    timeline: Optional[Timeline]
    budget: int
    bytes: int
    psnr: float
    rung: str
    tried: int

    def words(self) -> str:
        return (f"within {self.budget:,} bytes: {self.rung}, PSNR {self.psnr:.1f} dB "
                f"({self.tried} trial encode{'s' if self.tried != 1 else ''})")

    def record(self) -> dict:
        """For the provenance."""
        return {"max_bytes": self.budget, "bytes": self.bytes, "psnr_db": round(self.psnr, 2), "settings": self.rung,
                "trials": self.tried}


def fit_budget(drawable, path: Path, options: RenderOptions, timeline: Timeline, notes=None) -> Fitted:
    """The first rung of the ladder whose file of ``path``'s format fits ``options.max_bytes``; an
    :class:`AnimateError` naming the smallest size reached when none does. ``notes`` (the provenance the
    file will carry) go into the trials too, so that a trial's size is the file's."""
    from .outputs import Notes
    from .pipeline import write_animation

    budget = options.max_bytes - SLACK
    suffix = path.suffix.lower()
    several = not isinstance(drawable, Comparison) and len(drawable) > 4
    rungs = ladder(suffix, timeline.motion == "smooth" and timeline.in_betweens > 0, several)
    smallest = None
    with tempfile.TemporaryDirectory(prefix="animate-budget-") as folder:
        trial = Path(folder) / f"trial{suffix}"
        for tried, rung in enumerate(rungs, start=1):
            trial_options, trial_timeline = apply(rung, options, timeline, drawable, suffix)
            carried = Notes(provenance=notes.provenance, commands={trial: notes.commands.get(path)}) if notes else Notes()
            written = write_animation(drawable, Outputs.beside(trial, provenance=False), trial_options, carried,
                                      timeline=trial_timeline)
            if smallest is None or written.bytes < smallest[0]:
                smallest = (written.bytes, rung.words)
            if written.bytes <= budget:
                quality = psnr(trial, drawable, trial_options, trial_timeline)
                return Fitted(trial_options, trial_timeline, options.max_bytes, written.bytes, quality, rung.words,
                              tried)
    raise AnimateError(f"{str(path)!r} cannot be made to fit {options.max_bytes:,} bytes: the smallest it reaches is "
                       f"{smallest[0]:,} bytes ({smallest[1]}); give a larger --max-bytes, a shorter --duration "
                       f"or a smaller --size")


def apply(rung: Rung, options: RenderOptions, timeline: Timeline, drawable, suffix: str) -> tuple:
    """``options`` and ``timeline`` as ``rung`` changes them."""
    changed = options
    if rung.colours is not None:
        changed = replace(changed, colours=min(rung.colours, options.colours))
    if rung.crf_up:
        base = options.crf if options.crf is not None else DEFAULT_CRF.get(suffix, 33)
        if suffix == ".webm" and options.webm_codec == "av1" and options.crf is None:
            base = 38
        changed = replace(changed, crf=min(HIGHEST_CRF.get(suffix, 51), base + rung.crf_up))
    if rung.scale != 1.0:
        width, height = options.size
        changed = replace(changed, size=(2 * round(width * rung.scale / 2), 2 * round(height * rung.scale / 2)),
                          dpi=max(10, round(options.dpi * rung.scale)))
    shown = timeline
    if rung.steps_motion and timeline.motion != "steps":
        # Recorded states only, at the run's own pace (each state held as long as steps motion holds it).
        from .narration import timeline_for

        pace = None if isinstance(drawable, Comparison) else drawable.meta.pace
        if pace and pace < changed.fps:  # the rate was raised for in-betweens: back to the run's own
            changed = replace(changed, fps=pace)
        shown = timeline_for(drawable, replace(changed, motion="steps"))
    if rung.every_other:
        count = len(drawable.clock) if isinstance(drawable, Comparison) else len(drawable)
        kept = set(range(0, count, 2)) | {count - 1}
        shown = Timeline(tuple(moment for moment in shown.moments if moment.after in kept or moment.after == 0),
                         shown.motion)
    return changed, shown


# ---- quality: the file against the lossless frames --------------------------------------------------------
def psnr(path: Path, drawable, options: RenderOptions, timeline: Timeline) -> float:
    """Mean PSNR (dB) of the file at ``path`` against the frames drawn without loss, at a dozen moments."""
    from .drawing import open_frames

    count = len(timeline)
    indices = sorted(set(np.linspace(0, count - 1, min(PSNR_SAMPLES, count)).round().astype(int)))
    # The middle of each frame's time on screen (the first is held for hold_first).
    times = [0.5 * options.hold_first if i == 0 else options.hold_first + (i + 0.5) / options.fps for i in indices]
    with open_frames(drawable, replace(options, workers=1), timeline) as source:
        reference = list(source.frames(indices))
    shown = frames_at(path, times, options)
    values = [_psnr(a, b) for a, b in zip(reference, shown)]
    return float(np.mean(values)) if values else float("nan")


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255**2 / mse)


def frames_at(path: Path, times: list, options: RenderOptions) -> list:
    """The decoded frames of the file at ``path`` shown at each of ``times`` (seconds)."""
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return _video_frames_at(path, times, options)
    from PIL import Image

    shown, at = [], 0.0
    wanted = list(times)
    with Image.open(path) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            image.load()
            end = at + image.info.get("duration", 0) / 1000
            while wanted and wanted[0] < end:
                shown.append(np.asarray(image.convert("RGB")))
                wanted.pop(0)
            at = end
        while wanted:  # past the end: the last frame
            shown.append(np.asarray(image.convert("RGB")))
            wanted.pop(0)
    return shown


def _video_frames_at(path: Path, times: list, options: RenderOptions) -> list:
    from .writers.mp4 import ffmpeg_executable

    width, height = options.size
    size = width * height * 3
    wanted = {int(t * options.fps): n for n, t in enumerate(times)}
    shown: list = [None] * len(times)
    process = subprocess.Popen([ffmpeg_executable(), "-loglevel", "error", "-i", str(path), "-f", "rawvideo",
                                "-pix_fmt", "rgb24", "-"], stdout=subprocess.PIPE)
    try:
        index, last = 0, None
        while True:
            data = process.stdout.read(size)
            if len(data) < size:
                break
            last = data
            if index in wanted:
                shown[wanted[index]] = np.frombuffer(data, np.uint8).reshape(height, width, 3)
            index += 1
    finally:
        process.stdout.close()
        process.wait()
    final = np.frombuffer(last, np.uint8).reshape(height, width, 3) if last is not None else None
    return [frame if frame is not None else final for frame in shown]
