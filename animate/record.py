"""The recorder: copies a model's state out as plain numbers at chosen steps of training.

It works as a :class:`~animate.fit.Callback` for :func:`~animate.fit.fit` and just as well inside
anyone's own loop::

    recorder = Recorder(model, Curve(torch.linspace(-3, 3, 100)), every=10)
    for step in range(500):
        loss = loss_fn(model(x), y)
        recorder.step(step, loss)          # before optimizer.step(): picture and loss agree
        optimizer.zero_grad(); loss.backward(); optimizer.step()
    recorder.finish(500, loss_fn(model(x), y))
    trace = recorder.trace(points=(x, y), title="My model")
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

import numpy as np
import torch

from .errors import AnimateError
from .fit import Callback
from .observe import to_numpy
from .trace import Trace


class Recorder(Callback):
    """Snapshots ``model`` at the first step, every ``every`` steps, and always at :meth:`finish`.

    ``model`` is an ``nn.Module`` or a mapping of names to tensors (hand-made parameters).
    ``observe`` (a :class:`~animate.observe.Curve`, :class:`~animate.observe.Boundary`, or any object
    with ``painter``, ``static()`` and ``__call__(model)``) says what to draw; without one only the loss
    and parameters are kept. Nothing is computed or synchronised on steps that are not recorded.
    """

    def __init__(self, model, observe=None, every: int = 1):
        if not isinstance(every, (int, np.integer)) or every < 1:
            raise AnimateError(f"every {every!r} is not valid: record every 1 or more steps")
        self.model = model
        self.observe = observe
        self.every = int(every)
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.params: dict[str, list[np.ndarray]] = {}
        self.outputs: dict[str, list[np.ndarray]] = {}
        self._last_loss: Optional[torch.Tensor] = None

    def __len__(self) -> int:
        return len(self.steps)

    def due(self, step: int) -> bool:
        """Whether :meth:`step` would record at ``step``: the first call, then multiples of ``every``."""
        return not self.steps or (step > self.steps[-1] and step % self.every == 0)

    def step(self, step: int, loss) -> bool:
        """Record ``step`` if it is due; return whether it did. Call once per training step."""
        self._last_loss = loss
        if not self.due(step):
            return False
        self._snapshot(int(step), loss)
        return True

    def finish(self, step: int, loss=None) -> None:
        """Record the final model as ``step`` (always). Without ``loss``, the last loss seen is used."""
        loss = self._last_loss if loss is None else loss
        if loss is None:
            raise AnimateError("finish() needs a loss: pass the final loss or call step() first")
        if self.steps and step < self.steps[-1]:
            raise AnimateError(f"finish step {step} comes before the recorded step {self.steps[-1]}")
        if self.steps and step == self.steps[-1]:
            self._drop_last()  # the final state replaces a snapshot taken earlier in the same step
        self._snapshot(int(step), loss)

    # Callback hooks, so the recorder can ride along in fit().
    def on_step(self, step: int, loss) -> None:
        self.step(step, loss)

    def on_fit_end(self, step: int, loss) -> None:
        self.finish(step, loss)

    def trace(self, points: Optional[Sequence] = None, meta: Optional[Mapping[str, Any]] = None,
              **more_meta) -> Trace:
        """The snapshots so far as a :class:`~animate.trace.Trace`.

        ``points`` is ``(x, y)`` or ``(x, y, labels)``: the training data to draw. ``meta`` and keyword
        arguments (``title=``, ``xlabel=``, ...) go into the trace's ``meta`` for the painter.
        """
        if not self.steps:
            raise AnimateError("nothing was recorded: call step() at least once before trace()")
        static = dict(self.observe.static()) if self.observe is not None else {}
        static.update(_points_arrays(points))
        return Trace(
            painter=getattr(self.observe, "painter", "loss"),
            steps=np.asarray(self.steps, dtype=np.int64),
            loss=np.asarray(self.losses, dtype=np.float64),
            params={name: np.stack(values) for name, values in self.params.items()},
            outputs={name: np.stack(values) for name, values in self.outputs.items()},
            static=static,
            meta={**(meta or {}), **more_meta},
        )

    def _snapshot(self, step: int, loss) -> None:
        self.steps.append(step)
        self.losses.append(float(loss.detach()) if isinstance(loss, torch.Tensor) else float(loss))
        for name, tensor in _named_tensors(self.model):
            self.params.setdefault(name, []).append(to_numpy(tensor))
        if self.observe is not None:
            for name, values in self.observe(self.model).items():
                self.outputs.setdefault(name, []).append(values)

    def _drop_last(self) -> None:
        self.steps.pop()
        self.losses.pop()
        for series in (*self.params.values(), *self.outputs.values()):
            series.pop()


def _named_tensors(model):
    if isinstance(model, Mapping):
        return model.items()
    return model.named_parameters()


def _points_arrays(points) -> dict[str, np.ndarray]:
    if points is None:
        return {}
    if len(points) not in (2, 3):
        raise AnimateError(f"points must be (x, y) or (x, y, labels), got {len(points)} arrays")
    names = ("points_x", "points_y", "points_label")
    return {
        name: (to_numpy(values) if isinstance(values, torch.Tensor) else np.asarray(values)).reshape(-1)
        for name, values in zip(names, points)
    }
