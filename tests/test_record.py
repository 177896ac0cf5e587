"""The recorder: which steps it keeps, and that its snapshots are copies, in fit() and in a user loop."""

import numpy as np
import pytest
import torch

from animate.errors import AnimateError
from animate.loop import Callback, fit
from animate.observe import Boundary, Curve
from animate.record import Recorder


def tiny_problem(lr=0.05):
    torch.manual_seed(0)
    x = torch.linspace(-1, 1, 20).unsqueeze(1)
    y = 2 * x + 1
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    return model, (lambda: torch.nn.functional.mse_loss(model(x), y)), optimizer


def test_cadence_in_fit_is_step_zero_every_n_and_the_last_step():
    model, loss, optimizer = tiny_problem()
    recorder = Recorder(model, Curve(torch.linspace(-1, 1, 5)), every=7)
    result = fit(loss, optimizer, max_steps=30, callbacks=[recorder])
    trace = recorder.trace()
    assert result.steps == 30
    assert trace.steps.tolist() == [0, 7, 14, 21, 28, 30]
    assert trace.outputs["curve"].shape == (6, 5)
    assert trace.params["weight"].shape == (6, 1, 1)


def test_last_step_is_recorded_when_training_stops_early():
    model, loss, optimizer = tiny_problem(lr=0.3)
    recorder = Recorder(model, every=1000)
    result = fit(loss, optimizer, max_steps=5000, stop_below=0.05, callbacks=[recorder])
    assert result.stopped_early and result.steps < 5000
    assert recorder.trace().steps.tolist() == [0, result.steps]
    assert recorder.trace().loss[-1] == pytest.approx(result.loss)


def test_snapshots_are_copies_not_views_of_live_weights():
    model, loss, optimizer = tiny_problem()
    recorder = Recorder(model, every=1)
    recorder.step(0, loss())
    before = recorder.snapshots[0].params["weight"].copy()
    with torch.no_grad():
        model.weight.add_(100.0)
    assert np.array_equal(recorder.snapshots[0].params["weight"], before)
    assert np.array_equal(recorder.trace().params["weight"][0], before)


def test_snapshot_pairs_the_picture_with_the_loss_of_the_same_parameters():
    model, loss, optimizer = tiny_problem()
    recorder = Recorder(model, Curve(torch.tensor([0.0, 1.0])), every=5)
    fit(loss, optimizer, max_steps=12, callbacks=[recorder])
    trace = recorder.trace()
    for index in range(len(trace)):
        weight, bias = trace.params["weight"][index].item(), trace.params["bias"][index].item()
        assert trace.outputs["curve"][index] == pytest.approx([bias, weight + bias], rel=1e-6)


def test_recorder_in_a_users_own_loop_with_hand_made_tensors():
    torch.manual_seed(1)
    x = torch.rand(30)
    y = 4 * x - 1
    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    recorder = Recorder({"w": w, "b": b}, Curve(torch.linspace(0, 1, 3), predict=lambda g: w * g + b), every=4)
    for step in range(10):
        loss = ((w * x + b - y) ** 2).mean()
        recorder.step(step, loss)
        loss.backward()
        with torch.no_grad():
            w -= 0.5 * w.grad
            b -= 0.5 * b.grad
        w.grad = None
        b.grad = None
    recorder.finish(10, ((w * x + b - y) ** 2).mean())
    trace = recorder.trace(points=(x, y), title="mine")
    assert trace.steps.tolist() == [0, 4, 8, 10]
    assert trace.params["w"][-1] == pytest.approx(w.detach().numpy())
    assert trace.static["points_x"].shape == (30,)
    assert trace.meta.title == "mine"


def test_first_call_is_recorded_whatever_its_step_and_finish_replaces_a_same_step_snapshot():
    model, loss, _ = tiny_problem()
    recorder = Recorder(model, every=10)
    assert recorder.step(3, loss()) is True  # a loop counting from 3 still gets its first frame
    assert recorder.step(5, loss()) is False
    assert recorder.step(10, loss()) is True
    with torch.no_grad():
        model.bias.fill_(42.0)
    recorder.finish(10)
    trace = recorder.trace()
    assert trace.steps.tolist() == [3, 10]
    assert trace.params["bias"][-1] == pytest.approx([42.0])


def test_boundary_observer_records_probabilities_on_its_grid():
    model = torch.nn.Linear(2, 1)
    recorder = Recorder(model, Boundary((-1, 1), (-2, 2), resolution=8))
    recorder.step(0, torch.tensor(0.5))
    trace = recorder.trace()
    prob = trace.outputs["prob"][0]
    assert prob.shape == (8, 8) and np.all((prob > 0) & (prob < 1))
    assert trace.static["grid_y"][[0, -1]].tolist() == [-2, 2]
    # row i, column j is the point (grid_x[j], grid_y[i])
    gx, gy = trace.static["grid_x"], trace.static["grid_y"]
    expected = torch.sigmoid(model(torch.tensor([[gx[3], gy[5]]]))).item()
    assert prob[5, 3] == pytest.approx(expected, rel=1e-5)


def test_bad_uses_are_clear_errors():
    model, loss, _ = tiny_problem()
    with pytest.raises(AnimateError, match="every 0"):
        Recorder(model, every=0)
    with pytest.raises(AnimateError, match="nothing was recorded"):
        Recorder(model).trace()
    recorder = Recorder(model)
    recorder.step(5, loss())
    with pytest.raises(AnimateError, match="before the recorded step"):
        recorder.finish(2)


def test_fit_calls_hooks_in_order():
    model, loss, optimizer = tiny_problem()
    calls = []

    class Spy(Callback):
        def on_fit_start(self, max_steps):
            calls.append(("start", max_steps))

        def on_step(self, step, loss):
            calls.append(("step", step))

        def on_fit_end(self, step, loss):
            calls.append(("end", step))

    fit(loss, optimizer, max_steps=3, callbacks=[Spy()])
    assert calls == [("start", 3), ("step", 0), ("step", 1), ("step", 2), ("end", 3)]
