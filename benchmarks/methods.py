"""The ways of animating the same trace that the benchmark compares, each run in its own process.

    python benchmarks/methods.py make METHOD TRACE FRAMES OUT      # prints {"seconds": ...}
    python benchmarks/methods.py quality METHOD TRACE FRAMES OUT   # prints {"psnr_mean": ...}

``make`` times one method from a loaded trace to a finished file (imports and loading excluded, the
same for every method). ``quality`` draws the same frames again without encoding them and compares
them with the decoded file. Methods: ``animate`` (our renderer and writer, as the CLI uses them),
``funcanimation`` (FuncAnimation updating artists, saved with PillowWriter for GIF or FFMpegWriter
for MP4), ``savefig`` (the blogs' way: redraw, savefig a PNG per frame, then imageio.mimsave), and
``celluloid`` (Camera.snap() per frame, saved with PillowWriter).
"""

import io
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

FPS = 20
# H.264 settings for both MP4 writers: what animate's writer uses.
X264 = ["-pix_fmt", "yuv420p", "-preset", "medium", "-crf", "20", "-movflags", "+faststart"]


def load(trace_path, frames):
    """The trace, thinned to ``frames`` snapshots spread evenly over the run."""
    from animate.trace import Trace

    full = Trace.load(trace_path)
    keep = np.linspace(0, len(full) - 1, frames).round().astype(int)
    return Trace(painter=full.painter, steps=full.steps[keep], loss=full.loss[keep],
                 params={k: v[keep] for k, v in full.params.items()},
                 outputs={k: v[keep] for k, v in full.outputs.items()}, static=full.static, meta=full.meta)


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import imageio_ffmpeg
    import matplotlib.pyplot as plt

    matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()  # no system ffmpeg here
    return plt


def movie_writer(out):
    from matplotlib.animation import FFMpegWriter, PillowWriter

    if out.suffix == ".gif":
        return PillowWriter(fps=FPS)
    return FFMpegWriter(fps=FPS, codec="libx264", extra_args=X264)


# ---- make: one output file per method --------------------------------------------------------------
def make_animate(trace, out):
    from animate.options import RenderOptions
    from animate.api import render

    render(trace, out, RenderOptions(fps=FPS))


def make_funcanimation(trace, out):
    from matplotlib.animation import FuncAnimation

    from userplot import UpdatingFigure

    figure = UpdatingFigure(pyplot(), trace)
    animation = FuncAnimation(figure.figure, figure.update, frames=len(trace), interval=1000 / FPS)
    animation.save(out, writer=movie_writer(out))


def make_savefig(trace, out):
    import imageio.v2 as imageio

    with tempfile.TemporaryDirectory() as folder:
        names = [f"{folder}/{i:05d}.png" for i in range(len(trace))]
        for figure, i in savefig_frames(pyplot(), trace):
            figure.savefig(names[i])
        imageio.mimsave(out, [imageio.imread(name) for name in names], duration=1000 / FPS, loop=0)


def make_celluloid(trace, out):
    celluloid_animation(pyplot(), trace).save(out, writer=movie_writer(out))


def savefig_frames(plt, trace):
    """The blogs' way: clear the axes and draw everything again for each frame; yields (figure, i)."""
    from userplot import draw_everything

    figure, ax, loss_ax = two_panels(plt)
    draw_everything(ax, trace, 0, loss_ax)
    figure.tight_layout()  # once, as for the other alternatives
    for i in range(len(trace)):
        ax.cla()
        loss_ax.cla()
        draw_everything(ax, trace, i, loss_ax)
        yield figure, i


def celluloid_animation(plt, trace):
    """Every frame drawn anew and snapped by celluloid's Camera; returns the animation to save."""
    from celluloid import Camera

    from userplot import CMAP, draw_everything

    figure, ax, loss_ax = two_panels(plt)
    colourbar = figure.axes[-1]
    draw_everything(ax, trace, 0, loss_ax)
    figure.tight_layout()  # once, as for the other alternatives
    ax.cla()
    loss_ax.cla()
    camera = Camera(figure)
    for i in range(len(trace)):
        draw_everything(ax, trace, i, loss_ax)
        # celluloid shows an artist only in the snap that first saw it: the colour bar is redrawn too
        colourbar.imshow(np.linspace(0, 1, 256)[:, None], aspect="auto", origin="lower", cmap=CMAP, extent=(0, 1, 0, 1))
        camera.snap()
    return camera.animate(interval=1000 / FPS)


