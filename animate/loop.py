"""One explicit training loop, in the shape of a plain PyTorch loop, with callback hooks.

The loop is the blogs' loop: compute the loss, clear gradients, backpropagate, update, and stop early
when the loss falls below a threshold. Callbacks (the recorder, a progress bar) see every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Optional

import torch


class Callback:
    """Hooks that :func:`fit` calls by name; override the ones you need.

    ``on_step(step, loss)`` sees the model as it was when ``loss`` was computed, before that step's
    update. ``on_fit_end(step, loss)`` sees the final model after ``step`` updates and its loss.
    """

    def on_fit_start(self, max_steps: int) -> None:
        """Training is about to run for at most ``max_steps`` updates."""

    def on_step(self, step: int, loss: torch.Tensor) -> None:
        """Step ``step`` computed ``loss``; the update has not been applied yet."""

    def on_interrupt(self, step: int) -> None:
        """Ctrl-C ended training at ``step``; ``on_fit_end`` follows."""

    def on_fit_end(self, step: int, loss: torch.Tensor) -> None:
        """Training ended after ``step`` updates; ``loss`` is the final model's loss."""


@dataclass(frozen=True)
class FitResult:
    """How a run ended: updates applied, the final loss, and why it ended before ``max_steps``.

    ``stopped_early``: the stopping rule fired. ``diverged``: the loss at step ``steps`` was not finite,
    so training stopped there without updating. ``interrupted``: Ctrl-C ended training.
    """

    steps: int
    loss: float
    stopped_early: bool = False
    diverged: bool = False
    interrupted: bool = False


def fit(
    loss_fn: Callable[[], torch.Tensor],
    optimizer,
    max_steps: int,
    stop_below: Optional[float] = None,
    callbacks: Iterable[Callback] = (),
) -> FitResult:
    """Train for at most ``max_steps`` updates; stop after the update whose loss is below ``stop_below``.

    ``loss_fn()`` computes one step's loss (drawing a fresh batch if the example does);
    ``optimizer`` is anything with ``zero_grad()`` and ``step()``, a ``torch.optim`` optimiser or a
    hand-written update. Training also ends at the first loss that is not finite (the run diverged)
    and at Ctrl-C; the result says which.
    """
    callbacks = list(callbacks)
    _dispatch(callbacks, "on_fit_start", max_steps)
    step, stopped, diverged, interrupted = 0, False, False, False
    try:
        while step < max_steps:
            loss = loss_fn()
            if not bool(torch.isfinite(loss.detach()).all()):
                diverged = True  # nothing sensible to draw or to update from: end here
                break
            _dispatch(callbacks, "on_step", step, loss)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            # Compare as a tensor, in the loss's own precision, as the blogs' `loss.data.numpy() < t` does.
            if stop_below is not None and bool(loss.detach() < stop_below):
                stopped = True
                break
    except KeyboardInterrupt:
        # Ctrl-C ends training, not the run: what was recorded is still worth rendering. A second
        # Ctrl-C (from here on) propagates as usual.
        interrupted = True
        _dispatch(callbacks, "on_interrupt", step)
    if diverged:
        final_loss = loss.detach()
    else:
        with torch.no_grad():
            final_loss = loss_fn()
    _dispatch(callbacks, "on_fit_end", step, final_loss)
    return FitResult(steps=step, loss=float(final_loss), stopped_early=stopped, diverged=diverged,
                     interrupted=interrupted)


def _dispatch(callbacks: list, hook: str, *args) -> None:
    for callback in callbacks:
        method = getattr(callback, hook, None)
        if method is not None:
            method(*args)
