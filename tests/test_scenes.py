"""Scenes against oracles: least squares, and each blog's own procedure re-run here."""

import numpy as np
import pytest
import torch

from animate.options import RenderOptions
from animate.pipeline import record_scene
from animate.render import Renderer
from animate.scene import get_scene, scene_names


def blog_000_linear(seed, epochs=10000, lr=1e-3):
    """Blog 000 as written (torch.manual_seed added in front), returning the final parameters."""
    torch.manual_seed(seed)
    X = torch.rand(100, 1) * 10
    y = 3 * X + 10 + torch.randn(100, 1) * 3

    class LinearRegression(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(in_features=1, out_features=1, bias=True)

        def forward(self, x):
            return self.linear(x)

    model = LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_function = torch.nn.MSELoss()
    for epoch in range(epochs):
        predict_y = model(X)
        loss = loss_function(predict_y, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return model.linear.weight.item(), model.linear.bias.item()


def blog_001_logistic(seed):
    """Blog 001 part 2 as written (plotting left out; Variable-era calls modernised)."""
    torch.manual_seed(seed)
    n_data = torch.ones(100, 2)
    xy0 = torch.normal(2 * n_data, 1)
    c0 = torch.zeros(100)
    xy1 = torch.normal(-2 * n_data, 1)
    c1 = torch.ones(100)
    x, y = torch.cat((xy0, xy1), 0).type(torch.FloatTensor).split(1, dim=1)
    x = x.squeeze()
    y = y.squeeze()
    c = torch.cat((c0, c1), 0).type(torch.FloatTensor)
    lr = 0.02
    w = torch.tensor([1.0], requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    losses = []
    for iteration in range(1000):
        loss = ((torch.sigmoid(x * w + b - y) - c) ** 2).mean()
        loss.backward()
        b.data.sub_(lr * b.grad)
        w.data.sub_(lr * w.grad)
        losses.append(loss.item())
        if loss.data.numpy() < 0.01:
            break
    return iteration + 1, w.item(), b.item(), losses


@pytest.mark.parametrize("seed", [0, 3])
def test_logistic_matches_the_blogs_own_procedure(seed):
    updates, w, b, losses = blog_001_logistic(seed)
    trace = record_scene("logistic", seed=seed, every=1)
    assert trace.steps[-1] == updates
    assert trace.meta["stopped_early"] is True
    assert trace.params["w"][-1].item() == w  # same operations in the same order: bit for bit
    assert trace.params["b"][-1].item() == b
    np.testing.assert_array_equal(trace.loss[:-1], np.array(losses, dtype=np.float32))
    # the data drawn is the blog's too: blob centres near (2, 2) for class 0 and (-2, -2) for class 1
    labels = trace.static["points_label"]
    assert trace.static["points_x"][labels == 0].mean() == pytest.approx(2, abs=0.3)
    assert trace.static["points_y"][labels == 1].mean() == pytest.approx(-2, abs=0.3)


def test_linear_with_blog_defaults_matches_the_blogs_own_procedure():
    weight, bias = blog_000_linear(seed=5)
    trace = record_scene("linear", seed=5)
    assert trace.steps[-1] == 10000
    assert trace.params["linear.weight"][-1].item() == weight
    assert trace.params["linear.bias"][-1].item() == bias


def test_linear_trained_to_convergence_matches_least_squares():
    trace = record_scene("linear", seed=2, lr=0.01, steps=10000, every=1000)
    x = torch.as_tensor(trace.static["points_x"], dtype=torch.float64)
    y = torch.as_tensor(trace.static["points_y"], dtype=torch.float64)
    design = torch.stack([x, torch.ones_like(x)], dim=1)
    slope, intercept = torch.linalg.lstsq(design, y.unsqueeze(1)).solution.ravel().tolist()
    assert trace.params["linear.weight"][-1].item() == pytest.approx(slope, abs=2e-3)
    assert trace.params["linear.bias"][-1].item() == pytest.approx(intercept, abs=1e-2)
    assert abs(slope - 3) < 0.5 and abs(intercept - 10) < 3  # and the data is the blog's y = 3x + 10


def test_the_same_seed_gives_the_same_run_and_another_seed_another():
    first = record_scene("linear", seed=7, steps=50, every=10)
    again = record_scene("linear", seed=7, steps=50, every=10)
    other = record_scene("linear", seed=8, steps=50, every=10)
    np.testing.assert_array_equal(first.loss, again.loss)
    np.testing.assert_array_equal(first.static["points_x"], again.static["points_x"])
    assert not np.array_equal(first.static["points_x"], other.static["points_x"])


def test_recording_a_scene_leaves_the_callers_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    record_scene("logistic", seed=0)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("name", scene_names())
def test_every_registered_scene_runs_a_few_steps_and_renders(name):
    scene = get_scene(name)
    assert scene.summary and scene.source and scene.title
    trace = record_scene(name, seed=1, steps=4, every=2)
    assert trace.steps[0] == 0 and trace.steps[-1] <= 4
    renderer = Renderer(trace, RenderOptions(size=(320, 240), dpi=50))
    first, last = renderer.frame(0), renderer.frame(len(renderer) - 1)
    assert first.shape == (240, 320, 3)
    assert not np.array_equal(first, last)
