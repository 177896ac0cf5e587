"""What a recorder looks at besides loss and parameters: the model's predictions on a fixed grid.

An observer is called with the model at each recorded step and returns plain arrays. It also names
the painter that can draw what it saw and the arrays that stay fixed (the grid itself).
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import torch

from .errors import AnimateError

MAX_CLASSES = 9  # as many as the themes have distinct colours for

Model = "torch.nn.Module | Mapping[str, torch.Tensor]"


def to_numpy(tensor: torch.Tensor) -> np.ndarray:
    """A float copy on the CPU that shares no memory with ``tensor`` (so later training cannot change it)."""
    return tensor.detach().to("cpu", copy=True).numpy()


def device_of(model) -> torch.device:
    """The device a model's parameters live on (CPU when it has none)."""
    tensors = model.values() if isinstance(model, Mapping) else model.parameters()
    for tensor in tensors:
        return tensor.device
    return torch.device("cpu")


class Curve:
    """Observe a 1-D regression: the model's prediction ``y`` at fixed ``x`` positions.

    Give the positions as ``x`` (any 1-D array or tensor) or as ``x_range=(low, high)`` for ``points``
    evenly spaced ones. ``predict(x)`` maps a column of inputs of shape (n, 1) to predictions; by
    default the model is called directly. ``truth`` (optional) is the function the data came from,
    drawn dashed.

        >>> Curve(x_range=(-3, 3))                                   # doctest: +SKIP
    """

    painter = "line"

    def __init__(self, x=None, predict: Callable | None = None, truth: Callable | None = None, *,
                 x_range=None, points: int = 200):
        if (x is None) == (x_range is None):
            raise AnimateError("Curve needs the x positions to observe: give x or x_range=(low, high), not both")
        if x is None:
            low, high = (float(v) for v in x_range)
            if not (np.isfinite(low) and np.isfinite(high) and low < high):
                raise AnimateError(f"x_range {tuple(x_range)!r} is not valid: give (low, high) with low < high")
            x = torch.linspace(low, high, int(points))
        self.x = torch.as_tensor(x, dtype=torch.float32).reshape(-1, 1)
        positions = self.x[:, 0]
        # Checked now, not when the trace is made after training: the curve is drawn through them in order.
        if len(positions) < 2 or not bool(torch.isfinite(positions).all()) or bool((positions[1:] <= positions[:-1]).any()):
            raise AnimateError(f"Curve x must hold at least 2 finite positions that increase; got {len(positions)} "
                               "positions: sort them, e.g. torch.sort(x).values")
        self.predict = predict
        self.truth = truth
        self._x_on = {}

    def static(self) -> dict[str, np.ndarray]:
        arrays = {"grid_x": to_numpy(self.x[:, 0])}
        if self.truth is not None:
            with torch.no_grad():
                arrays["truth_y"] = to_numpy(torch.as_tensor(self.truth(self.x)).reshape(-1))
        return arrays

    def __call__(self, model) -> dict[str, np.ndarray]:
        x = self._grid_on(device_of(model))
        with torch.no_grad():
            y = self.predict(x) if self.predict is not None else model(x)
        return {"curve": to_numpy(y.reshape(-1)).astype(np.float32)}

    def _grid_on(self, device: torch.device) -> torch.Tensor:
        # The grid is copied to the model's device once, not on every observation.
        if device not in self._x_on:
            self._x_on[device] = self.x.to(device)
        return self._x_on[device]


class PlaneGrid:
    """A ``resolution`` × ``resolution`` grid over a box of the plane, the points moved to each model's device
    once: what the 2-D classifier observers evaluate their model on."""

    def __init__(self, xlim, ylim, predict: Callable | None = None, resolution: int = 64):
        self.grid_x = torch.linspace(float(xlim[0]), float(xlim[1]), resolution)
        self.grid_y = torch.linspace(float(ylim[0]), float(ylim[1]), resolution)
        mesh_y, mesh_x = torch.meshgrid(self.grid_y, self.grid_x, indexing="ij")
        self.xy = torch.stack([mesh_x.reshape(-1), mesh_y.reshape(-1)], dim=1)
        self.predict = predict
        self._xy_on = {}

    def static(self) -> dict[str, np.ndarray]:
        return {"grid_x": to_numpy(self.grid_x), "grid_y": to_numpy(self.grid_y)}

    def points_for(self, model) -> torch.Tensor:
        """The grid's points, (n, 2), on ``model``'s device."""
        device = device_of(model)
        if device not in self._xy_on:
            self._xy_on[device] = self.xy.to(device)
        return self._xy_on[device]


class Boundary(PlaneGrid):
    """Observe a 2-D binary classifier: the probability of class 1 over a box of the plane.

    ``predict(xy)`` maps points of shape (n, 2) to the probability of class 1, shape (n,) or (n, 1);
    by default it is ``sigmoid(model(xy))``. The box is sampled on a ``resolution`` × ``resolution``
    grid, which the renderer smooths, so a coarse grid is enough for a soft background.
    """

    painter = "boundary"

    def __call__(self, model) -> dict[str, np.ndarray]:
        xy = self.points_for(model)
        with torch.no_grad():
            prob = self.predict(xy) if self.predict is not None else torch.sigmoid(model(xy))
        shape = (len(self.grid_y), len(self.grid_x))
        return {"prob": to_numpy(prob.reshape(shape)).astype(np.float32)}


class Regions(PlaneGrid):
    """Observe a 2-D classifier of ``classes`` classes: each class's probability over a box of the plane.

    ``predict(xy)`` maps points of shape (n, 2) to class probabilities, shape (n, classes); by default it is
    ``softmax(model(xy))``. The box is sampled on a ``resolution`` × ``resolution`` grid, which the renderer
    smooths. The picture shades each region in its class's colour, stronger where the model is surer, and
    draws the boundaries between regions.
    """

    painter = "regions"

    def __init__(self, xlim, ylim, predict: Callable | None = None, classes: int = 3, resolution: int = 64,
                 accuracy_on: tuple | None = None):
        """``accuracy_on=(xy, labels)`` also records the accuracy on those points with each snapshot."""
        self.accuracy_on = accuracy_on
        if not (isinstance(classes, int) and 2 <= classes <= MAX_CLASSES):
            raise AnimateError(f"classes {classes!r} is not valid: use 2 to {MAX_CLASSES}")
        self.classes = classes
        super().__init__(xlim, ylim, predict, resolution)

    def __call__(self, model) -> dict[str, np.ndarray]:
        xy = self.points_for(model)
        with torch.no_grad():
            probs = self._probabilities(model, xy)
        shape = (len(self.grid_y), len(self.grid_x), self.classes)
        if tuple(probs.shape) != (len(xy), self.classes):
            raise AnimateError(f"the classifier gave probabilities of shape {tuple(probs.shape)} for {len(xy)} points: "
                               f"expected ({len(xy)}, {self.classes}), one per class")
        return {"probs": to_numpy(probs.reshape(shape)).astype(np.float32)}

    def _probabilities(self, model, xy: torch.Tensor) -> torch.Tensor:
        return self.predict(xy) if self.predict is not None else torch.softmax(model(xy), dim=1)

    @property
    def scalars(self):
        """With ``accuracy_on``: a function of the model giving ``{"accuracy": share of points classified right}``."""
        if self.accuracy_on is None:
            return None

        def accuracy(model) -> dict:
            xy, labels = self.accuracy_on
            with torch.no_grad():
                guessed = self._probabilities(model, xy.to(device_of(model))).argmax(dim=1).cpu()
            return {"accuracy": float((guessed == labels.cpu().long()).float().mean())}

        return accuracy
