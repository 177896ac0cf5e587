"""How parameters are updated: the optimisers a run can choose by name, and a hand-written step.

Naming an optimiser (``--optimizer adam``) replaces a scene's own update, so that runs can be
compared. The names are declared here once; torch is imported only when one is made, so the command
line can list the names without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Optimizer:
    """An optimiser a user can ask for by name: its label on a frame, and how to make it."""

    label: str
    make: Callable  # make(params, lr)


def _sgd(params, lr):
    import torch

    return torch.optim.SGD(params, lr=lr)


def _momentum(params, lr):
    import torch

    return torch.optim.SGD(params, lr=lr, momentum=0.9)


def _adam(params, lr):
    import torch

    return torch.optim.Adam(params, lr=lr)


OPTIMIZERS = {
    "sgd": Optimizer("SGD", _sgd),
    "momentum": Optimizer("SGD + momentum 0.9", _momentum),
    "adam": Optimizer("Adam", _adam),
}


def make_optimizer(name: str, model, lr: float):
    """Optimiser ``name`` (a key of ``OPTIMIZERS``) over the model's parameters (a module's or a dict's)."""
    params = list(model.values()) if isinstance(model, dict) else list(model.parameters())
    return OPTIMIZERS[name].make(params, lr)


class HandWrittenStep:
    """``p -= lr * p.grad`` for each tensor, with the optimiser interface :func:`~animate.loop.fit` uses.

    The update the blogs that teach autograd write out by hand. ``clear_gradients=False`` reproduces
    blog code that never zeroes ``.grad``: backward() then adds each new gradient to the old ones, so
    every update uses the sum of all gradients so far.
    """

    def __init__(self, params, lr: float, clear_gradients: bool = True):
        self.params = list(params)
        self.lr = lr
        self.clear_gradients = clear_gradients

    def zero_grad(self) -> None:
        if self.clear_gradients:
            for tensor in self.params:
                tensor.grad = None

    def step(self) -> None:
        import torch

        with torch.no_grad():
            for tensor in self.params:
                tensor.sub_(self.lr * tensor.grad)
