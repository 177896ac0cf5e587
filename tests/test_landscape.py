"""The loss landscape of any model: the plane of its path (two principal directions), the loss over it."""

import numpy as np
import pytest

from animate.landscape import Landscape
from animate.train import record_scene


@pytest.fixture(scope="module")
def mlp_landscape():
    from animate.scene import get_scene
    from animate.train import train

    scene = get_scene("mlp")
    settings = __import__("animate.options", fromlist=["TrainOptions"]).TrainOptions(steps=200, frames=40)
    return train(scene, settings.resolved(scene.defaults), landscape=True)


def test_the_directions_are_orthonormal_and_the_explained_variance_is_the_path_s(linear_trace):
    plane = Landscape.of(linear_trace)
    assert np.allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-9)
    path = np.column_stack([linear_trace.params[name].reshape(len(linear_trace), -1) for name in linear_trace.params])
    centred = path - path.mean(axis=0)
    eigen = np.sort(np.linalg.eigvalsh(np.cov(centred.T, bias=True)))[::-1]
    assert plane.explained == pytest.approx(tuple(eigen[:2] / eigen.sum()), rel=1e-6)
    # Two parameters: the plane holds the whole path, and the coordinates give the parameters back exactly.
    assert sum(plane.explained) == pytest.approx(1.0)
    for i in (0, len(linear_trace) // 2, len(linear_trace) - 1):
        assert np.allclose(plane.point(plane.a[i], plane.b[i]), path[i], atol=1e-5)


@pytest.mark.slow
def test_a_model_s_path_lies_on_its_landscape_where_the_plane_holds_it(mlp_landscape):
    trace = mlp_landscape
    assert trace.meta.path.names == ("pc1", "pc2") and trace.meta.path.labels[0].startswith("PC 1 (")
    surface, grid_a, grid_b = trace.static["surface"], trace.static["surface_a"], trace.static["surface_b"]
    assert surface.shape == (len(grid_b), len(grid_a)) == (21, 21)
    # The last snapshot is the origin: the surface there (interpolated from the grid) is its recorded loss, to
    # the grid's resolution.
    a, b = float(trace.params["pc1"][-1]), float(trace.params["pc2"][-1])
    assert a == pytest.approx(0, abs=1e-6) and b == pytest.approx(0, abs=1e-6)
    column = int(np.argmin(np.abs(grid_a - a)))
    row = int(np.argmin(np.abs(grid_b - b)))
    nearest = surface[row, column]
    assert nearest == pytest.approx(float(trace.loss[-1]), rel=0.5)  # one grid cell away at most
    # Every snapshot's path point is inside the grid, and the lowest loss drawn is no higher than the final one
    assert grid_a[0] <= trace.params["pc1"].min() and trace.params["pc1"].max() <= grid_a[-1]
    assert np.nanmin(surface) <= float(trace.loss[-1]) * 1.5


@pytest.mark.slow
def test_param_path_works_for_any_scene_from_the_command_line(tmp_path):
    from click.testing import CliRunner

    from animate.cli import main

    result = CliRunner().invoke(main, ["scene", "mlp", "--param-path", "--steps", "150", "--frames", "20",
                                       "--motion", "steps", "-o", str(tmp_path / "mlp.gif")])
    assert result.exit_code == 0, result.output
    assert "pc1" not in result.output  # the plane's coordinates are not the model's parameters
