"""Blog 000, "Pytorch入门实战(1) - 实现线性回归": ``nn.Linear(1, 1)`` fits noisy points on y = 3x + 10.

The blog draws 100 points with x ~ U[0, 10] and y = 3x + 10 + 3·N(0, 1), builds the model after the
data (so the layer's random initialisation comes second), and runs plain SGD (lr 1e-3) on the MSE
loss for 10000 epochs over the whole data set.
"""

import torch

from animate.meta import LinearEquation
from animate.observe import Curve
from animate.scene import Defaults, Scene, Setup, register


class LinearRegression(torch.nn.Module):
    """The blog's model: a single linear layer, one input, one output."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(in_features=1, out_features=1, bias=True)

    def forward(self, x):
        return self.linear(x)


@register
class Linear(Scene):
    name = "linear"
    title = "Linear regression with nn.Linear"
    summary = "nn.Linear(1, 1) + SGD fits 100 noisy points on y = 3x + 10 (10000 epochs)"
    source = "000 Pytorch入门实战(1) - 实现线性回归"
    defaults = Defaults(lr=1e-3, steps=10000)
    truth_label = "true line y = 3x + 10"
    loss_name = "MSE loss"
    step_name = "epoch"
    equation = LinearEquation(slope="linear.weight", intercept="linear.bias", slope_label="weight w",
                              intercept_label="bias b")

    def build(self, lr: float) -> Setup:
        X = torch.rand(100, 1) * 10
        y = 3 * X + 10 + torch.randn(100, 1) * 3
        model = LinearRegression()
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        loss_function = torch.nn.MSELoss()
        return Setup(
            model=model,
            loss=lambda: loss_function(model(X), y),
            optimizer=optimizer,
            observe=Curve(torch.linspace(-0.5, 10.5, 23), truth=lambda x: 3 * x + 10),
            points=(X, y),
        )
