"""Scenes against oracles: least squares, and each blog's own procedure re-run here."""

import numpy as np
import pytest
import torch

from animate.options import RenderOptions
from animate.train import record_scene
from animate.drawing import Renderer
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


def blog_001_linear(seed, lr):
    """Blog 001 part 1 as written, with the seeds README's fix: gradients zeroed after each update."""
    torch.manual_seed(seed)
    x = torch.rand(20, 1) * 10
    y = 2 * x + (5 + torch.randn(20, 1))
    w = torch.randn((1), requires_grad=True)
    b = torch.zeros((1), requires_grad=True)
    for iteration in range(1000):
        wx = torch.mul(w, x)
        y_pred = torch.add(wx, b)
        loss = (0.5 * (y - y_pred) ** 2).mean()
        loss.backward()
        b.data.sub_(lr * b.grad)
        w.data.sub_(lr * w.grad)
        b.grad.zero_()
        w.grad.zero_()
        if loss.data.numpy() < 1:
            break
    return iteration + 1, w.item(), b.item()


def blog_002_poly(seed, cap=100_000):
    """Blog 002 as written (Variable and .cuda() dropped, loss.data[0] as .item()), with a step cap."""
    torch.manual_seed(seed)

    def make_features(x):
        x = x.unsqueeze(1)
        return torch.cat([x**i for i in range(1, 4)], 1)

    w_target = torch.FloatTensor([0.5, 3, 2.4]).unsqueeze(1)
    b_target = torch.FloatTensor([0.9])

    def f(x):
        return x.mm(w_target) + b_target[0]

    def get_batch(batch_size=32):
        random = torch.randn(batch_size)
        x = make_features(random)
        return x, f(x)

    model = torch.nn.Linear(3, 1)
    criterion = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    epoch = 0
    while epoch < cap:
        batch_x, batch_y = get_batch()
        output = model(batch_x)
        loss = criterion(output, batch_y)
        print_loss = loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch += 1
        if print_loss < 1e-3:
            break
    return epoch, model.weight.detach().numpy().copy(), model.bias.item()


