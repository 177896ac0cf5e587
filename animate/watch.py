"""The animation, logged where training is watched: TensorBoard and Weights & Biases.

    animate.log_tensorboard(trace, "runs/exp1", tag="fit")          # or a SummaryWriter
    animate.log_wandb(trace, key="fit")                              # into the active wandb run

TensorBoard gets an image summary that holds the GIF itself (its image dashboard plays GIFs; no moviepy
needed). W&B gets a ``wandb.Video`` of the GIF. Both take a :class:`~animate.trace.Trace`, the path of a
saved trace (``.npz``), or the path of an animation already written (``.gif``; for W&B also ``.mp4`` and
``.webm``). Optional extras: ``pip install "animate[tensorboard]"`` / ``"animate[wandb]"``.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional, Union

from .errors import AnimateError
from .options import RenderOptions
from .trace import Trace

ANIMATIONS = (".gif", ".mp4", ".webm")


@contextmanager
def animation_file(source: Union[Trace, str, Path], suffix: str = ".gif",
                   options: RenderOptions = RenderOptions()) -> Iterator[Path]:
    """The animation of ``source`` as a file: ``source`` itself when it is one, else rendered to a temporary
    file (removed afterwards)."""
    if isinstance(source, (str, Path)) and Path(source).suffix.lower() in ANIMATIONS:
        path = Path(source)
        if not path.is_file():
            raise AnimateError(f"animation {str(path)!r} does not exist")
        yield path
        return
    from .api import render

    with tempfile.TemporaryDirectory(prefix="animate-log-") as folder:
        path = Path(folder) / f"animation{suffix}"
        render(source, path, options)
        yield path


def log_tensorboard(source: Union[Trace, str, Path], writer, tag: str = "animate", step: Optional[int] = None,
                    options: RenderOptions = RenderOptions()) -> None:
    """Put the animation of ``source`` into TensorBoard as the image ``tag`` at ``step``.

    ``writer`` is a ``torch.utils.tensorboard.SummaryWriter`` (or tensorboardX's), or a log folder (a writer is
    opened there and closed again)."""
    try:
        from tensorboard.compat.proto.summary_pb2 import Summary
    except ImportError:
        raise AnimateError('logging to TensorBoard needs tensorboard: pip install "animate[tensorboard]"') from None
    with animation_file(source, ".gif", options) as path:
        if path.suffix.lower() != ".gif":
            raise AnimateError(f"TensorBoard plays GIFs in its image dashboard: give a .gif, not {str(path)!r}")
        data = path.read_bytes()
        from PIL import Image

        with Image.open(path) as image:
            width, height = image.size
    summary = Summary(value=[Summary.Value(tag=tag, image=Summary.Image(
        height=height, width=width, colorspace=3, encoded_image_string=data))])
    if isinstance(writer, (str, Path)):
        from torch.utils.tensorboard import SummaryWriter

        opened = SummaryWriter(str(writer))
        try:
            opened._get_file_writer().add_summary(summary, step)
        finally:
            opened.close()
        return
    file_writer = writer._get_file_writer() if hasattr(writer, "_get_file_writer") else getattr(writer, "file_writer", None)
    if file_writer is None:
        raise AnimateError(f"cannot log to {writer!r}: give a SummaryWriter or a log folder")
    file_writer.add_summary(summary, step)
    writer.flush()


def log_wandb(source: Union[Trace, str, Path], run=None, key: str = "animation", step: Optional[int] = None,
              suffix: str = ".gif", options: RenderOptions = RenderOptions()) -> None:
    """Log the animation of ``source`` to a W&B run (the active one, ``wandb.run``, unless ``run`` is given) as a
    ``wandb.Video`` under ``key``; ``suffix`` picks the format rendered (``.gif``, ``.mp4`` or ``.webm``)."""
    try:
        import wandb
    except ImportError:
        raise AnimateError('logging to W&B needs wandb: pip install "animate[wandb]"') from None
    run = run if run is not None else wandb.run
    if run is None:
        raise AnimateError("no W&B run to log to: call wandb.init() first, or pass run=")
    if suffix not in ANIMATIONS:
        raise AnimateError(f"W&B plays {', '.join(ANIMATIONS)}: not {suffix!r}")
    with animation_file(source, suffix, options) as path:
        video = wandb.Video(str(path), format=path.suffix.lower().lstrip("."))
        run.log({key: video}, step=step)  # wandb copies the file into the run now
