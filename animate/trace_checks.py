"""Whether the parts of a trace fit together: the checks every trace passes, made in code or read from a file.

Each problem is one :class:`AnimateError` line naming the part, as code names it (``params['w']``) or
as a file does (``params/w.npy``). The checks look at shapes and a few small arrays, so they cost
little next to recording.
"""

from __future__ import annotations

from typing import Callable, Mapping, Optional

import numpy as np

from .errors import AnimateError
from .meta import LinearEquation, PolynomialEquation, TraceMeta
from .options import MAX_FRAMES

MAX_CLASSES = 9  # a regions picture's classes, at most (one colour each)
PAINTERS = ["boundary", "history", "line", "regions"]  # sorted, as messages list them; "history": loss and scalars only
GROUPS = ("params", "outputs", "scalars", "static")
# Axis limits are padded around the values they show (a log axis by 5% of its span in decades), so a
# loss of about 1e280 already asks for a limit past float64's 1.8e308; 1e200 leaves room for padding
# and sits far above anything float32 training can reach (3.4e38). Beyond it, only inf or nan.
LARGEST_DRAWN_VALUE = 1e200
MAX_WORDS = 200  # characters in a title or a label: more cannot be read on a frame
NUMERIC_KINDS = "biuf"  # bool, signed and unsigned integers, floats: no objects, text, records or pickles
# What a saved trace needs besides, to be drawn: the boundary plot draws the data points. (A trace built
# in code may leave them out, e.g. to look at the probabilities only; its caller knows what it made.)
SAVED_NEEDS = {"boundary": ("points_x", "points_y"), "regions": ("points_x", "points_y")}