def blog_003_mlp(seed, epochs=1000):
    """Blog 003 as written (plotting left out)."""
    torch.manual_seed(seed)
    x = torch.linspace(-1, 1, 100)
    x = torch.unsqueeze(x, dim=1)
    y = x.pow(2) + 0.2 * torch.rand(x.size())

    class Net(torch.nn.Module):
        def __init__(self, n_input, n_output):
            super().__init__()
            self.hidden = torch.nn.Linear(n_input, 20)
            self.output = torch.nn.Linear(20, n_output)

        def forward(self, x):
            x = torch.nn.functional.relu(self.hidden(x))
            return self.output(x)

    net = Net(n_input=1, n_output=1)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    loss_func = torch.nn.MSELoss()
    for epoch in range(epochs):
        pred = net(x)
        loss = loss_func(pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {name: p.detach().numpy().copy() for name, p in net.named_parameters()}


def blog_004(seed, use_layer, num_epochs=20000):
    """Blog 004, part 1 (nn.Parameter a, b) or part 2 (nn.Linear), as written (resize_ as reshape)."""
    torch.manual_seed(seed)

    class SquareRegression(torch.nn.Module):
        def __init__(self):
            torch.nn.Module.__init__(self)
            if use_layer:
                self.linear = torch.nn.Linear(1, 1)
            else:
                self.a = torch.nn.Parameter(torch.randn(1, 1), requires_grad=True)
                self.b = torch.nn.Parameter(torch.randn(1, 1), requires_grad=True)

        def forward(self, x_):
            if use_layer:
                return self.linear(x_)
            _t = x_.mm(self.a)
            return _t + self.b.expand_as(_t)

    n = 100
    x = torch.linspace(-2, 12, n).reshape((n, 1))
    y = 3 * x + 10 + torch.randn(x.size())
    model = SquareRegression()
    criterion = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    for epoch in range(num_epochs):
        out = model(x)
        loss = criterion(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {name: p.detach().numpy().copy() for name, p in model.named_parameters()}


def assert_same_params(trace, expected):
    assert set(trace.params) == set(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(trace.params[name][-1], value, err_msg=name)


@pytest.mark.parametrize("seed", [0, 10])
def test_linear_autograd_matches_the_blogs_procedure_with_zeroed_gradients(seed):
    updates, w, b = blog_001_linear(seed, lr=0.01)
    trace = record_scene("linear-autograd", seed=seed)
    assert trace.meta.settings.lr == 0.01 and trace.meta.ending.stopped_early is True
    assert trace.steps[-1] == updates < 1000
    assert (trace.params["w"][-1].item(), trace.params["b"][-1].item()) == (w, b)


def test_linear_autograd_keeps_the_blogs_rate_available_and_it_diverges():
    trace = record_scene("linear-autograd", seed=10, lr=0.1, steps=30, every=10)
    assert trace.loss[-1] > 100 * trace.loss[0]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 4])
def test_poly_matches_the_blogs_procedure(seed):
    updates, weight, bias = blog_002_poly(seed)
    trace = record_scene("poly", seed=seed)
    assert trace.steps[-1] == updates and trace.meta.ending.stopped_early is True
    np.testing.assert_array_equal(trace.params["poly.weight"][-1], weight)
    assert trace.params["poly.bias"][-1].item() == bias
    np.testing.assert_allclose(trace.params["poly.weight"][-1].ravel(), [0.5, 3, 2.4], atol=0.1)


@pytest.mark.slow
def test_poly_caps_a_run_that_would_loop_for_ever():
    assert get_scene("poly").defaults.steps == 100_000  # the blog has no cap; it usually stops within 3000
    trace = record_scene("poly", seed=0, lr=1e-9, steps=5000)  # far too slow to reach loss < 1e-3
    assert trace.steps[-1] == 5000 and trace.meta.ending.stopped_early is False
    assert len(trace) == 200


@pytest.mark.slow
def test_mlp_matches_the_blogs_procedure():
    trace = record_scene("mlp", seed=2)
    assert trace.steps[-1] == 1000
    assert_same_params(trace, blog_003_mlp(seed=2))


@pytest.mark.slow
def test_linear_param_matches_the_blogs_part_1():
    trace = record_scene("linear-param", seed=1)
    assert trace.steps[-1] == 20000
    assert_same_params(trace, blog_004(seed=1, use_layer=False))


@pytest.mark.slow
def test_linear_layer_matches_the_blogs_part_2():
    trace = record_scene("linear-layer", seed=1, steps=3000)
    assert_same_params(trace, blog_004(seed=1, use_layer=True, num_epochs=3000))


@pytest.mark.parametrize("seed", [0, 3])
def test_logistic_matches_the_blogs_own_procedure(seed):
    updates, w, b, losses = blog_001_logistic(seed)
    trace = record_scene("logistic", seed=seed, every=1)
    assert trace.steps[-1] == updates
    assert trace.meta.ending.stopped_early is True
    assert trace.params["w"][-1].item() == w  # same operations in the same order: bit for bit
    assert trace.params["b"][-1].item() == b
    np.testing.assert_array_equal(trace.loss[:-1], np.array(losses, dtype=np.float32))
    # the data drawn is the blog's too: blob centres near (2, 2) for class 0 and (-2, -2) for class 1
    labels = trace.static["points_label"]
    assert trace.static["points_x"][labels == 0].mean() == pytest.approx(2, abs=0.3)
    assert trace.static["points_y"][labels == 1].mean() == pytest.approx(-2, abs=0.3)


@pytest.mark.slow
def test_linear_with_blog_defaults_matches_the_blogs_own_procedure():
    weight, bias = blog_000_linear(seed=5)
    trace = record_scene("linear", seed=5)
    assert trace.steps[-1] == 10000
    assert trace.params["linear.weight"][-1].item() == weight
    assert trace.params["linear.bias"][-1].item() == bias


@pytest.mark.slow
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


@pytest.mark.slow
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
