"""Blog 004, "深度学习 demo1 线性回归": the same line fitted two ways, as two scenes.

Both parts draw x = linspace(−2, 12, 100) and y = 3x + 10 + N(0, 1), then build the model (so its
random initialisation comes after the data), and run SGD (lr 1e-3) on the MSE loss for 20000 epochs.

- ``linear-param``: the model holds two ``nn.Parameter`` 1×1 matrices, ``a`` and ``b``, both from
  ``torch.randn``, and computes ``x.mm(a) + b``.
- ``linear-layer``: the model is ``nn.Linear(1, 1)``.

The blog's ``Variable`` wrapper and ``resize_`` are gone from PyTorch; the scenes use the tensors
directly and ``reshape``.
"""

import torch
from torch import nn

from animate.meta import LinearEquation
from animate.observe import Curve
from animate.scene import Defaults, Scene, Setup, register

N = 100


def make_data():
    """The blog's data: 100 evenly spaced x in [−2, 12], y = 3x + 10 + N(0, 1)."""
    x = torch.linspace(-2, 12, N).reshape(N, 1)
    y = 3 * x + 10 + torch.randn(x.size())
    return x, y


class ParameterRegression(nn.Module):
    """Part 1's model (the blog calls it SquareRegression): y = x·a + b with hand-declared parameters."""

    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(1, 1), requires_grad=True)
        self.b = nn.Parameter(torch.randn(1, 1), requires_grad=True)

    def forward(self, x_):
        _t = x_.mm(self.a)
        return _t + self.b.expand_as(_t)


class LayerRegression(nn.Module):
    """Part 2's model: the same line as ``nn.Linear(1, 1)``."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x_):
        return self.linear(x_)


class _Blog004(Scene):
    source = "004 深度学习 demo1 线性回归"
    defaults = Defaults(lr=1e-3, steps=20000, fps=20)
    model_class = nn.Module
    truth_label = "true line y = 3x + 10"
    loss_name = "MSE loss"
    step_name = "epoch"

    def build(self, lr: float) -> Setup:
        x, y = make_data()
        model = self.model_class()
        criterion = nn.MSELoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        return Setup(
            model=model,
            loss=lambda: criterion(model(x), y),
            optimizer=optimizer,
            observe=Curve(torch.linspace(-2.7, 12.7, 32), truth=lambda grid: 3 * grid + 10),
            points=(x, y),
        )


@register
class LinearParam(_Blog004):
    name = "linear-param"
    title = "Linear regression with nn.Parameter a, b"
    summary = "two nn.Parameter 1×1 matrices a, b fit y = 3x + 10 + noise with SGD (20000 epochs)"
    source = _Blog004.source + " (part 1: nn.Parameter)"
    model_class = ParameterRegression
    equation = LinearEquation(slope="a", intercept="b")


@register
class LinearLayer(_Blog004):
    name = "linear-layer"
    title = "Linear regression with nn.Linear, 20000 epochs"
    summary = "the same data and training as linear-param, with nn.Linear(1, 1) as the model"
    source = _Blog004.source + " (part 2: nn.Linear)"
    model_class = LayerRegression
    equation = LinearEquation(slope="linear.weight", intercept="linear.bias", slope_label="weight w",
                              intercept_label="bias b")
