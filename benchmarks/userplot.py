"""The logistic picture drawn the way a user of plain matplotlib would write it.

The alternatives in the benchmark draw the same content as animate's default picture of the logistic
scene: the shaded probability of class 1 with a colour bar, the two classes of points, the boundary
line, the equation and loss in a box, the iteration in the title, a legend, and beside it the loss
curve drawn up to the current step with the current point marked, in the same colours and sizes.
"""

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D

CMAP = LinearSegmentedColormap.from_list("class-shade", ["#BBD7EC", "#FFFFFF", "#F8DDA5"])
CLASS_COLOURS = ("#0072B2", "#E69F00")
BOX = {"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#CCCCCC", "alpha": 0.92}


class Snapshot:
    """What frame ``i`` shows, read from the trace."""

    def __init__(self, trace, i):
        self.prob = trace.outputs["prob"][i]
        self.w = float(trace.params["w"][i].ravel()[0])
        self.b = float(trace.params["b"][i].ravel()[0])
        self.loss = float(trace.loss[i])
        self.step = int(trace.steps[i])
        self.last = int(trace.steps[-1])

    def info(self):
        return f"boundary y = {self.w:.2f}x {'+' if self.b >= 0 else '−'} {abs(self.b):.2f}\nloss = {self.loss:.4f}"

    def title(self):
        return f"Logistic regression: iteration {self.step:,} of {self.last:,}"


def extent(trace):
    gx, gy = trace.static["grid_x"], trace.static["grid_y"]
    return float(gx[0]), float(gx[-1]), float(gy[0]), float(gy[-1])


def legend_handles():
    handles = [Line2D([], [], marker="o", linestyle="", color=c, markeredgecolor="white", markersize=6, label=n)
               for n, c in zip(("class 0", "class 1"), CLASS_COLOURS)]
    return handles + [Line2D([], [], color="#222222", linewidth=2.4, label="boundary")]


def draw_points(ax, trace):
    static = trace.static
    for value, colour in enumerate(CLASS_COLOURS):
        chosen = static["points_label"] == value
        ax.scatter(static["points_x"][chosen], static["points_y"][chosen], s=26, color=colour,
                   edgecolors="white", linewidths=0.6, zorder=3)


def loss_axes(figure, grid):
    """The loss panel's axes, on a log scale as animate draws a loss spanning decades."""
    ax = figure.add_subplot(grid)
    ax.set_yscale("log")
    return ax


def draw_loss(ax, trace, i):
    """The loss up to step ``i`` and a dot at the current point, drawn from scratch."""
    steps, losses = trace.steps[: i + 1], trace.loss[: i + 1]
    ax.set_yscale("log")  # cla() forgets it
    ax.plot(steps, losses, color="#D55E00", linewidth=1.8)
    ax.plot(steps[-1:], losses[-1:], "o", color="#D55E00", markersize=5, markeredgecolor="white")
    ax.set_xlim(0, trace.steps[-1])
    ax.set_ylim(trace.loss.min() * 0.8, trace.loss.max() * 1.25)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss (log)")


def draw_everything(ax, trace, i, loss_ax=None):
    """Draw frame ``i`` from scratch on empty axes (the savefig-loop and celluloid way)."""
    if loss_ax is not None:
        draw_loss(loss_ax, trace, i)
    snap = Snapshot(trace, i)
    x0, x1, y0, y1 = extent(trace)
    image = ax.imshow(snap.prob, extent=(x0, x1, y0, y1), origin="lower", cmap=CMAP, vmin=0, vmax=1,
                      interpolation="bilinear")
    draw_points(ax, trace)
    xs = np.array([x0, x1])
    ax.plot(xs, snap.w * xs + snap.b, color="#222222", linewidth=2.4, zorder=4)
    ax.text(0.03, 0.96, snap.info(), transform=ax.transAxes, va="top", fontsize=11, bbox=BOX, zorder=6)
    ax.text(0.0, 1.02, snap.title(), transform=ax.transAxes, fontsize=11)
    ax.legend(handles=legend_handles(), loc="lower right", fontsize=9)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return image


class UpdatingFigure:
    """The FuncAnimation way: build the figure once, then update the artists for each frame."""

    def __init__(self, plt, trace):
        self.trace = trace
        # One tight_layout() rather than layout="constrained", which would lay out again on every
        # frame: the cheaper, conservative choice for the alternative.
        self.figure = plt.figure(figsize=(6.4, 4.8), dpi=100)
        grid = self.figure.add_gridspec(1, 2, width_ratios=[1.55, 1])
        self.ax = self.figure.add_subplot(grid[0])
        self.loss_ax = loss_axes(self.figure, grid[1])
        (self.loss_line,) = self.loss_ax.plot([], [], color="#D55E00", linewidth=1.8)
        (self.loss_dot,) = self.loss_ax.plot([], [], "o", color="#D55E00", markersize=5, markeredgecolor="white")
        self.loss_ax.set_xlim(0, trace.steps[-1])
        self.loss_ax.set_ylim(trace.loss.min() * 0.8, trace.loss.max() * 1.25)
        self.loss_ax.set_xlabel("iteration")
        self.loss_ax.set_ylabel("loss (log)")
        x0, x1, y0, y1 = extent(trace)
        snap = Snapshot(trace, 0)
        self.image = self.ax.imshow(snap.prob, extent=(x0, x1, y0, y1), origin="lower", cmap=CMAP,
                                    vmin=0, vmax=1, interpolation="bilinear")
        self.figure.colorbar(self.image, ax=self.ax, label="P(class 1)")
        draw_points(self.ax, trace)
        self.xs = np.array([x0, x1])
        (self.line,) = self.ax.plot(self.xs, snap.w * self.xs + snap.b, color="#222222", linewidth=2.4, zorder=4)
        self.info = self.ax.text(0.03, 0.96, "", transform=self.ax.transAxes, va="top", fontsize=11,
                                 bbox=BOX, zorder=6)
        self.ax.legend(handles=legend_handles(), loc="lower right", fontsize=9)
        self.ax.set_xlabel("x")
        self.ax.set_ylabel("y")
        self.ax.set_title(snap.title(), loc="left", fontsize=11)
        self.figure.tight_layout()

    def update(self, i):
        snap = Snapshot(self.trace, i)
        self.image.set_data(snap.prob)
        self.line.set_ydata(snap.w * self.xs + snap.b)
        self.info.set_text(snap.info())
        self.ax.set_title(snap.title(), loc="left", fontsize=11)
        self.loss_line.set_data(self.trace.steps[: i + 1], self.trace.loss[: i + 1])
        self.loss_dot.set_data(self.trace.steps[i:i + 1], self.trace.loss[i:i + 1])
        return self.image, self.line, self.info, self.loss_line, self.loss_dot
