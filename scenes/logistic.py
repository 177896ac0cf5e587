"""Blog 001 part 2, "pytorch 基础用法：逻辑回归": a line that separates two Gaussian blobs.

The blog draws 100 points around (2, 2) as class 0 and 100 around (-2, -2) as class 1 (standard
deviation 1), then learns a line y = w·x + b with w = 1, b = 0 to start. A point's probability of
class 1 is sigmoid(w·x + b − y), so class 1 lies below the line. The loss is the mean squared gap
between that probability and the class, the step is written by hand with lr 0.02, and training stops
once the loss is below 0.01 (at most 1000 iterations).

The blog never zeroes the gradients, so each backward() adds to the previous ones and every update
uses the sum of all gradients so far. The scene keeps this: it is what the blog's numbers and pictures
come from (the run stops after about 25 iterations; with cleared gradients it needs hundreds).
"""

import torch

from animate.meta import LinearEquation
from animate.observe import Boundary
from animate.scene import Defaults, Scene, Setup, register
from animate.optimizers import HandWrittenStep


@register
class Logistic(Scene):
    name = "logistic"
    title = "Logistic regression: a line between two classes"
    summary = "hand-made w, b learn the line between two Gaussian blobs; stops at loss < 0.01"
    source = "001 pytorch 基础用法 (part 2: 逻辑回归)"
    defaults = Defaults(lr=0.02, steps=1000, stop_below=0.01, fps=8)
    equation = LinearEquation(slope="w", intercept="b", lhs="y")

    def build(self, lr: float) -> Setup:
        n_data = torch.ones(100, 2)
        xy0 = torch.normal(2 * n_data, 1)  # class 0 around (2, 2)
        c0 = torch.zeros(100)
        xy1 = torch.normal(-2 * n_data, 1)  # class 1 around (-2, -2)
        c1 = torch.ones(100)
        x, y = torch.cat((xy0, xy1), 0).split(1, dim=1)
        x, y = x.squeeze(), y.squeeze()
        c = torch.cat((c0, c1), 0)

        w = torch.tensor([1.0], requires_grad=True)
        b = torch.zeros(1, requires_grad=True)

        def loss():
            return ((torch.sigmoid(x * w + b - y) - c) ** 2).mean()

        def probability_of_class_1(xy):
            return torch.sigmoid(xy[:, 0] * w + b - xy[:, 1])

        # A square box around all points, so the shading covers the whole plot.
        half = float(torch.cat((x, y)).abs().max().ceil()) + 0.5
        return Setup(
            model={"w": w, "b": b},
            loss=loss,
            optimizer=HandWrittenStep([b, w], lr, clear_gradients=False),
            observe=Boundary((-half, half), (-half, half), predict=probability_of_class_1),
            points=(x, y, c),
        )
