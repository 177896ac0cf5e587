"""Trace files: round trips, stable bytes, and clear errors for files that are not traces."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from animate.errors import AnimateError
from animate.meta import Ending, LinearEquation, ParamPath, RunSettings
from animate.trace import Trace


def test_save_and_load_give_back_the_same_numbers(tmp_path, logistic_trace):
    path = tmp_path / "run.npz"
    logistic_trace.save(path)
    loaded = Trace.load(path)
    assert loaded.painter == logistic_trace.painter == "boundary"
    np.testing.assert_array_equal(loaded.steps, logistic_trace.steps)
    np.testing.assert_array_equal(loaded.loss, logistic_trace.loss)
    for group in ("params", "outputs", "static"):
        original, back = getattr(logistic_trace, group), getattr(loaded, group)
        assert set(back) == set(original)
        for name in original:
            np.testing.assert_array_equal(back[name], original[name])
            assert back[name].dtype == original[name].dtype
    assert loaded.meta == logistic_trace.meta


def test_equal_traces_save_to_identical_bytes(tmp_path, linear_trace):
    linear_trace.save(tmp_path / "a.npz")
    linear_trace.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_trace_files_hold_no_pickles(tmp_path, linear_trace):
    linear_trace.save(tmp_path / "t.npz")
    with zipfile.ZipFile(tmp_path / "t.npz") as archive:
        for name in archive.namelist():
            if name.endswith(".npy"):
                array = np.lib.format.read_array(archive.open(name), allow_pickle=False)
                assert array.dtype != object


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_bytes(b"hello, not a zip"), "not a readable animate trace"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("x.txt", "x"), "not an animate trace"),
    ],
)
def test_files_that_are_not_traces_are_refused_clearly(tmp_path, make, message):
    path = tmp_path / "bad.npz"
    make(path)
    with pytest.raises(AnimateError, match=message):
        Trace.load(path)


def test_truncated_and_other_version_traces_are_refused(tmp_path, linear_trace):
    good = tmp_path / "good.npz"
    linear_trace.save(good)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(AnimateError, match="not a readable animate trace"):
        Trace.load(truncated)

    newer = tmp_path / "newer.npz"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(newer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "meta.json":
                header = json.loads(data)
                header["version"] = 99
                data = json.dumps(header).encode()
            target.writestr(name, data)
    with pytest.raises(AnimateError, match="version 99"):
        Trace.load(newer)


def test_inconsistent_snapshots_are_refused():
    with pytest.raises(AnimateError, match="loss of shape"):
        Trace(painter="line", steps=np.array([0, 1]), loss=np.array([1.0]))
    with pytest.raises(AnimateError, match="must increase"):
        Trace(painter="line", steps=np.array([0, 0]), loss=np.array([1.0, 1.0]))
    with pytest.raises(AnimateError, match="expected 2 snapshots"):
        Trace(painter="line", steps=np.array([0, 1]), loss=np.zeros(2), params={"w": np.zeros((3, 1))})


DATA = Path(__file__).parent / "data"


def test_a_version_1_file_written_before_typed_meta_still_loads_and_saves_as_version_1(tmp_path):
    """tests/data/linear-v1.npz was written by animate before the metadata became dataclasses."""
    trace = Trace.load(DATA / "linear-v1.npz")
    meta = trace.meta
    assert meta.equation == LinearEquation(slope="linear.weight", intercept="linear.bias", slope_label="weight w",
                                           intercept_label="bias b")
    assert meta.settings == RunSettings(seed=0, lr=0.001, steps=200, every=None, frames=12, optimizer=None)
    assert (meta.title, meta.loss_name, meta.step_name, meta.pace) == (
        "Linear regression with nn.Linear", "MSE loss", "epoch", 20.0)
    assert meta.ending == Ending() and meta.path == ParamPath(("linear.weight", "linear.bias"), ("weight w", "bias b"))
    trace.save(tmp_path / "again.npz")
    with zipfile.ZipFile(tmp_path / "again.npz") as archive:
        header = json.loads(archive.read("meta.json"))
    with zipfile.ZipFile(DATA / "linear-v1.npz") as archive:
        old = json.loads(archive.read("meta.json"))
    assert header["version"] == 1
    assert {key: header["meta"][key] for key in old["meta"]} == old["meta"]  # every key and value kept
    assert set(header["meta"]) - set(old["meta"]) == {"class_names"}  # written out now, with its default
    assert Trace.load(tmp_path / "again.npz").meta == meta


def test_unknown_keys_in_a_file_are_ignored_but_unknown_words_in_code_are_refused(tmp_path, linear_trace):
    linear_trace.save(tmp_path / "t.npz")
    with zipfile.ZipFile(tmp_path / "t.npz") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    header = json.loads(entries["meta.json"])
    header["meta"]["added_by_a_newer_animate"] = 1
    entries["meta.json"] = json.dumps(header).encode()
    with zipfile.ZipFile(tmp_path / "newer.npz", "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert Trace.load(tmp_path / "newer.npz").meta == linear_trace.meta
    with pytest.raises(AnimateError, match="unknown trace meta 'xlable': did you mean xlabel"):
        Trace(painter="history", steps=np.arange(2), loss=np.ones(2), meta={"xlable": "time"})
