"""Every format, measured in one run: bytes, PSNR against the lossless frames, and time to draw and encode,
per scene; then what ``--max-bytes`` reaches for 250 KB, 500 KB and 1 MB.

    python benchmarks/formats.py        # writes its tables into benchmarks/RESULTS.md (about 6 minutes)

Each scene is recorded once (seed 0) and drawn with its default settings (640×480, story mode); each
format is written from the same frames in its own process-local run. PSNR is the mean over a dozen
moments of the animation, each decoded frame against the same frame drawn without loss
(:func:`animate.budget.psnr`).
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from animate.budget import fit_budget, psnr  # noqa: E402
from animate.narration import timeline_for  # noqa: E402
from animate.options import RenderOptions  # noqa: E402
from animate.outputs import Outputs  # noqa: E402
from animate.pipeline import write_animation  # noqa: E402
from animate.train import record_scene  # noqa: E402
from results_file import put_block  # noqa: E402

FORMATS = [
    ("GIF", ".gif", {}),
    ("MP4 (H.264 4:2:0)", ".mp4", {}),
    ("WebM VP9 4:2:0", ".webm", {"webm_codec": "vp9"}),
    ("WebM VP9 4:4:4", ".webm", {"webm_codec": "vp9", "chroma": "444"}),
    ("WebM AV1 4:2:0", ".webm", {"webm_codec": "av1"}),
    ("WebM AV1 4:4:4", ".webm", {"webm_codec": "av1", "chroma": "444"}),
    ("WebP lossless", ".webp", {}),
]
SCENES = ("logistic", "linear", "mlp")
BUDGETS = (250_000, 500_000, 1_000_000)


def measure(name: str, folder: Path) -> list:
    trace = record_scene(name, seed=0)
    base = RenderOptions(workers=1).resolved(trace.meta.pace)
    rows = []
    for label, suffix, changes in FORMATS:
        options = replace(base, **changes)
        timeline = timeline_for(trace, options)
        path = folder / f"{name}{suffix}"
        started = time.perf_counter()
        written = write_animation(trace, Outputs.beside(path, provenance=False), options, timeline=timeline)
        seconds = time.perf_counter() - started
        rows.append((name, label, written.bytes, psnr(path, trace, options, timeline), seconds))
        print(rows[-1], flush=True)
    return rows


def budgets(folder: Path) -> list:
    trace = record_scene("logistic", seed=0)
    rows = []
    for suffix in (".gif", ".webm"):
        for budget in BUDGETS:
            options = RenderOptions(workers=1, max_bytes=budget).resolved(trace.meta.pace)
            timeline = timeline_for(trace, options)
            started = time.perf_counter()
            try:
                fitted = fit_budget(trace, folder / f"budget{suffix}", options, timeline)
                rows.append((suffix, budget, fitted.bytes, fitted.psnr, fitted.rung, fitted.tried,
                             time.perf_counter() - started))
            except Exception as error:  # a budget it cannot meet is a result too
                rows.append((suffix, budget, None, None, str(error), None, time.perf_counter() - started))
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = [row for name in SCENES for row in measure(name, Path(folder))]
        fitted = budgets(Path(folder))
    gif = {name: size for name, label, size, _, _ in rows if label == "GIF"}
    lines = ["<!-- formats:start -->", "## Formats (`python benchmarks/formats.py`)", "",
             "Each scene as drawn by default (640×480, story mode, seed 0), written once per format from the same "
             "frames; PSNR is the mean over a dozen moments against the frames drawn without loss; time is drawing "
             "and encoding in one process (one core).", "",
             "| scene | format | bytes | × GIF | PSNR dB | draw + encode s |", "| --- | --- | --- | --- | --- | --- |"]
    for name, label, size, quality, seconds in rows:
        lines.append(f"| {name} | {label} | {size:,} | {size / gif[name]:.2f} | {quality:.1f} | {seconds:.1f} |")
    lines += ["", "`--max-bytes` on `logistic` (its default GIF is about 670 KB, its VP9 WebM about 110 KB):", "",
              "| format | budget | reached bytes | PSNR dB | what it gave up | trials | s |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for suffix, budget, size, quality, rung, tried, seconds in fitted:
        lines.append(f"| {suffix} | {budget:,} | {size:,} | {quality:.1f} | {rung} | {tried} | {seconds:.1f} |"
                     if size is not None else f"| {suffix} | {budget:,} | — | — | {rung} | — | {seconds:.1f} |")
    lines.append("<!-- formats:end -->")
    block = "\n".join(lines)
    print(block)
    put_block("formats", block)


if __name__ == "__main__":
    main()
