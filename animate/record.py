"""The recorder: copies a model's state out as plain numbers at chosen steps of training.

It works as a :class:`~animate.loop.Callback` for :func:`~animate.loop.fit` and just as well inside
anyone's own loop::

    recorder = Recorder(model, Curve(torch.linspace(-3, 3, 100)))   # about 200 frames where it moves
    for step in range(500):
        loss = loss_fn(model(x), y)
        recorder.step(step, loss)          # before optimizer.step(): picture and loss agree
        optimizer.zero_grad(); loss.backward(); optimizer.step()
    recorder.finish(500, loss_fn(model(x), y))
    trace = recorder.trace(points=(x, y), title="My model")
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Optional, Sequence

import numpy as np
import torch

from .errors import AnimateError
from .loop import Callback
from .meta import TraceMeta, as_meta
from .observe import to_numpy
from .options import DEFAULT_FRAMES
from .schedule import EveryN, FrameBudget, Snapshot
from .trace import Trace


class Recorder(Callback):
    """Snapshots ``model`` during training: the first step, the final step, and a schedule between.

    ``model`` is an ``nn.Module`` or a mapping of names to tensors (hand-made parameters).
    ``observe`` (a :class:`~animate.observe.Curve`, :class:`~animate.observe.Boundary`, or any object
    with ``painter``, ``static()`` and ``__call__(model)``) says what to draw; without one only the loss
    and parameters are kept. The schedule is ``every=N`` (every N-th step) or ``frames=K`` (about K
    frames where the picture changes; the default, with K = 200).
    """

    def __init__(self, model, observe=None, every: Optional[int] = None, frames: Optional[int] = None):
        if every is not None and frames is not None:
            raise AnimateError(f"give every ({every}) or frames ({frames}), not both")
        self.schedule = EveryN(every) if every is not None else FrameBudget(frames or DEFAULT_FRAMES)
        self.model = model
        self.observe = observe
        self.snapshots: list[Snapshot] = []
        self._last_loss = None
        self._last_scalars = {}
        self._not_finite = None  # (step, loss) of the first loss seen that was not finite

    def __len__(self) -> int:
        return len(self.snapshots)

    def due(self, step: int) -> bool:
        """Whether :meth:`step` would take a snapshot at ``step``."""
        return self.schedule.due(step, self.snapshots)

    def step(self, step: int, loss, **scalars) -> bool:
        """Call once per training step; returns whether a snapshot was taken.

        Call it after computing the loss and before ``optimizer.step()``, so that the picture and the
        loss of a frame belong to the same parameters. Nothing is computed on steps not taken, and a
        step whose loss is not finite (a diverged run) is never drawn. Keyword arguments are named
        scalars to keep with the snapshot (``accuracy=acc``): numbers, or tensors read only when kept.
        """
        self._last_loss, self._last_scalars = loss, scalars
        if not self.due(step):
            return False
        if not _finite(loss):
            self._note_not_finite(step, loss)
            return False
        self.schedule.keep(self.snapshots, self._snapshot(int(step), loss, scalars))
        return True

    def finish(self, step: int, loss=None, **scalars) -> None:
        """Record the final model as ``step`` (unless its loss is not finite). Without ``loss`` (or
        scalars), the last ones seen by :meth:`step` are used."""
        loss = self._last_loss if loss is None else loss
        scalars = scalars or self._last_scalars
        if loss is None:
            raise AnimateError("finish() needs a loss: pass the final loss or call step() first")
        if self.snapshots and step < self.snapshots[-1].step:
            raise AnimateError(f"finish step {step} comes before the recorded step {self.snapshots[-1].step}")
        if not _finite(loss):
            self._note_not_finite(step, loss)
            # A diverged model has nothing sensible to draw: the last finite snapshot ends the trace.
            self.snapshots[:] = self.schedule.select(self.snapshots)
            return
        if self.snapshots and step == self.snapshots[-1].step:
            self.snapshots.pop()  # the final state replaces a snapshot taken earlier in the same step
        self.schedule.keep(self.snapshots, self._snapshot(int(step), loss, scalars))
        self.snapshots[:] = self.schedule.select(self.snapshots)

    # Callback hooks, so the recorder can ride along in fit().
    def on_step(self, step: int, loss) -> None:
        self.step(step, loss)

    def on_fit_end(self, step: int, loss) -> None:
        self.finish(step, loss)

    def trace(self, points: Optional[Sequence] = None, meta: TraceMeta | Mapping[str, Any] | None = None,
              **more_meta) -> Trace:
        """The snapshots as a :class:`~animate.trace.Trace` (thinned to the schedule's frames).

        ``points`` is ``(x, y)`` or ``(x, y, labels)``: the training data to draw. ``meta`` (a
        :class:`~animate.meta.TraceMeta`) and keyword arguments (``title=``, ``xlabel=``, ``loss_name=``,
        ``equation=``: its field names) say how the picture is labelled; a name it does not have is an error.
        """
        snapshots = self.schedule.select(self.snapshots)
        if not snapshots and self._not_finite is not None:
            step, loss = self._not_finite
            raise AnimateError(f"the loss was not finite at step {step} ({loss}), so there is nothing to draw: "
                               "check the data, the model's starting values and the learning rate")
        if not snapshots:
            raise AnimateError("nothing was recorded: call step() at least once before trace()")
        static = dict(self.observe.static()) if self.observe is not None else {}
        static.update(_points_arrays(points))
        first = snapshots[0]
        names = sorted({name for s in snapshots for name in s.scalars})
        return Trace(
            painter=getattr(self.observe, "painter", "history"),
            steps=np.array([s.step for s in snapshots], dtype=np.int64),
            loss=np.array([s.loss for s in snapshots], dtype=np.float64),
            params={name: np.stack([s.params[name] for s in snapshots]) for name in first.params},
            outputs={name: np.stack([s.outputs[name] for s in snapshots]) for name in first.outputs},
            scalars={name: np.array([s.scalars.get(name, np.nan) for s in snapshots], dtype=np.float64)
                     for name in names},
            static=static,
            meta=as_meta(meta).with_words(more_meta),
        )

    def _note_not_finite(self, step: int, loss) -> None:
        if self._not_finite is None:
            self._not_finite = (int(step), _number(loss))

    def _snapshot(self, step: int, loss, scalars: dict) -> Snapshot:
        params = {name: to_numpy(tensor) for name, tensor in _named_tensors(self.model)}
        outputs = dict(self.observe(self.model)) if self.observe is not None else {}
        measured = getattr(self.observe, "scalars", None)  # an observer may measure scalars too (accuracy)
        if measured is not None:
            scalars = {**measured(self.model), **scalars}
        return Snapshot(step=step, loss=_number(loss), params=params, outputs=outputs,
                        scalars={name: _number(value) for name, value in scalars.items()})


def _number(value) -> float:
    return float(value.detach()) if isinstance(value, torch.Tensor) else float(value)


def _finite(loss) -> bool:
    return math.isfinite(_number(loss))


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
