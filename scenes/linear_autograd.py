"""Blog 001 part 1, "pytorch 基础用法：线性回归": linear regression with hand-made tensors and autograd.

20 points with x ~ U[0, 10] and y = 2x + 5 + N(0, 1); ``w`` starts from N(0, 1) and ``b`` at 0, both
plain tensors with ``requires_grad``. The loss is half the mean squared error, backward() fills the
gradients and the update is written by hand (``w -= lr * w.grad`` under no_grad). Training stops once
the loss is below 1, at most 1000 iterations. The blog seeds torch with 10 (``--seed 10``).

Two fixes, as the seeds README lists them. The blog never zeroes the gradients, so they pile up; the
scene zeroes them after each update. With zeroed gradients the blog's lr 0.1 diverges on this data
(the loss curvature is about mean(x²) ≈ 33, and 0.1 × 33 > 2), so the default is lr 0.01, which
converges in a few hundred iterations; ``--lr 0.1`` still shows the divergence.
"""

import torch

from animate.meta import LinearEquation
from animate.observe import Curve
from animate.scene import Defaults, Scene, Setup, register
from animate.optimizers import HandWrittenStep


@register
class LinearAutograd(Scene):
    name = "linear-autograd"
    title = "Linear regression by hand: autograd and w −= lr·grad"
    summary = ("hand-made w, b with autograd and a hand-written update fit y = 2x + 5; "
               "lr 0.01, not the blog's 0.1 (which diverges once gradients are zeroed)")
    source = "001 pytorch 基础用法 (part 1: 线性回归)"
    defaults = Defaults(lr=0.01, steps=1000, stop_below=1.0, fps=20)
    truth_label = "true line y = 2x + 5"
    loss_name = "loss (½ MSE)"
    equation = LinearEquation(slope="w", intercept="b")

    def build(self, lr: float) -> Setup:
        x = torch.rand(20, 1) * 10
        y = 2 * x + (5 + torch.randn(20, 1))

        w = torch.randn((1), requires_grad=True)
        b = torch.zeros((1), requires_grad=True)

        def loss():
            y_pred = torch.add(torch.mul(w, x), b)
            return (0.5 * (y - y_pred) ** 2).mean()

        return Setup(
            model={"w": w, "b": b},
            loss=loss,
            # The blog's update, b -= lr * b.grad then w -= lr * w.grad, with the gradients cleared.
            optimizer=HandWrittenStep([b, w], lr, clear_gradients=True),
            observe=Curve(torch.linspace(-0.5, 10.5, 23), predict=lambda grid: torch.add(torch.mul(w, grid), b),
                          truth=lambda grid: 2 * grid + 5),
            points=(x, y),
        )