def reason(error, limit: int = 160) -> str:
    """An exception's message on one short line (NumPy's and zipfile's may span lines or quote a whole header)."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown_name(name: str) -> str:
    """A member's name as a message shows it: as it is, or quoted when it holds characters that would
    break the one line (a name in a file can be anything)."""
    return name if name.isprintable() else repr(name)


def short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def numeric(dtype: np.dtype) -> bool:
    """Whether ``dtype`` is plain numbers (see ``NUMERIC_KINDS``): not objects, text, records or sub-arrays."""
    return dtype.kind in NUMERIC_KINDS and dtype.fields is None and dtype.subdtype is None


def dtype_words(dtype: np.dtype) -> str:
    """What an array of ``dtype`` holds, in words (for a message saying it is not numbers)."""
    words = {"O": "Python objects", "U": "text", "S": "bytes", "V": "records", "c": "complex numbers",
             "M": "dates", "m": "time spans"}
    kind = "V" if dtype.fields is not None or dtype.subdtype is not None else dtype.kind
    return f"{words.get(kind, dtype.name)} ({dtype.str})"


Namer = Callable[[Optional[str], str], str]


def in_code(group: Optional[str], key: str) -> str:
    """A part as code names it: ``steps``, ``params['w']``."""
    return key if group is None else f"{group}[{short(key)}]"


def in_file(group: Optional[str], key: str) -> str:
    """A part as the file names it: ``steps.npy``, ``params/w.npy``."""
    return shown_name(f"{key}.npy" if group is None else f"{group}/{key}.npy")


def check_parts(painter: str, steps, loss, groups: Mapping[str, Mapping], meta: TraceMeta,
                name: Namer = in_code) -> None:
    """Raise :class:`AnimateError` (one line naming the part, via ``name``) unless the parts of a trace fit.

    Steps are whole numbers, 0 or more, increasing; loss has one number per step; every params, outputs
    and scalars array has the snapshots first; the static arrays agree with each other; a known
    painter has what it draws; the meta's equation and parameter path name parameters the trace has.
    The checks look at shapes and a few small arrays, so they cost little next to recording.
    """
    if painter not in PAINTERS:
        raise AnimateError(f"no painter named {short(painter)}: valid painters are {', '.join(PAINTERS)}")
    count = _check_steps(steps, name)
    if count > MAX_FRAMES:
        raise AnimateError(f"{name(None, 'steps')} has {count:,} snapshots: an animation shows at most {MAX_FRAMES:,} "
                           "frames (record with fewer)")
    _check_loss(loss, count, name)
    for group in ("params", "outputs", "scalars"):
        for key, values in groups.get(group, {}).items():
            _check_snapshots(values, count, name(group, key), scalar=group == "scalars")
    static = groups.get("static", {})
    _check_static(static, name)
    if painter in ("line", "boundary", "regions"):
        _check_picture(painter, groups.get("outputs", {}), static, count, name)
    _check_meta_refs(meta, groups.get("params", {}), static, count, name)
    _check_word_lengths(meta)


def _check_word_lengths(meta: TraceMeta) -> None:
    """Words drawn on a frame fit on it: a title of 100,000 characters is no title (and takes minutes to
    lay out)."""
    words = {name: getattr(meta, name) for name in ("title", "scene", "xlabel", "ylabel", "loss_name", "step_name",
                                                    "truth_label")}
    words.update({f"class_names[{i}]": text for i, text in enumerate(meta.class_names)})
    if meta.path is not None:
        words.update({f"path_labels[{i}]": text for i, text in enumerate(meta.path.labels)})
    for key, text in words.items():
        if isinstance(text, str) and len(text) > MAX_WORDS:
            raise AnimateError(f"meta {key} is {len(text):,} characters long: words on a frame take at most "
                               f"{MAX_WORDS}")


def _numbers(values, what: str, kinds: str = NUMERIC_KINDS) -> np.ndarray:
    """``values`` as an array, if it holds numbers of ``kinds`` (see ``NUMERIC_KINDS``)."""
    try:
        array = np.asarray(values)
    except (ValueError, TypeError) as error:
        raise AnimateError(f"{what} is not an array of numbers ({reason(error)})") from None
    if array.dtype.kind not in kinds or not numeric(array.dtype):
        raise AnimateError(f"{what} holds {dtype_words(array.dtype)}: use numbers"
                           f"{' (int or float)' if 'b' not in kinds else ''}")
    return array


def _check_steps(steps, name: Namer) -> int:
    what = name(None, "steps")
    steps = np.asarray(steps)
    if steps.ndim != 1 or len(steps) == 0:
        raise AnimateError(f"{what} has shape {steps.shape}: give a 1-D array, one step per snapshot (at least one)")
    if steps.dtype.kind not in "iu":
        raise AnimateError(f"{what} holds {dtype_words(steps.dtype)}: steps are whole numbers (int)")
    if steps.min() < 0:
        raise AnimateError(f"{what} has step {int(steps.min())}: steps count from 0")
    # Compare neighbours rather than take differences: unsigned differences wrap around instead of going negative.
    if np.any(steps[1:] <= steps[:-1]):
        raise AnimateError(f"{what} must increase from one snapshot to the next")
    return len(steps)


def _check_loss(loss, count: int, name: Namer) -> None:
    what = name(None, "loss")
    loss = _numbers(loss, what, "iuf")
    if loss.shape != (count,):
        raise AnimateError(f"{what} of shape {loss.shape} does not match the {count} steps: give one loss per step")
    _check_drawn_values(loss, what)


def _check_snapshots(values, count: int, what: str, scalar: bool) -> None:
    values = _numbers(values, what)
    if values.shape[:1] != (count,) or (scalar and values.ndim != 1):
        expected = f"({count},)" if scalar else f"{count} snapshots first"
        raise AnimateError(f"{what} has shape {values.shape}, expected {expected}")
    if scalar:
        _check_drawn_values(values, what)


def _check_drawn_values(values, what: str, one_finite: bool = False) -> None:
    """Values an axis is fitted around (a loss, a scalar, a line's y data) stay within
    ``LARGEST_DRAWN_VALUE``, where padding the limits cannot overflow; values that are not finite are
    left out of the limits, so they may be anything, but with ``one_finite`` at least one must be finite."""
    values = np.ravel(values).astype(float)
    finite = values[np.isfinite(values)]
    if one_finite and not finite.size:
        raise AnimateError(f"{what}: no finite number to fit the axis to")
    if finite.size and np.abs(finite).max() > LARGEST_DRAWN_VALUE:
        raise AnimateError(f"{what}: {finite[np.argmax(np.abs(finite))]:g} is too large to draw (beyond "
                           f"±{LARGEST_DRAWN_VALUE:g}; only inf and nan may stand for more)")


def _check_static(static: Mapping, name: Namer) -> None:
    """Static arrays hold numbers, and those that belong together agree."""
    arrays = {key: _numbers(values, name("static", key)) for key, values in static.items()}
    points = [key for key in ("points_x", "points_y", "points_label") if key in arrays]
    if points:
        for key in ("points_x", "points_y"):
            if key not in arrays:
                raise AnimateError(f"{name('static', points[0])} needs {name('static', key)}, which is missing")
        shapes = {arrays[key].shape for key in points}
        if len(shapes) != 1 or arrays["points_x"].ndim != 1 or not len(arrays["points_x"]):
            raise AnimateError(f"{', '.join(name('static', key) for key in points)} have shapes "
                               f"{', '.join(str(arrays[key].shape) for key in points)}: give 1-D arrays of one "
                               "length, at least 1")
    for key in ("grid_x", "grid_y", "surface_a", "surface_b"):
        if key in arrays:
            _check_axis(arrays[key], name("static", key))
    if "truth_y" in arrays:
        if "grid_x" not in arrays:
            raise AnimateError(f"{name('static', 'truth_y')} needs {name('static', 'grid_x')}, which is missing")
        if arrays["truth_y"].shape != arrays["grid_x"].shape:
            raise AnimateError(f"{name('static', 'truth_y')} has shape {arrays['truth_y'].shape}: give one value "
                               f"per grid_x, shape {arrays['grid_x'].shape}")
    if "surface" in arrays:
        _check_surface(arrays, name)


def _check_axis(axis: np.ndarray, what: str) -> None:
    """A grid along one axis: 1-D, at least two finite values, increasing (the drawing interpolates on it)."""
    if axis.ndim != 1 or len(axis) < 2 or axis.dtype.kind == "b":
        raise AnimateError(f"{what} has shape {axis.shape} of {axis.dtype}: give at least 2 numbers in a 1-D array")
    values = axis.astype(float)
    if not np.all(np.isfinite(values)) or np.any(values[1:] <= values[:-1]):
        raise AnimateError(f"{what} must hold finite numbers that increase along the grid")


def _check_surface(arrays: Mapping[str, np.ndarray], name: Namer) -> None:
    what = name("static", "surface")
    for key in ("surface_a", "surface_b"):
        if key not in arrays:
            raise AnimateError(f"{what} needs its grid {name('static', key)}, which is missing")
    expected = (len(arrays["surface_b"]), len(arrays["surface_a"]))
    surface = arrays["surface"]
    if surface.shape != expected:
        raise AnimateError(f"{what} has shape {surface.shape}, expected (len(surface_b), len(surface_a)) = {expected}")
    if not np.any(np.isfinite(surface.astype(float))):
        raise AnimateError(f"{what} holds no finite loss to draw")


# What each painter draws: the output it animates and its shape after the snapshots (the lengths of
# static grids, which it needs too).
PICTURES = {"line": ("curve", ("grid_x",)), "boundary": ("prob", ("grid_y", "grid_x")),
            "regions": ("probs", ("grid_y", "grid_x"))}  # regions: then one probability per class


def _check_picture(painter: str, outputs: Mapping, static: Mapping, count: int, name: Namer) -> None:
    output, sides = PICTURES[painter]
    for key in sides:
        if key not in static:
            raise AnimateError(f"painter {painter!r} needs {name('static', key)}, which is missing")
    if output not in outputs:
        raise AnimateError(f"painter {painter!r} needs {name('outputs', output)}, which is missing")
    expected = (count, *(len(static[side]) for side in sides))
    values = np.asarray(outputs[output])
    if painter == "regions":  # one probability per class, last: 2 to MAX_CLASSES of them
        if values.ndim == 4 and 2 <= values.shape[-1] <= MAX_CLASSES:
            expected = (*expected, values.shape[-1])
        else:
            expected = (*expected, "classes")
    if values.shape != expected:
        labels = ", ".join(["snapshots", *(f"len({side})" for side in sides), *(["classes"] if painter == "regions" else [])])
        raise AnimateError(f"{name('outputs', output)} has shape {values.shape}, expected ({labels}) = {expected}")
    if painter in ("boundary", "regions") and values.dtype.kind == "f" and not np.isfinite(values).all():
        # The shading turns each probability into a colour: NaN and infinity have none.
        raise AnimateError(f"{name('outputs', output)} holds NaN or infinity: probabilities are numbers from 0 to 1")
    if painter == "line":
        _check_line_values(static, values, name)


def _check_line_values(static: Mapping, curve: np.ndarray, name: Namer) -> None:
    """The y axis of a line plot is fitted to the data (points and true function), or to the fit where
    there is no data: those values must include a finite one and none too large to draw."""
    data = [key for key in ("points_y", "truth_y") if key in static]
    if data:
        values = np.concatenate([np.ravel(static[key]).astype(float) for key in data])
        _check_drawn_values(values, " and ".join(name("static", key) for key in data), one_finite=True)
    else:
        _check_drawn_values(curve, name("outputs", "curve"), one_finite=True)


def _check_meta_refs(meta: TraceMeta, params: Mapping, static: Mapping, count: int, name: Namer) -> None:
    """The parameters the equation and the loss surface's path name exist, with a value per snapshot."""
    equation = meta.equation
    if isinstance(equation, LinearEquation):
        _check_param(params, equation.slope, "the equation's slope", count, name)
        _check_param(params, equation.intercept, "the equation's intercept", count, name)
    elif isinstance(equation, PolynomialEquation):
        _check_param(params, equation.weights, "the equation's weights", count, name)
        _check_param(params, equation.bias, "the equation's bias", count, name)
    if meta.path is not None:
        for key in meta.path.names:
            _check_param(params, key, "a parameter of the loss surface's path", count, name)
    elif "surface" in static:
        raise AnimateError(f"{name('static', 'surface')} needs the meta's path (path_params): the two parameters "
                           "it was recorded over")


def _check_param(params: Mapping, key, role: str, count: int, name: Namer) -> None:
    if not isinstance(key, str) or key not in params:
        have = ", ".join(short(k) for k in sorted(params, key=str)) or "none"
        raise AnimateError(f"meta names {short(key)} as {role}, but there is no such parameter (params: {have})")
    if np.size(params[key]) < count:  # each snapshot needs at least one number to write or draw
        raise AnimateError(f"{name('params', key)} has shape {np.shape(params[key])}: {role} needs a number per "
                           "snapshot")
