"""Animate your own model: a small classifier learning the "two moons", in a plain PyTorch loop.

    python examples/moons.py            # writes moons.gif in the current folder
    python examples/moons.py out.mp4    # or another file

The data is made with torch alone (no scikit-learn): two interleaving half circles with noise.
"""

import math
import sys

import torch

import animate


def two_moons(count: int = 200, noise: float = 0.15):
    """Points on two interleaving half circles, labelled 0 and 1."""
    half = count // 2
    angle = torch.rand(count) * math.pi
    upper = torch.stack([torch.cos(angle[:half]), torch.sin(angle[:half])], dim=1)
    lower = torch.stack([1 - torch.cos(angle[half:]), 0.5 - torch.sin(angle[half:])], dim=1)
    points = torch.cat([upper, lower]) + noise * torch.randn(count, 2)
    labels = torch.cat([torch.zeros(half), torch.ones(count - half)])
    return points, labels


def main(path: str = "moons.gif") -> None:
    torch.manual_seed(0)
    points, labels = two_moons()
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    # What to draw: the probability of class 1 over a box around the data (sigmoid of the logit).
    recorder = animate.Recorder(model, animate.Boundary(xlim=(-1.5, 2.5), ylim=(-1.25, 1.75)))
    for step in range(400):
        logits = model(points).squeeze(1)
        loss = loss_fn(logits, labels)
        accuracy = ((logits > 0).float() == labels).float().mean()
        recorder.step(step, loss, accuracy=accuracy)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    recorder.finish(400, loss_fn(model(points).squeeze(1), labels))

    trace = recorder.trace(points=(points[:, 0], points[:, 1], labels), title="A small MLP learns two moons")
    print(animate.render(trace, path))


if __name__ == "__main__":
    main(*sys.argv[1:2])
