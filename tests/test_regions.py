"""Several classes: the Regions observer, the regions picture (its shading is the model's argmax), the spiral
scene against the course's own procedure, its events and its page."""

import numpy as np
import pytest
import torch

import animate
from animate.drawing import Renderer
from animate.events import find_events
from animate.options import RenderOptions
from animate.story import Timeline
from animate.train import record_scene


@pytest.fixture(scope="module")
def spiral_trace():
    return record_scene("spiral", seed=0, steps=400, frames=30)


def test_the_observer_records_class_probabilities_and_accuracy():
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 3)
    xy, labels = torch.randn(50, 2), torch.randint(0, 3, (50,))
    observer = animate.Regions((-1, 1), (-1, 1), classes=3, resolution=16, accuracy_on=(xy, labels))
    probs = observer(model)["probs"]
    assert probs.shape == (16, 16, 3) and np.allclose(probs.sum(axis=-1), 1, atol=1e-5)
    expected = float((model(xy).argmax(1) == labels).float().mean())
    assert observer.scalars(model) == {"accuracy": pytest.approx(expected)}
    with pytest.raises(animate.AnimateError, match="classes 1 is not valid: use 2 to 9"):
        animate.Regions((-1, 1), (-1, 1), classes=1)


@pytest.mark.slow
def test_the_shading_is_the_model_s_likeliest_class_at_every_grid_point(spiral_trace):
    renderer = Renderer(spiral_trace, RenderOptions(size=(640, 480), motion="steps", captions=False).resolved(20),
                        Timeline.plain(len(spiral_trace)))
    panel = renderer.panel
    tints = panel.tints[:-1]  # (classes, levels, 3); the last row is the boundaries' ink
    static = spiral_trace.static
    checked = 0
    for snapshot in (0, len(spiral_trace) // 2, len(spiral_trace) - 1):
        frame = renderer.frame(snapshot)
        probs = spiral_trace.outputs["probs"][snapshot]
        height = frame.shape[0]
        for row, y in enumerate(static["grid_y"][2:-2:3], start=2):
            for column, x in enumerate(static["grid_x"][2:-2:3], start=2):
                row_index, column_index = 2 + 3 * (row - 2), 2 + 3 * (column - 2)
                p = probs[row_index, column_index]
                top = np.sort(p)
                if top[-1] - top[-2] < 0.05:
                    continue  # too close to a boundary to tell at a pixel's remove
                px, py = panel.ax.transData.transform((x, y))
                colour = frame[int(height - py), int(px)]
                matches = np.nonzero(np.all(tints == colour, axis=-1))[0]
                if matches.size == 0:
                    continue  # a point is drawn over it
                assert matches[0] == int(np.argmax(p)), (snapshot, x, y, p)
                checked += 1
    assert checked > 100


def _reference_spiral(steps: int) -> dict:
    """The course's procedure in NumPy (float64), on the same random draws, in the same order."""
    torch.manual_seed(0)
    n, k, h, reg, step_size = 100, 3, 100, 1e-3, 1.0
    X = np.zeros((n * k, 2))
    y = np.zeros(n * k, dtype=int)
    for j in range(k):
        ix = range(n * j, n * (j + 1))
        r = np.linspace(0.0, 1, n)
        t = np.linspace(j * 4, (j + 1) * 4, n) + torch.randn(n).double().numpy() * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    W = 0.01 * torch.randn(2, h).double().numpy()
    b = np.zeros((1, h))
    W2 = 0.01 * torch.randn(h, k).double().numpy()
    b2 = np.zeros((1, k))
    for _ in range(steps):
        hidden = np.maximum(0, X @ W + b)
        scores = hidden @ W2 + b2
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = exp / exp.sum(axis=1, keepdims=True)
        dscores = probs.copy()
        dscores[range(len(X)), y] -= 1
        dscores /= len(X)
        dW2 = hidden.T @ dscores + reg * W2
        db2 = dscores.sum(axis=0, keepdims=True)
        dhidden = dscores @ W2.T
        dhidden[hidden <= 0] = 0
        dW = X.T @ dhidden + reg * W
        db = dhidden.sum(axis=0, keepdims=True)
        W, b, W2, b2 = W - step_size * dW, b - step_size * db, W2 - step_size * dW2, b2 - step_size * db2
    return {"W": W, "b": b, "W2": W2, "b2": b2}


@pytest.mark.slow
def test_the_spiral_scene_trains_as_the_course_s_code_does(spiral_trace):
    # Float32 (the scene) against float64 (the course's NumPy): equal to rounding over 60 steps; with step size
    # 1.0 the two drift apart slowly after that, as two precisions do.
    short = record_scene("spiral", seed=0, steps=60, every=60)
    reference = _reference_spiral(60)
    for name, values in reference.items():
        assert np.allclose(short.params[name][-1], values, rtol=1e-4, atol=1e-6), name
    assert spiral_trace.scalars["accuracy"][-1] > 0.6
    assert spiral_trace.meta.class_names == ("arm 0", "arm 1", "arm 2")


def test_all_classified_is_the_first_snapshot_where_every_point_s_class_is_likeliest():
    grid = np.linspace(-1, 1, 5)
    probs = np.full((3, 5, 5, 3), 1 / 3, dtype=np.float32)
    probs[1, :, :, 0] = 0.6  # snapshot 1: class 0 everywhere
    probs[1, :, :, 1:] = 0.2
    probs[2, :, :2, 0], probs[2, :, :2, 1:] = 0.8, 0.1  # snapshot 2: class 0 on the left, class 1 on the right
    probs[2, :, 2:, 1], probs[2, :, 2:, 0], probs[2, :, 2:, 2] = 0.8, 0.1, 0.1
    trace = animate.Trace(steps=np.arange(3), loss=np.array([1.0, 0.8, 0.6]), painter="regions",
                          outputs={"probs": probs},
                          static={"grid_x": grid, "grid_y": grid, "points_x": np.array([-0.9, 0.9]),
                                  "points_y": np.array([0.0, 0.0]), "points_label": np.array([0, 1])})
    events = [event for event in find_events(trace) if event.kind == "all_classified"]
    assert [event.snapshot for event in events] == [2]
