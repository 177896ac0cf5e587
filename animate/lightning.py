"""A PyTorch Lightning callback that records a LightningModule while ``trainer.fit`` runs.

Needs the optional extra: ``pip install "animate[lightning]"``.

    recorder = AnimateCallback(observe=animate.Curve(x_range=(-3, 3)))
    trainer = lightning.Trainer(max_epochs=50, callbacks=[recorder])
    trainer.fit(module, loader)
    animate.render(recorder.trace(points=(x, y), title="My module"), "module.gif")

Each snapshot pairs the loss a training step returned with the module as it is after that step's
update (Lightning gives callbacks the loss only once the step is done); its step number is the
optimiser steps taken so far, so the first snapshot is step 1.
"""

from __future__ import annotations

from typing import Optional

from .errors import AnimateError
from .record import Recorder

try:
    from lightning.pytorch.callbacks import Callback as _LightningCallback
except ImportError:  # the older package name
    try:
        from pytorch_lightning.callbacks import Callback as _LightningCallback
    except ImportError:
        raise AnimateError('the Lightning callback needs Lightning: pip install "animate[lightning]"') from None


class AnimateCallback(_LightningCallback):
    """Records the module during ``trainer.fit``: ``every`` N steps or about ``frames`` frames (the default)."""

    def __init__(self, observe=None, every: Optional[int] = None, frames: Optional[int] = None):
        super().__init__()
        self.observe, self.every, self.frames = observe, every, frames
        self.recorder: Optional[Recorder] = None

    def on_train_start(self, trainer, pl_module) -> None:
        self.recorder = Recorder(pl_module, self.observe, every=self.every, frames=self.frames)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        loss = outputs.get("loss") if isinstance(outputs, dict) else outputs
        if loss is not None:
            self.recorder.step(trainer.global_step, loss)

    def on_train_end(self, trainer, pl_module) -> None:
        if self.recorder is not None and len(self.recorder):
            self.recorder.finish(trainer.global_step)

    def trace(self, points=None, meta=None, **more_meta):
        """The recorded run as a trace (see :meth:`animate.record.Recorder.trace`)."""
        if self.recorder is None:
            raise AnimateError("nothing was recorded: pass this callback to a Trainer and call fit() first")
        return self.recorder.trace(points=points, meta=meta, **more_meta)
