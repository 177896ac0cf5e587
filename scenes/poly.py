"""Blog 002, "使用Pytorch拟合多项式": polynomial regression as a linear layer on x, x², x³.

The target is y = 0.5x + 3x² + 2.4x³ + 0.9 with no noise. The model, ``nn.Linear(3, 1)``, is built
first; then every step draws a fresh batch of 32 x ~ N(0, 1), turns each into the features
(x, x², x³), and takes one SGD step (lr 1e-3) on the MSE loss. The blog loops until the loss is below
1e-3 with no other limit; the scene caps it at 100000 steps (it usually stops within a few thousand).

The points drawn are a fixed sample from the target, taken with a separate random generator so that
the training batches are exactly the blog's.
"""

import torch

from animate.meta import PolynomialEquation
from animate.observe import Curve
from animate.scene import Defaults, Scene, Setup, register

W_TARGET = torch.FloatTensor([0.5, 3, 2.4]).unsqueeze(1)
B_TARGET = torch.FloatTensor([0.9])
X_RANGE = (-2.0, 2.0)


def make_features(x):
    """Columns x, x², x³ for a vector x."""
    x = x.unsqueeze(1)
    return torch.cat([x**i for i in range(1, 4)], 1)


def f(x):
    """The target polynomial, on features."""
    return x.mm(W_TARGET) + B_TARGET[0]


def get_batch(batch_size=32):
    """A fresh batch: x ~ N(0, 1) as features, and the exact target."""
    random = torch.randn(batch_size)
    x = make_features(random)
    return x, f(x)


class PolyModel(torch.nn.Module):
    """The blog's model: one linear layer from the three features to y."""

    def __init__(self):
        super().__init__()
        self.poly = torch.nn.Linear(3, 1)

    def forward(self, x):
        return self.poly(x)


@register
class Poly(Scene):
    name = "poly"
    title = "Polynomial regression: nn.Linear on x, x², x³"
    summary = "nn.Linear(3, 1) on x, x², x³ learns 0.5x + 3x² + 2.4x³ + 0.9 from fresh random batches"
    source = "002 详解Pytorch 使用Pytorch拟合多项式"
    defaults = Defaults(lr=1e-3, steps=100_000, stop_below=1e-3, fps=20)
    truth_label = "target"
    loss_name = "MSE loss (this batch)"
    equation = PolynomialEquation(weights="poly.weight", bias="poly.bias", target=(0.5, 3, 2.4, 0.9))
    fresh_batches = True

    def build(self, lr: float) -> Setup:
        model = PolyModel()
        criterion = torch.nn.MSELoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)

        def loss():
            batch_x, batch_y = get_batch()
            return criterion(model(batch_x), batch_y)

        # Points to draw: a fixed sample of the target from its own generator (the global one is the
        # blog's and must draw exactly its batches), kept inside the plotted range.
        generator = torch.Generator().manual_seed(torch.initial_seed())
        shown = torch.randn(80, generator=generator)
        shown = shown[(shown >= X_RANGE[0]) & (shown <= X_RANGE[1])]
        return Setup(
            model=model,
            loss=loss,
            optimizer=optimizer,
            observe=Curve(torch.linspace(*X_RANGE, 161), predict=lambda grid: model(make_features(grid[:, 0])),
                          truth=lambda grid: f(make_features(grid[:, 0]))),
            points=(shown, f(make_features(shown))),
        )