def two_panels(plt):
    """The main axes with its colour bar, and the loss axes beside them, as animate lays them out."""
    from userplot import CMAP, loss_axes

    figure = plt.figure(figsize=(6.4, 4.8), dpi=100)
    grid = figure.add_gridspec(1, 2, width_ratios=[1.55, 1])
    ax = figure.add_subplot(grid[0])
    loss_ax = loss_axes(figure, grid[1])
    figure.colorbar(plt.cm.ScalarMappable(cmap=CMAP), ax=ax, label="P(class 1)")
    return figure, ax, loss_ax


# ---- quality: the same frames, lossless, for PSNR ---------------------------------------------------
class RawFrames:
    """A matplotlib movie writer that hands each frame's pixels to a callback instead of a file."""

    def __init__(self, callback):
        from matplotlib.animation import AbstractMovieWriter

        class Writer(AbstractMovieWriter):
            def setup(self, fig, outfile, dpi=None):
                super().setup(fig, outfile, dpi)

            def grab_frame(self, **savefig_kwargs):
                buffer = io.BytesIO()
                self.fig.savefig(buffer, format="rgba", dpi=self.dpi)  # as PillowWriter grabs
                width, height = self.fig.canvas.get_width_height(physical=True)
                callback(np.frombuffer(buffer.getbuffer(), np.uint8).reshape(height, width, 4)[:, :, :3])

            def finish(self):
                pass

        self.writer = Writer(fps=FPS)


def lossless_frames(method, trace):
    """Yield the frames ``method`` draws for ``trace``, before any encoder touches them."""
    if method == "animate":
        from animate.options import RenderOptions
        from animate.drawing import Renderer

        yield from Renderer(trace, RenderOptions(fps=FPS)).frames(range(len(trace)))
        return
    frames = []
    grab = RawFrames(frames.append).writer
    plt = pyplot()
    if method == "funcanimation":
        from matplotlib.animation import FuncAnimation

        from userplot import UpdatingFigure

        figure = UpdatingFigure(plt, trace)
        FuncAnimation(figure.figure, figure.update, frames=len(trace)).save("unused.raw", writer=grab)
    elif method == "savefig":
        from PIL import Image

        for figure, _ in savefig_frames(plt, trace):
            png = io.BytesIO()
            figure.savefig(png, format="png")  # the loop's own frames are lossless PNGs
            frames.append(np.asarray(Image.open(png).convert("RGB")))
    elif method == "celluloid":
        celluloid_animation(plt, trace).save("unused.raw", writer=grab)
    yield from frames


# What each method imports, done before the clock starts so that only the work is timed.
IMPORTS = {
    "animate": ["animate.api", "animate.options"],
    "funcanimation": ["matplotlib.pyplot", "matplotlib.animation", "userplot"],
    "savefig": ["matplotlib.pyplot", "imageio.v2", "userplot"],
    "celluloid": ["matplotlib.pyplot", "matplotlib.animation", "celluloid", "userplot"],
}


def main(argv):
    mode, method, trace_path, frames, out = argv[1], argv[2], argv[3], int(argv[4]), Path(argv[5])
    trace = load(trace_path, frames)
    if mode == "make":
        import importlib

        if method != "animate":
            pyplot()
        for module in IMPORTS[method]:
            importlib.import_module(module)
        started = time.perf_counter()
        globals()[f"make_{method}"](trace, out)
        print(json.dumps({"seconds": time.perf_counter() - started}))
    else:
        from measure import gif_frames, mp4_frames, psnr

        decoded = gif_frames(out, FPS) if out.suffix == ".gif" else mp4_frames(out)
        scores = [psnr(a[:, :, :3], b) for a, b in zip(lossless_frames(method, trace), decoded)]
        print(json.dumps({"psnr_mean": float(np.mean(scores)), "psnr_min": float(np.min(scores)),
                          "compared": len(scores)}))


if __name__ == "__main__":
    main(sys.argv)
