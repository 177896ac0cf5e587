"""The three-arm spiral of CS231n's "Minimal Neural Network Case Study", the classic first multiclass example.

Data: K = 3 arms of N = 100 points each; arm j has radius r = linspace(0, 1, N) and angle
t = linspace(4j, 4(j + 1), N) + 0.2·randn(N), and its points are (r·sin t, r·cos t). The network has one
hidden layer of h = 100 ReLU units: W = 0.01·randn(2, h), b = 0, W2 = 0.01·randn(h, K), b2 = 0. The loss is
the mean softmax cross-entropy plus 0.5·reg·(ΣW² + ΣW2²) with reg = 1e-3, minimised by plain gradient steps
of size 1.0 on the whole data for 10,000 iterations (the course prints the loss every 1,000 and reaches
about 98% training accuracy). Written with torch in place of NumPy, in the course's order of draws.
"""

import torch
import torch.nn.functional as F

from animate.observe import Regions
from animate.optimizers import HandWrittenStep
from animate.scene import Defaults, Scene, Setup, register

POINTS, ARMS, HIDDEN, REG = 100, 3, 100, 1e-3


def spiral_data(points: int = POINTS, arms: int = ARMS) -> tuple:
    """The course's spiral: ``(xy, labels)``, arm by arm, the angle noise drawn per arm."""
    xy, labels = torch.zeros(points * arms, 2), torch.zeros(points * arms, dtype=torch.long)
    for arm in range(arms):
        rows = slice(points * arm, points * (arm + 1))
        radius = torch.linspace(0.0, 1, points)
        angle = torch.linspace(arm * 4, (arm + 1) * 4, points) + torch.randn(points) * 0.2
        xy[rows] = torch.stack([radius * torch.sin(angle), radius * torch.cos(angle)], dim=1)
        labels[rows] = arm
    return xy, labels


@register
class Spiral(Scene):
    name = "spiral"
    title = "Three spiral arms, one hidden layer"
    summary = "a 2-layer ReLU network (100 hidden) learns three spiral arms with softmax cross-entropy, step 1.0"
    source = "CS231n: Minimal Neural Network Case Study (spiral data)"
    defaults = Defaults(lr=1.0, steps=10_000, fps=20, frames=150)
    loss_name = "softmax loss + L2"
    class_names = ("arm 0", "arm 1", "arm 2")

    def build(self, lr: float) -> Setup:
        xy, labels = spiral_data()
        W = 0.01 * torch.randn(2, HIDDEN)
        b = torch.zeros(1, HIDDEN)
        W2 = 0.01 * torch.randn(HIDDEN, ARMS)
        b2 = torch.zeros(1, ARMS)
        for tensor in (W, b, W2, b2):
            tensor.requires_grad_(True)

        def scores(points):
            return F.relu(points @ W + b) @ W2 + b2

        def loss():
            return F.cross_entropy(scores(xy), labels) + 0.5 * REG * ((W * W).sum() + (W2 * W2).sum())

        return Setup(
            model={"W": W, "b": b, "W2": W2, "b2": b2},
            loss=loss,
            optimizer=HandWrittenStep([W, b, W2, b2], lr),
            observe=Regions((-1.15, 1.15), (-1.15, 1.15), predict=lambda points: torch.softmax(scores(points), dim=1),
                            classes=ARMS, accuracy_on=(xy, labels)),
            points=(xy[:, 0], xy[:, 1], labels),
        )
