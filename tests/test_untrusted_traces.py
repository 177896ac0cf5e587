"""A trace file is untrusted input: whatever it holds, loading it allocates no more than its size justifies,
and anything wrong with it is one line (``Error: ...``, exit 1, nothing written), never a traceback."""

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from animate.cli import main
from animate.drawing import Renderer
from animate.errors import AnimateError
from animate.options import RenderOptions
from animate.trace import Trace


# ---- building trace files by hand ----------------------------------------------------------------------
def npy(array, allow_pickle=False) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=allow_pickle)
    return buffer.getvalue()


def entries_of(trace, tmp_path) -> dict:
    """The members of ``trace`` saved, by name, as bytes (in the order save() writes them)."""
    trace.save(tmp_path / "source.npz")
    with zipfile.ZipFile(tmp_path / "source.npz") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write(path, entries: dict, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def array_in(entries, name) -> np.ndarray:
    return np.lib.format.read_array(io.BytesIO(entries[name]), allow_pickle=False)


def header_of(entries) -> dict:
    return json.loads(entries["meta.json"])


def set_header(entries, header):
    entries["meta.json"] = json.dumps(header).encode()


def refused(path, tmp_path, *options) -> str:
    """Render ``path`` through the CLI; check it fails with one clean line and writes nothing; the line."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(out / "x.gif"), "-q", *options])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert list(out.iterdir()) == []  # nothing written, not even a partial file
    return lines[0]


# Mutations of a saved trace's members (a dict of name to bytes), each making one thing wrong.
def with_array(name, make):
    """Member ``name`` replaced by ``make(its array)``."""
    def mutate(entries):
        entries[name] = npy(make(array_in(entries, name)))
    return mutate


def together(*mutations):
    def mutate(entries):
        for change in mutations:
            change(entries)
    return mutate


def with_bytes(name, data):
    def mutate(entries):
        entries[name] = data
    return mutate


def without(name):
    def mutate(entries):
        del entries[name]
    return mutate


def with_header(key, value):
    def mutate(entries):
        header = header_of(entries)
        header[key] = value
        set_header(entries, header)
    return mutate


DELETE = object()


def with_meta(**changes):
    def mutate(entries):
        header = header_of(entries)
        for key, value in changes.items():
            if value is DELETE:
                header["meta"].pop(key, None)
            else:
                header["meta"][key] = value
        set_header(entries, header)
    return mutate


def set_at(index, value, dtype=None):
    """An array with ``value`` at ``index`` (converted to ``dtype`` first if given)."""
    def make(array):
        array = array.astype(dtype) if dtype is not None else array.copy()
        array[index] = value
        return array
    return make


class Bases(dict):
    """The valid traces the damage starts from, by painter (shown short in hypothesis's reports)."""

    def __repr__(self):
        return f"Bases({', '.join(self)})"


@pytest.fixture(scope="module")
def bases(linear_trace, logistic_trace):
    history = Trace(painter="history", steps=np.arange(0, 50, 5), loss=np.geomspace(10, 0.1, 10),
                    scalars={"accuracy": np.linspace(0.5, 1, 10)}, meta={"title": "Loss and accuracy"})
    return Bases(line=linear_trace, boundary=logistic_trace, history=history)


# (id, base trace, mutation, words the one line must hold, extra render options)
CASES = [
    # steps: whole numbers, 0 or more, increasing
    ("steps-nan", "line", with_array("steps.npy", set_at(3, np.nan, float)),
     "steps.npy holds float64 (<f8): steps are whole numbers", ()),
    ("steps-text", "line", with_array("steps.npy", lambda a: a.astype(str)), "steps.npy holds text (<U21)", ()),
    ("steps-bool", "line", with_array("steps.npy", lambda a: a > 0), "steps.npy holds bool (|b1)", ()),
    ("steps-repeated", "line", with_array("steps.npy", set_at(2, 30)), "steps.npy must increase", ()),
    ("steps-negative", "line", with_array("steps.npy", lambda a: a - 100), "steps.npy has step -100", ()),
    ("steps-2d", "line", with_array("steps.npy", lambda a: a.reshape(-1, 1)),
     "steps.npy has shape (11, 1): give a 1-D array", ()),
    ("steps-records", "line", with_array("steps.npy", lambda a: np.zeros(len(a), dtype=[("a", "<i8")])),
     "steps.npy holds records", ()),
    ("steps-pickled", "line", with_bytes("steps.npy", npy(np.array([0, "1"], dtype=object), allow_pickle=True)),
     "steps.npy holds Python objects (|O)", ()),
    ("steps-missing", "line", without("steps.npy"), "incomplete trace", ()),
    # loss: one number per step
    ("loss-short", "line", with_array("loss.npy", lambda a: a[:-1]), "loss.npy of shape (10,) does not match", ()),
    ("loss-text", "line", with_array("loss.npy", lambda a: a.astype(str)), "loss.npy holds text", ()),
    ("loss-huge", "line", with_array("loss.npy", set_at(3, 1e300)),
     "loss.npy: 1e+300 is too large to draw (beyond ±1e+200", ()),
    ("scalar-huge", "history", with_array("scalars/accuracy.npy", set_at(2, -1e308)),
     "scalars/accuracy.npy: -1e+308 is too large", ()),
    ("loss-complex", "line", with_array("loss.npy", lambda a: a.astype(complex)),
     "loss.npy holds complex numbers (<c16)", ()),
    # params, outputs, scalars: the snapshots first
    ("params-rows", "line", with_array("params/linear.weight.npy", lambda a: a[:-1]),
     "params/linear.weight.npy has shape (10, 1, 1), expected 11 snapshots first", ()),
    ("scalars-2d", "line", with_bytes("scalars/accuracy.npy", npy(np.zeros((11, 2)))),
     "scalars/accuracy.npy has shape (11, 2), expected (11,)", ()),
    # what the line painter draws
    ("curve-missing", "line", without("outputs/curve.npy"), "needs outputs/curve.npy, which is missing", ()),
    ("curve-shape", "line", with_array("outputs/curve.npy", lambda a: a[:, :-1]),
     "outputs/curve.npy has shape (11, 22), expected (snapshots, len(grid_x)) = (11, 23)", ()),
    ("grid-missing", "line", without("static/grid_x.npy"),
     "static/truth_y.npy needs static/grid_x.npy, which is missing", ()),
    ("grid-nan", "line", with_array("static/grid_x.npy", set_at(4, np.nan)), "static/grid_x.npy must hold finite", ()),
    ("grid-one-value", "line", with_array("static/grid_x.npy", lambda a: a[:1]), "static/grid_x.npy has shape (1,)",
     ()),
    ("grid-decreasing", "line", with_array("static/grid_x.npy", lambda a: a[::-1]), "increase along the grid", ()),
    ("truth-length", "line", with_array("static/truth_y.npy", lambda a: a[:-1]), "static/truth_y.npy has shape (22,)",
     ()),
    ("points-all-nan", "line", together(with_array("static/points_y.npy", lambda a: np.full_like(a, np.nan)),
                                        with_array("static/truth_y.npy", lambda a: np.full_like(a, np.nan))),
     "static/points_y.npy and static/truth_y.npy: no finite number", ()),
    ("points-huge", "line", with_array("static/points_y.npy", set_at(0, -1e308, float)),
     "static/points_y.npy and static/truth_y.npy: -1e+308 is too large to draw", ()),
    ("points-lengths", "line", with_array("static/points_y.npy", lambda a: a[:-1]), "static/points_y.npy", ()),
    ("points-half", "line", without("static/points_x.npy"),
     "static/points_y.npy needs static/points_x.npy, which is missing", ()),
    ("surface-shape", "line", with_array("static/surface.npy", lambda a: a[:-1]),
     "static/surface.npy has shape (47, 48)", ("--param-path",)),
    ("surface-grid-missing", "line", without("static/surface_a.npy"),
     "static/surface.npy needs its grid static/surface_a.npy, which is missing", ("--param-path",)),
    ("surface-all-nan", "line", with_array("static/surface.npy", lambda a: np.full_like(a, np.nan)),
     "static/surface.npy holds no finite loss", ("--param-path",)),
    # what the boundary painter draws
    ("prob-missing", "boundary", without("outputs/prob.npy"), "needs outputs/prob.npy, which is missing", ()),
    ("prob-shape", "boundary", with_array("outputs/prob.npy", lambda a: a[:, :-1]),
     "outputs/prob.npy has shape (26, 63, 64), expected (snapshots, len(grid_y), len(grid_x))", ()),
    ("prob-nan", "boundary", with_array("outputs/prob.npy", set_at((0, 3, 3), np.nan)), "outputs/prob.npy holds NaN",
     ()),
    ("boundary-no-points", "boundary", without("static/points_x.npy"),
     "needs static/points_x.npy, which is missing", ()),
    ("labels-length", "boundary", with_array("static/points_label.npy", lambda a: a[:-1]), "points_label.npy", ()),
    ("grid-y-text", "boundary", with_array("static/grid_y.npy", lambda a: a.astype(str)),
     "static/grid_y.npy holds text", ()),
    # the header and the meta
    ("painter-unknown", "line", with_header("painter", "spiral"),
     "painter 'spiral' is not valid: use boundary, history, line", ()),
    ("painter-missing", "line", with_header("painter", None), "no painter named", ()),
    ("meta-not-object", "line", with_header("meta", [1, 2]), "the meta must be a JSON object, not an array", ()),
    ("fps-text", "line", with_meta(fps="20"), "in meta.json, fps '20' is not valid", ()),
    ("fps-negative", "line", with_meta(fps=-5), "fps -5 is not valid", ()),
    ("fps-too-high", "line", with_meta(fps=1000), "fps 1000 is not valid: use at most 60", ()),
    ("title-list", "line", with_meta(title=["a", "b"]), "title ['a', 'b'] is not valid: use text", ()),
    ("xlabel-number", "line", with_meta(xlabel=3), "xlabel 3 is not valid: use text", ()),
    ("class-names-three", "boundary", with_meta(class_names=[1, 2, 3]), "class_names [1, 2, 3] is not valid", ()),
    ("class-names-text", "boundary", with_meta(class_names="ab"), "class_names 'ab' is not valid", ()),
    ("equation-unknown-param", "line",
     with_meta(equation={"kind": "linear", "slope": "nope", "intercept": "linear.bias"}),
     "meta names 'nope' as the equation's slope, but there is no such parameter", ()),
    ("equation-text", "line", with_meta(equation="y = 3x"), "equation 'y = 3x' is not valid", ()),
    ("equation-slope-number", "line", with_meta(equation={"kind": "linear", "slope": 3, "intercept": "linear.bias"}),
     "equation slope 3 is not valid", ()),
    ("equation-short-target", "line",
     with_meta(equation={"kind": "polynomial", "weights": "linear.weight", "bias": "linear.bias", "target": [1]}),
     "equation target [1] is not valid", ()),
    ("settings-types", "line", with_meta(settings={"seed": "x", "lr": 0.1, "steps": 10}), "settings seed 'x'", ()),
    ("settings-lr-text", "line", with_meta(settings={"seed": 0, "lr": "fast", "steps": 10}), "settings lr 'fast'", ()),
    ("settings-text", "line", with_meta(settings="fast"), "settings 'fast' is not valid", ()),
    ("diverged-at-text", "line", with_meta(diverged_at="soon"), "diverged_at 'soon' is not valid", ()),
    ("interrupted-at-float", "line", with_meta(interrupted_at=2.5), "interrupted_at 2.5 is not valid", ()),
    ("stopped-early-text", "line", with_meta(stopped_early="no"), "stopped_early 'no' is not valid", ()),
    ("stop-below-text", "line", with_meta(stopped_early=True, stop_below="low"), "stop_below 'low' is not valid", ()),
    ("path-unknown-params", "line", with_meta(path_params=["a", "b"], path_labels=DELETE),
     "meta names 'a' as a parameter of the loss surface's path", ("--param-path",)),
    ("path-one-param", "line", with_meta(path_params=["linear.weight"]), "path_params ['linear.weight'] is not valid",
     ()),
    ("path-labels-numbers", "line", with_meta(path_labels=[1, 2]), "path_labels [1, 2] is not valid", ()),
    ("surface-without-path", "line", with_meta(path_params=DELETE, path_labels=DELETE),
     "static/surface.npy needs the meta's path", ("--param-path",)),
    ("meta-json-garbage", "line", with_bytes("meta.json", b"{not json"), "meta.json is not valid JSON", ()),
    ("meta-json-deep", "line", with_bytes("meta.json", b"[" * 100_000), "meta.json is not valid JSON", ()),
    ("meta-json-latin1", "line", with_bytes("meta.json", "{\"title\": \"caf\xe9\"}".encode("latin-1")),
     "meta.json is not valid JSON", ()),
    # .npy members that are not .npy arrays, or whose header does not fit the bytes there
    ("npy-garbage", "line", with_bytes("loss.npy", b"not an array at all"), "loss.npy is not a .npy array", ()),
    ("npy-too-few-bytes", "line", with_bytes("loss.npy", npy(np.zeros(11))[:-8]), "loss.npy has 80 bytes of data", ()),
    ("npy-too-many-bytes", "line", with_bytes("loss.npy", npy(np.zeros(11)) + bytes(8)), "loss.npy has 96 bytes", ()),
]


@pytest.mark.parametrize("base, mutate, words, options", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_damaged_trace_is_one_clean_line(tmp_path, bases, base, mutate, words, options):
    entries = entries_of(bases[base], tmp_path)
    mutate(entries)
    line = refused(write(tmp_path / "run.npz", entries), tmp_path, *options)
    assert words in line
    assert "run.npz" in line


# ---- damaged zips ----------------------------------------------------------------------------------------
def data_offset(raw: bytes, info: zipfile.ZipInfo) -> int:
    """Where member ``info``'s stored (compressed) bytes begin in the zip ``raw``."""
    name_length, extra_length = struct.unpack("<HH", raw[info.header_offset + 26: info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length


def damaged_zip(path, linear_trace, tmp_path, how: str):
    entries = entries_of(linear_trace, tmp_path)
    write(path, entries, zipfile.ZIP_STORED if how == "bad crc" else zipfile.ZIP_DEFLATED)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("loss.npy")
    start = data_offset(raw, info)
    if how == "bad deflate":  # a first block of the reserved type 3: zlib refuses it
        raw[start: start + info.compress_size] = b"\xff" * info.compress_size
    elif how == "bad crc":  # a stored byte changed: only the CRC shows it
        raw[start + 100] ^= 0x55
    elif how == "truncated":
        raw = raw[: len(raw) * 2 // 3]
    elif how == "encrypted":  # the "encrypted" flag set in the central directory's record of loss.npy
        record = raw.index(b"PK\x01\x02")
        while raw[record + 46: record + 46 + len("loss.npy")] != b"loss.npy":
            record = raw.index(b"PK\x01\x02", record + 4)
        raw[record + 8] |= 0x1
    elif how == "bzip2":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as archive:
            for name, data in entries.items():
                archive.writestr(name, data)
        return path
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("how, words", [
    ("bad deflate", "not a readable animate trace"),
    ("bad crc", "not a readable animate trace (Bad CRC-32"),
    ("truncated", "not a readable animate trace"),
    ("encrypted", "loss.npy is encrypted"),
    ("bzip2", "uses zip compression method 12"),
])
def test_a_damaged_zip_is_one_clean_line(tmp_path, linear_trace, how, words):
    path = damaged_zip(tmp_path / "run.npz", linear_trace, tmp_path, how)
    assert words in refused(path, tmp_path)


# ---- what loading may allocate ---------------------------------------------------------------------------
BOMB_FLOATS = 50_000_000  # 400 MB of zeros that deflate to under 0.5 MB


def raw_zip(members: list) -> bytes:
    """A zip of ``(name, deflated bytes, crc32, size)`` members, written by hand so a bomb can be made from
    one compressed megabyte repeated, without deflating 400 MB in the test."""
    local, central = b"", b""
    for name, data, crc, size in members:
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(data), size)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack(
            "<HHHHHII", len(name), 0, 0, 0, 0, 0, len(local)) + name.encode()
        local += b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name.encode() + data
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), len(local), 0)
    return local + central + end


def deflated(data: bytes) -> tuple:
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    return raw.compress(data) + raw.flush(), zlib.crc32(data), len(data)


@pytest.fixture(scope="module")
def bomb(linear_trace, tmp_path_factory):
    """A trace whose curve inflates to 400 MB of zeros from a file of under 1 MB; every header is honest."""
    folder = tmp_path_factory.mktemp("bomb")
    entries = entries_of(linear_trace, folder)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (BOMB_FLOATS,)})
    header = header.getvalue()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    megabyte = bytes(2**20)
    start = packer.compress(header) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(megabyte) + packer.flush(zlib.Z_FULL_FLUSH)  # the same bytes for every megabyte
    blocks, rest = divmod(BOMB_FLOATS * 8, len(megabyte))
    crc = zlib.crc32(header)
    for _ in range(blocks):
        crc = zlib.crc32(megabyte, crc)
    crc = zlib.crc32(bytes(rest), crc)
    data = start + block * blocks + packer.compress(bytes(rest)) + packer.flush()
    members = [(name, *deflated(value)) for name, value in entries.items() if name != "outputs/curve.npy"]
    members.append(("outputs/curve.npy", data, crc, len(header) + BOMB_FLOATS * 8))
    path = folder / "bomb.npz"
    path.write_bytes(raw_zip(members))
    assert path.stat().st_size < 1_000_000
    with zipfile.ZipFile(path) as archive:  # an honest zip: only its ratio gives it away
        assert archive.getinfo("outputs/curve.npy").file_size > 400_000_000
    return path


def test_a_zip_bomb_is_refused_by_the_cli(tmp_path, bomb):
    line = refused(bomb, tmp_path)
    assert "its members would unpack to 400,0" in line and "bytes, more than the 67,108,864 allowed" in line


def peak_memory_script(path) -> str:
    """A script that loads ``path`` and prints the refusal and how far loading raised the process's peak memory.

    The peak is the kernel's VmHWM, not ``ru_maxrss``: a process started from this one inherits this
    one's peak in ``ru_maxrss`` across fork and exec, so after another test has loaded a large trace
    here a child's growth would hide under it. VmHWM starts afresh with the new program.
    """
    return textwrap.dedent(f"""
        from animate.errors import AnimateError
        from animate.trace import Trace

        def peak():
            with open("/proc/self/status") as status:
                return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))

        before = peak()
        try:
            Trace.load({str(path)!r})
        except AnimateError as error:
            print("refused:", error)
        print(peak() - before)
    """)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the peak memory from /proc")
def test_a_zip_bomb_is_refused_without_inflating_it(bomb):
    result = subprocess.run([sys.executable, "-c", peak_memory_script(bomb)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    message, grown = result.stdout.strip().splitlines()
    assert message.startswith("refused:")
    assert int(grown) < 16 * 2**20  # the member claims 400 MB; loading it raised the peak by under 16 MB


def test_an_npy_header_claiming_a_trillion_floats_is_refused_without_allocating(tmp_path, linear_trace):
    entries = entries_of(linear_trace, tmp_path)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    entries["loss.npy"] = header.getvalue() + bytes(88)
    path = write(tmp_path / "run.npz", entries)
    with pytest.raises(AnimateError, match=r"loss.npy has 88 bytes of data, but its header says \(1000000000000,\)"):
        Trace.load(path)  # not a MemoryError
    refused(path, tmp_path)


def test_members_a_trace_does_not_use_are_not_read(tmp_path, linear_trace):
    entries = entries_of(linear_trace, tmp_path)
    entries["notes/from-a-newer-animate.bin"] = b"\x00\xff anything at all"
    entries["params/linear.weight.npy.orig"] = b"not an array"
    loaded = Trace.load(write(tmp_path / "run.npz", entries))
    assert loaded.meta == linear_trace.meta and set(loaded.params) == set(linear_trace.params)


# ---- traces built in code are checked the same way --------------------------------------------------------
def test_traces_built_in_code_are_checked_too():
    steps, loss = np.arange(3), np.ones(3)
    with pytest.raises(AnimateError, match=r"trace painter 'line' needs outputs\['curve'\], which is missing"):
        Trace(painter="line", steps=steps, loss=loss, static={"grid_x": np.linspace(0, 1, 5)})
    with pytest.raises(AnimateError, match=r"trace static\['truth_y'\] has shape \(4,\)"):
        Trace(painter="history", steps=steps, loss=loss, static={"grid_x": np.linspace(0, 1, 5), "truth_y": np.ones(4)})
    with pytest.raises(AnimateError, match=r"trace steps holds float64 \(<f8\)"):
        Trace(painter="history", steps=np.array([0.0, np.nan]), loss=np.ones(2))
    with pytest.raises(AnimateError, match="meta names 'w' as the equation's slope"):
        Trace(painter="history", steps=steps, loss=loss, meta={"equation": {"kind": "linear", "slope": "w",
                                                                          "intercept": "b"}})


# ---- random damage ---------------------------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6,
)
HEADER_KEYS = ["format", "version", "painter", "meta"]
SHAPES = st.lists(st.integers(0, 30), min_size=0, max_size=3).map(tuple)
DTYPES = st.sampled_from(["<f8", "<f4", ">f8", "<f2", "<i8", "<u2", "|b1", "|u1", "<c8", "<U2"])
SPECIALS = st.sampled_from([0.0, np.nan, np.inf, -np.inf, 1e300, -1e300, 1e-300, 7.0, -3e38])
# Words a file may hold: any text, and some that matplotlib would read as (good or bad) formulas.
WORDS = st.one_of(st.text(max_size=12), st.sampled_from(["$x^2$", "$\\foo$", "$$", "a $ b", "cost \\$5", "", " "]))
PARAMS = st.sampled_from(["linear.weight", "linear.bias", "w", "b", "nope"])
# Values of the right JSON type for each meta key (so that most of them load and get drawn).
TYPED_META = {
    **{key: WORDS for key in ("title", "scene", "xlabel", "ylabel", "loss_name", "step_name", "truth_label")},
    "class_names": st.lists(WORDS, min_size=2, max_size=2),
    "equation": st.one_of(
        st.fixed_dictionaries({"kind": st.just("linear"), "slope": PARAMS, "intercept": PARAMS, "lhs": WORDS}),
        st.fixed_dictionaries({"kind": st.just("polynomial"), "weights": PARAMS, "bias": PARAMS,
                               "target": st.lists(st.floats(), min_size=2, max_size=6)})),
    "settings": st.fixed_dictionaries({"seed": st.integers(-5, 2**64), "lr": st.floats(allow_nan=False,
                                                                                      allow_infinity=False),
                                       "steps": st.integers(0, 10**9)}),
    "fps": st.floats(0.01, 60),
    "stop_below": st.floats(allow_nan=False, allow_infinity=False),
    "stopped_early": st.booleans(),
    "diverged_at": st.integers(-(2**63), 2**63),
    "interrupted_at": st.integers(-10, 10**12),
    "path_params": st.lists(PARAMS, min_size=2, max_size=2),
    "path_labels": st.lists(WORDS, min_size=2, max_size=2),
}
META_KEYS = sorted(TYPED_META)
# Each kind of damage, weighted towards what still loads (so the drawing sees odd but valid traces too).
KINDS = ["numbers"] * 3 + ["values"] * 2 + ["meta-typed"] * 3 + [
    "flip", "truncate", "meta", "meta-delete", "header", "delete", "add", "reshape"]


def unless_damaged(mutate):
    """``mutate``, skipped where an earlier change already removed or broke what it changes."""
    def run(entries):
        try:
            mutate(entries)
        except (KeyError, ValueError, TypeError, EOFError):
            pass
    return run


def flip(name, position, byte, after_header=False):
    """Member ``name`` with one byte changed (for a .npy array, if ``after_header``, one of its numbers)."""
    def mutate(entries):
        data = bytearray(entries[name])
        start = len(npy_header_bytes(data)) if after_header and name.endswith(".npy") else 0
        if len(data) > start:
            data[start + position % (len(data) - start)] ^= byte
            entries[name] = bytes(data)
    return unless_damaged(mutate)


def truncated(name, share):
    """Member ``name`` cut to ``share`` of its length."""
    def mutate(entries):
        entries[name] = entries[name][: int(len(entries[name]) * share)]
    return unless_damaged(mutate)


def npy_header_bytes(data) -> bytes:
    stream = io.BytesIO(bytes(data))
    version = np.lib.format.read_magic(stream)
    read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    read(stream)
    return bytes(data[: stream.tell()])


def changed_array(name, reshape, shape, dtype, special):
    """Member ``name`` as an array of another ``shape``, or of another ``dtype`` with a ``special`` number in it."""
    def mutate(entries):
        array = array_in(entries, name)
        if reshape:
            array = np.resize(array, shape)
        else:
            with np.errstate(all="ignore"):  # NaN to int, 1e300 to float16: whatever the cast makes is fine
                array = array.astype(dtype)
                if array.size and array.dtype.kind in "fc":
                    array.flat[shape[0] % array.size if shape else 0] = special
        entries[name] = npy(array)
    return unless_damaged(mutate)


@st.composite
def mutations(draw, names):
    """One change to the members of a saved trace, as a function of the dict of members."""
    name = draw(st.sampled_from(names))
    kind = draw(st.sampled_from(KINDS))
    if kind in ("flip", "numbers"):
        return flip(name, draw(st.integers(0, 10**6)), draw(st.integers(1, 255)), after_header=kind == "numbers")
    if kind == "truncate":
        return truncated(name, draw(st.floats(0, 1)))
    if kind == "meta-typed":
        key = draw(st.sampled_from(META_KEYS))
        return unless_damaged(with_meta(**{key: draw(TYPED_META[key])}))
    if kind in ("meta", "meta-delete"):
        key = draw(st.sampled_from(META_KEYS))
        return unless_damaged(with_meta(**{key: DELETE if kind == "meta-delete" else draw(JSON_VALUES)}))
    if kind == "header":
        return unless_damaged(with_header(draw(st.sampled_from(HEADER_KEYS)), draw(JSON_VALUES)))
    if kind == "delete":
        return unless_damaged(without(name))
    if kind == "add":
        group = draw(st.sampled_from(["params", "outputs", "scalars", "static", "other"]))
        key = draw(st.sampled_from(["curve", "prob", "grid_x", "grid_y", "points_label", "surface", "w", "x"]))
        values = np.resize(np.arange(-5, 25, dtype=float), draw(SHAPES)).astype(draw(DTYPES))
        return with_bytes(f"{group}/{key}.npy", npy(values))
    if not name.endswith(".npy"):
        return lambda entries: None
    return changed_array(name, kind == "reshape", draw(SHAPES), draw(DTYPES), draw(SPECIALS))


def loads_and_draws_or_fails_cleanly(path):
    try:
        trace = Trace.load(path)
    except AnimateError as error:
        assert "\n" not in str(error) and str(error).strip(), repr(error)
        event("refused")
        return
    renderer = Renderer(trace, RenderOptions(size=(320, 240), dpi=50))
    renderer.frame(0)
    renderer.frame(len(renderer) - 1)
    event("loaded and drawn")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Glyph")  # random words hold characters the font lacks: drawn as boxes
# About 10 s; UNTRUSTED_EXAMPLES=400 searches harder (no example database: nothing is written to the checkout).
@settings(max_examples=int(os.environ.get("UNTRUSTED_EXAMPLES", 30)), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_damage_loads_and_draws_or_fails_in_one_line(tmp_path, bases, data):
    base = bases[data.draw(st.sampled_from(sorted(bases)))]
    entries = entries_of(base, tmp_path)
    changes = data.draw(st.lists(mutations(sorted(entries)), min_size=1, max_size=2))
    for mutate in changes:
        mutate(entries)
    path = write(tmp_path / "damaged.npz", entries)
    if data.draw(st.integers(0, 4)) == 0:  # sometimes the damage is to the zip itself: its compressed bytes or end
        raw = bytearray(path.read_bytes())
        position = data.draw(st.integers(0, len(raw) - 1))
        if data.draw(st.booleans()):
            raw[position] ^= data.draw(st.integers(1, 255))
        else:
            raw = raw[:position]
        path.write_bytes(bytes(raw))
    loads_and_draws_or_fails_cleanly(path)


def test_words_with_dollar_signs_are_drawn_as_written(linear_trace, tmp_path):
    """Words are drawn literally: "$\\frac{1}$" and "from $5 to $6" would be (broken) formulas to matplotlib."""
    trace = Trace(painter=linear_trace.painter, steps=linear_trace.steps, loss=linear_trace.loss,
                  params=linear_trace.params, outputs=linear_trace.outputs, static=linear_trace.static,
                  meta=linear_trace.meta.replace(title="$\\frac{1}$ run", xlabel="from $5 to $6"))
    trace.save(tmp_path / "dollars.npz")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "dollars.npz"), "-o", str(tmp_path / "d.gif"),
                                       "-q", "--title", "a $\\foo$ title"])
    assert result.exit_code == 0, result.output
    renderer = Renderer(trace, RenderOptions(size=(320, 240), dpi=50))
    renderer.frame(0)
    assert renderer.picture.figure.texts[0].get_text() == "\\$\\frac{1}\\$ run"  # escaped: drawn as written
