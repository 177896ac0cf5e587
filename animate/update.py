"""A gradient step written out by hand, as the blogs that teach autograd do."""

from __future__ import annotations

import torch


class HandWrittenStep:
    """``p -= lr * p.grad`` for each tensor, with the optimiser interface :func:`~animate.fit.fit` uses.

    ``clear_gradients=False`` reproduces blog code that never zeroes ``.grad``: backward() then adds each
    new gradient to the old ones, so every update uses the sum of all gradients so far.
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
        with torch.no_grad():
            for tensor in self.params:
                tensor.sub_(self.lr * tensor.grad)
