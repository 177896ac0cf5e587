"""Story mode, measured: the largest on-screen jump of the fit between consecutive frames, and the time to
render, for each built-in scene with recorded states only (what animate drew before story mode) and with
the story timeline (the default now), the second at the same duration as the first.

    python benchmarks/story_motion.py            # writes its table into benchmarks/RESULTS.md

The jump is measured from the drawing itself: the fit line (or the boundary line) is set for each frame
as the renderer sets it, and its points are mapped to pixels by the plot's own transform; the jump is
the largest distance any of its points moves, in pixels of a 640×480 frame (points outside the plot
count at its edge, as that is where they are seen).
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from animate.drawing import Renderer  # noqa: E402
from animate.narration import timeline_for  # noqa: E402
from animate.options import RenderOptions  # noqa: E402
from animate.outputs import Outputs  # noqa: E402
from animate.pipeline import write_animation  # noqa: E402
from animate.scene import scene_names  # noqa: E402
from animate.story import Timeline  # noqa: E402
from animate.train import record_scene  # noqa: E402
from results_file import put_block  # noqa: E402

START, END = "<!-- story-motion:start -->", "<!-- story-motion:end -->"


def drawn_pixels(renderer: Renderer, index: int) -> np.ndarray:
    """The fit's (or boundary's) points for frame ``index``, in pixels, held inside the plot."""
    panel = renderer.panel
    panel.update(index)
    line = panel.fit_line if hasattr(panel, "fit_line") else panel.boundary
    xy = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
    pixels = panel.ax.transData.transform(xy)
    box = panel.ax.get_window_extent()
    return np.column_stack([np.clip(pixels[:, 0], box.x0, box.x1), np.clip(pixels[:, 1], box.y0, box.y1)])


def largest_jump(renderer: Renderer, count: int) -> float:
    previous, largest = drawn_pixels(renderer, 0), 0.0
    for index in range(1, count):
        current = drawn_pixels(renderer, index)
        largest = max(largest, float(np.max(np.hypot(*(current - previous).T))))
        previous = current
    return largest


def render_seconds(trace, options: RenderOptions, timeline: Timeline) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_animation(trace, Outputs.beside(Path(folder) / "a.gif", provenance=False), options,
                        timeline=timeline)
        return time.perf_counter() - started


def measure(name: str) -> dict:
    trace = record_scene(name, seed=0)
    steps_options = RenderOptions(motion="steps", captions=False).resolved(trace.meta.pace)
    steps = Timeline.plain(len(trace))
    seconds = len(steps) / steps_options.fps + steps_options.hold_first + steps_options.hold_last
    story_options = RenderOptions(duration=round(seconds, 2)).resolved(trace.meta.pace)
    story = timeline_for(trace, story_options)
    default_options = RenderOptions().resolved(trace.meta.pace)
    default_story = timeline_for(trace, default_options)
    default_seconds = len(default_story) / default_options.fps + default_options.hold_first + default_options.hold_last
    before = largest_jump(Renderer(trace, steps_options, steps), len(steps))
    after = largest_jump(Renderer(trace, story_options, story), len(story))
    after_default = largest_jump(Renderer(trace, RenderOptions().resolved(trace.meta.pace), default_story),
                                 len(default_story))
    times_steps, times_story = [], []
    for _ in range(3):  # interleaved, so a busy moment of the machine falls on both
        times_steps.append(render_seconds(trace, replace(steps_options, workers=1), steps))
        times_story.append(render_seconds(trace, replace(story_options, workers=1), story))
    time_steps, time_story = min(times_steps), min(times_story)
    return {"name": name, "motion": default_story.motion, "before": before, "after": after,
            "after_default": after_default, "default_seconds": default_seconds,
            "default_frames": len(default_story), "default_in_betweens": default_story.in_betweens, "seconds": seconds, "frames_steps": len(steps), "frames_story": len(story),
            "in_betweens": story.in_betweens, "time_steps": time_steps, "time_story": time_story}


def table(rows: list) -> str:
    lines = [START, "## Story mode: motion (`python benchmarks/story_motion.py`)", "",
             "The largest jump of the fit (or boundary) between consecutive frames, in pixels of a 640×480 frame, "
             "with recorded states only (`--motion steps --no-captions`, what animate drew before story mode) and "
             "with the story timeline at the same duration; and the time to render that GIF in one process "
             "(best of 3, the two interleaved). The default motion is what `--motion` resolves to when not given; the last columns are "
             "the story as it plays with no `--duration` (longer: it adds in-betweens rather than sharing a fixed "
             "number of frames). All from the same recorded trace of each scene, seed 0.", "",
             "| scene | default motion | seconds | frames (steps → story) | in-betweens | largest jump before px | "
             "after px | render s (steps → story) | time ratio | default story: seconds | frames | in-betweens | "
             "largest jump px |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {row['name']} | {row['motion']} | {row['seconds']:.2f} | {row['frames_steps']} → "
                     f"{row['frames_story']} | {row['in_betweens']} | {row['before']:.1f} | {row['after']:.1f} | "
                     f"{row['time_steps']:.2f} → {row['time_story']:.2f} | "
                     f"{row['time_story'] / row['time_steps']:.2f}× | {row['default_seconds']:.2f} | "
                     f"{row['default_frames']} | {row['default_in_betweens']} | {row['after_default']:.1f} |")
    lines.append(END)
    return "\n".join(lines)


def main() -> None:
    rows = [measure(name) for name in scene_names()]
    block = table(rows)
    print(block)
    put_block("story-motion", block)


if __name__ == "__main__":
    main()
