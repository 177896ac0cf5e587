"""Blog 003, "PyTorch实现回归网络": one hidden layer of 20 ReLU units fits a noisy parabola.

100 points on x = linspace(−1, 1) with y = x² + 0.2·U(0, 1). The network is Linear(1, 20), ReLU,
Linear(20, 1), built after the data. SGD with lr 0.1 on the MSE loss for 1000 epochs over the whole
data set; the blog redraws every 5 epochs.
"""

import torch
import torch.nn.functional as F

from animate.observe import Curve
from animate.scene import Defaults, Scene, Setup, register


class Net(torch.nn.Module):
    """The blog's network: a hidden layer of 20 units with ReLU, then a linear output."""

    def __init__(self, n_input, n_output):
        super().__init__()
        self.hidden = torch.nn.Linear(n_input, 20)
        self.output = torch.nn.Linear(20, n_output)

    def forward(self, x):
        x = F.relu(self.hidden(x))
        return self.output(x)


@register
class Mlp(Scene):
    name = "mlp"
    title = "A hidden layer of 20 ReLUs fits a parabola"
    summary = "Linear(1, 20) + ReLU + Linear(20, 1), SGD lr 0.1, fits y = x² + noise for 1000 epochs"
    source = "003 PyTorch实现回归网络"
    defaults = Defaults(lr=0.1, steps=1000, fps=20)
    truth_label = "E[y] = x² + 0.1"
    loss_name = "MSE loss"
    step_name = "epoch"

    def build(self, lr: float) -> Setup:
        x = torch.linspace(-1, 1, 100)
        x = torch.unsqueeze(x, dim=1)
        y = x.pow(2) + 0.2 * torch.rand(x.size())

        net = Net(n_input=1, n_output=1)
        optimizer = torch.optim.SGD(net.parameters(), lr=lr)
        loss_func = torch.nn.MSELoss()
        return Setup(
            model=net,
            loss=lambda: loss_func(net(x), y),
            optimizer=optimizer,
            observe=Curve(torch.linspace(-1.05, 1.05, 211), truth=lambda grid: grid.pow(2) + 0.1),
            points=(x, y),
        )
