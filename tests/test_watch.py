"""The animation logged where training is watched: a real TensorBoard event file read back with tensorboard's
own reader, a W&B run in offline mode read back from its files, and the Lightning callback's log_to. No network."""

import glob
import os

import pytest
import torch

import animate
from animate.errors import AnimateError
from animate.options import RenderOptions

OPTIONS = RenderOptions(size=(320, 240), dpi=50, motion="steps", captions=False)


def events(logdir, tag):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    accumulator = EventAccumulator(str(logdir), size_guidance={"images": 0})
    accumulator.Reload()
    return accumulator.Images(tag)


@pytest.mark.slow
def test_tensorboard_gets_the_gif_itself(tmp_path, linear_trace):
    pytest.importorskip("tensorboard", reason="the tensorboard extra is not installed")
    expected = animate.render(linear_trace, tmp_path / "expected.gif", OPTIONS)
    animate.log_tensorboard(linear_trace, tmp_path / "runs", tag="fit", step=7, options=OPTIONS)
    (image,) = events(tmp_path / "runs", "fit")
    data = (tmp_path / "expected.gif").read_bytes()
    # The same animation (its provenance comment aside: the API render keeps the same one)
    assert image.encoded_image_string == data and image.step == 7
    assert (image.width, image.height) == (320, 240) and expected.frames == len(linear_trace)
    # A SummaryWriter of the user's, and a GIF already written
    from torch.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(str(tmp_path / "mine"))
    animate.log_tensorboard(tmp_path / "expected.gif", writer, tag="again", step=1)
    writer.close()
    assert events(tmp_path / "mine", "again")[0].encoded_image_string == data


def test_tensorboard_takes_only_gifs_and_real_writers(tmp_path):
    pytest.importorskip("tensorboard", reason="the tensorboard extra is not installed")
    (tmp_path / "a.mp4").write_bytes(b"x")
    with pytest.raises(AnimateError, match="TensorBoard plays GIFs"):
        animate.log_tensorboard(tmp_path / "a.mp4", tmp_path)
    with pytest.raises(AnimateError, match="does not exist"):
        animate.log_tensorboard(tmp_path / "missing.gif", tmp_path)


@pytest.mark.slow
def test_wandb_offline_gets_the_video_file(tmp_path, linear_trace, monkeypatch):
    wandb = pytest.importorskip("wandb", reason="the wandb extra is not installed")
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    animate.render(linear_trace, tmp_path / "expected.gif", OPTIONS)
    run = wandb.init(mode="offline", dir=str(tmp_path), project="animate-test")
    try:
        animate.log_wandb(linear_trace, key="fit", options=OPTIONS)
    finally:
        run.finish()
    (logged,) = glob.glob(os.path.join(tmp_path, "wandb", "offline-run-*", "files", "media", "videos", "fit_*.gif"))
    with open(logged, "rb") as file:
        assert file.read() == (tmp_path / "expected.gif").read_bytes()


def test_wandb_needs_a_run():
    wandb = pytest.importorskip("wandb", reason="the wandb extra is not installed")
    assert wandb.run is None
    with pytest.raises(AnimateError, match=r"no W&B run to log to: call wandb.init\(\) first"):
        animate.log_wandb("x.gif")


@pytest.mark.slow
def test_the_lightning_callback_logs_to_the_trainer_s_tensorboard(tmp_path):
    lightning = pytest.importorskip("lightning", reason="the lightning extra is not installed")
    pytest.importorskip("tensorboard", reason="the tensorboard extra is not installed")
    from animate.lightning import AnimateCallback

    torch.manual_seed(0)
    x = torch.linspace(-2, 2, 64).unsqueeze(1)
    y = 3 * x + 1

    class Line(lightning.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(1, 1)

        def training_step(self, batch, batch_idx):
            return torch.nn.functional.mse_loss(self.layer(batch[0]), batch[1])

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

        def forward(self, inputs):
            return self.layer(inputs)

    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
    callback = AnimateCallback(observe=animate.Curve(x_range=(-2, 2)), every=4, log_to="tensorboard", tag="fit",
                               points=(x, y), title="Lightning")
    logger = lightning.pytorch.loggers.TensorBoardLogger(str(tmp_path), name="run")
    trainer = lightning.Trainer(max_epochs=3, callbacks=[callback], logger=logger, enable_checkpointing=False,
                                enable_progress_bar=False, enable_model_summary=False, default_root_dir=tmp_path)
    trainer.fit(Line(), loader)
    (image,) = events(logger.log_dir, "fit")
    assert image.step == 12 and image.encoded_image_string[:6] == b"GIF89a" and image.width == 640
