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

    def __init__(self, observe=None, every: Optional[int] = None, frames: Optional[int] = None, log_to=None,
                 tag: str = "animate", points=None, **meta):
        """``log_to`` puts the animation where the run is watched when fit ends: ``"tensorboard"`` or ``"wandb"``
        (the trainer's logger of that kind), a SummaryWriter or a TensorBoard log folder, or a wandb run; ``tag``
        names it there, ``points`` and ``meta`` go to :meth:`trace` for it."""
        super().__init__()
        self.observe, self.every, self.frames = observe, every, frames
        self.log_to, self.tag, self.points, self.meta = log_to, tag, points, meta
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

    def on_fit_end(self, trainer, pl_module) -> None:
        if self.log_to is None or self.recorder is None or not len(self.recorder):
            return
        from .watch import log_tensorboard, log_wandb

        trace = self.trace(points=self.points, **self.meta)
        target, step = self.log_to, trainer.global_step
        if target in ("tensorboard", "wandb"):
            kind = "TensorBoardLogger" if target == "tensorboard" else "WandbLogger"
            logger = next((one for one in trainer.loggers if type(one).__name__ == kind), None)
            if logger is None:
                raise AnimateError(f"log_to={target!r} needs a {kind} among the trainer's loggers")
            target = logger.experiment  # a SummaryWriter, or a wandb run
        if isinstance(target, (str, bytes)) or hasattr(target, "add_scalar") or hasattr(target, "__fspath__"):
            log_tensorboard(trace, target, tag=self.tag, step=step)
        elif hasattr(target, "log"):
            log_wandb(trace, target, key=self.tag, step=step)
        else:
            raise AnimateError(f"cannot log to {target!r}: give 'tensorboard', 'wandb', a SummaryWriter, a log folder "
                               "or a wandb run")

    def trace(self, points=None, meta=None, **more_meta):
        """The recorded run as a trace (see :meth:`animate.record.Recorder.trace`)."""
        if self.recorder is None:
            raise AnimateError("nothing was recorded: pass this callback to a Trainer and call fit() first")
        return self.recorder.trace(points=points, meta=meta, **more_meta)
