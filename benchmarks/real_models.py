"""Recording a real model: what the recorder costs in time, memory and trace bytes, on a CPU or a GPU.

An MLP of about N parameters (``--params``) fits sin(x) for ``--steps`` Adam steps. Each variant runs in
a fresh process (so that peak memory is its own), one after another:

- ``bare``: the plain PyTorch loop, nothing recorded (the floor);
- ``recorder``: the same loop with ``animate.Recorder(model, animate.Curve(...))`` (about 200 frames);
- ``fit``: ``animate.fit`` with the recorder as its callback (the loop the scenes use);
- ``fp16`` / ``bf16``: the model in half precision, recorded (today these may fail; the error is shown).

Prints one JSON line per variant: seconds of training (device synchronised), peak resident memory of
the process, the trace's bytes when saved, and whether the trace renders (a GIF of it is drawn).

    python benchmarks/real_models.py --device cuda --params 1000000 --steps 2000
    python benchmarks/real_models.py --device cpu --params 100000 --steps 300     # a quick look on a CPU
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VARIANTS = ("bare", "recorder", "fit", "fp16", "bf16")


def hidden_for(params: int) -> int:
    """The hidden width h of Linear(1, h) → ReLU → Linear(h, h) → ReLU → Linear(h, 1) with about ``params``."""
    return max(4, int(math.sqrt(params)))


def one(variant: str, device: str, params: int, steps: int, out: Path) -> dict:
    import torch

    sys.path.insert(0, str(HERE.parent))
    import animate

    torch.manual_seed(0)
    width = hidden_for(params)
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(variant, torch.float32)
    model = torch.nn.Sequential(torch.nn.Linear(1, width), torch.nn.ReLU(), torch.nn.Linear(width, width),
                                torch.nn.ReLU(), torch.nn.Linear(width, 1)).to(device=device, dtype=dtype)
    x = torch.linspace(-3, 3, 4096, device=device, dtype=dtype).unsqueeze(1)
    y = torch.sin(x)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-4 if dtype != torch.float32 else 1e-8)
    loss_fn = torch.nn.MSELoss()
    recorder = None if variant == "bare" else animate.Recorder(model, animate.Curve(x_range=(-3, 3)))
    result = {"variant": variant, "device": device, "params": sum(p.numel() for p in model.parameters()),
              "steps": steps}
    synchronise = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    try:
        synchronise()
        started = time.perf_counter()
        if variant == "fit":
            animate.fit(lambda: loss_fn(model(x), y), optimizer, steps, callbacks=[recorder])
        else:
            for step in range(steps):
                loss = loss_fn(model(x), y)
                if recorder is not None:
                    recorder.step(step, loss)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            if recorder is not None:
                recorder.finish(steps, loss_fn(model(x), y))
        synchronise()
        result["train_seconds"] = round(time.perf_counter() - started, 3)
        if recorder is not None:
            trace = recorder.trace(points=(x.float().cpu(), y.float().cpu()), title=f"{variant} MLP")
            path = out / f"{variant}.npz"
            trace.save(path)
            result["trace_bytes"] = path.stat().st_size
            result["frames"] = len(trace)
            written = animate.render(trace, out / f"{variant}.gif", animate.RenderOptions(size=(320, 240), dpi=50))
            result["gif_frames"] = written.frames
    except Exception as error:  # what fails is the finding: report it, one line
        result["error"] = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--params", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--out", default=os.environ.get("OUT", "/tmp/real_models"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(one(args.one, args.device, args.params, args.steps, out)))
        return
    for variant in args.variants.split(","):
        command = [sys.executable, __file__, "--one", variant, "--device", args.device, "--params",
                   str(args.params), "--steps", str(args.steps), "--out", str(out)]
        done = subprocess.run(command, capture_output=True, text=True)
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else json.dumps(
            {"variant": variant, "error": (done.stderr.strip().splitlines() or ["no output"])[-1]})
        print(line, flush=True)


if __name__ == "__main__":
    main()
