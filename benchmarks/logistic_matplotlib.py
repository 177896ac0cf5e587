"""The idiomatic plain-matplotlib version of `animate scene logistic`, for the end-to-end comparison.

It trains exactly as the blog does (seed 0, the same data, loss and hand-written update, stopping at
loss < 0.01), keeps what each iteration shows, then animates it with FuncAnimation and PillowWriter
at the same frame rate and with the same picture as animate's logistic scene.

    python benchmarks/logistic_matplotlib.py OUT.gif
"""

import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))


class Record:
    """What the figure needs, in the shape userplot reads (the same fields as a trace)."""

    def __init__(self):
        self.steps, self.loss, self.w, self.b, self.prob = [], [], [], [], []

    def finish(self, x, y, c, grid):
        self.steps, self.loss = np.array(self.steps), np.array(self.loss)
        self.params = {"w": np.array(self.w), "b": np.array(self.b)}
        self.outputs = {"prob": np.array(self.prob)}
        self.static = {"points_x": x.numpy(), "points_y": y.numpy(), "points_label": c.numpy(),
                       "grid_x": grid.numpy(), "grid_y": grid.numpy()}

    def __len__(self):
        return len(self.steps)


def train():
    torch.manual_seed(0)
    n_data = torch.ones(100, 2)
    xy0 = torch.normal(2 * n_data, 1)
    c0 = torch.zeros(100)
    xy1 = torch.normal(-2 * n_data, 1)
    c1 = torch.ones(100)
    x, y = torch.cat((xy0, xy1), 0).type(torch.FloatTensor).split(1, dim=1)
    x, y = x.squeeze(), y.squeeze()
    c = torch.cat((c0, c1), 0).type(torch.FloatTensor)
    lr = 0.02
    w = torch.tensor([1.0], requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    half = float(torch.cat((x, y)).abs().max().ceil()) + 0.5
    grid = torch.linspace(-half, half, 64)
    gy, gx = torch.meshgrid(grid, grid, indexing="ij")
    record = Record()
    for iteration in range(1000):
        loss = ((torch.sigmoid(x * w + b - y) - c) ** 2).mean()
        record.steps.append(iteration)
        record.loss.append(loss.item())
        record.w.append(w.detach().numpy().copy())
        record.b.append(b.detach().numpy().copy())
        record.prob.append(torch.sigmoid(gx * w + b - gy).detach().numpy())
        loss.backward()
        b.data.sub_(lr * b.grad)
        w.data.sub_(lr * w.grad)
        if loss.data.numpy() < 0.01:
            break
    record.finish(x, y, c, grid)
    return record


def main(out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    from userplot import UpdatingFigure

    record = train()
    figure = UpdatingFigure(plt, record)
    animation = FuncAnimation(figure.figure, figure.update, frames=len(record))
    animation.save(out, writer=PillowWriter(fps=8))


if __name__ == "__main__":
    main(sys.argv[1])
