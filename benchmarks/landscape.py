"""The cost of a model's loss landscape (``--param-path`` on a scene of more than two parameters).

    python benchmarks/landscape.py       # writes its table into benchmarks/RESULTS.md (under a minute)

For each scene: its parameters, the loss evaluations on the path's plane (21 × 21), the seconds they take
(one core, seed 0, the scene's default run), and how much of the path's variance the plane holds.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from animate.landscape import Landscape  # noqa: E402
from animate.scene import get_scene  # noqa: E402
from animate.train import train  # noqa: E402
from animate.options import TrainOptions  # noqa: E402
from results_file import put_block  # noqa: E402

SCENES = ("mlp", "spiral")  # poly draws fresh data each step: it has no fixed loss to draw


def measure(name: str) -> tuple:
    scene = get_scene(name)
    settings = TrainOptions().resolved(scene.defaults)
    timed = []
    surface = Landscape.surface

    def timed_surface(self, *args, **kwargs):  # the evaluations' own time, as the landscape measures it
        result = surface(self, *args, **kwargs)
        timed.append(result[3])
        return result

    Landscape.surface = timed_surface
    try:
        trace = train(scene, settings, landscape=True)
    finally:
        Landscape.surface = surface
    model = {name: values for name, values in trace.params.items() if name not in ("pc1", "pc2")}
    count = sum(values.reshape(len(trace), -1).shape[1] for values in model.values())
    explained = trace.meta.path.labels
    return name, count, trace.static["surface"].size, timed[0], explained


def main() -> None:
    torch.set_num_threads(1)
    rows = [measure(name) for name in SCENES]
    lines = ["<!-- landscape:start -->", "## The loss landscape of any model (`python benchmarks/landscape.py`)", "",
             "`--param-path` on a scene of more than two parameters: the loss on 21 × 21 points of the plane through "
             "the final parameters spanned by the path's two principal directions; seconds of those evaluations "
             "(one thread), and the axes' words (each direction's share of the path's variance).", "",
             "| scene | parameters | loss evaluations | seconds | axes |",
             "| --- | --- | --- | --- | --- |"]
    for name, count, evaluations, seconds, explained in rows:
        lines.append(f"| {name} | {count:,} | {evaluations} | {seconds:.2f} | {' · '.join(explained)} |")
    lines.append("<!-- landscape:end -->")
    block = "\n".join(lines)
    print(block)
    put_block("landscape", block)


if __name__ == "__main__":
    main()
