"""The record of one training run: plain numbers that can be rendered, saved and rendered again.

A trace file is a zip of ``.npy`` arrays (NumPy's own format, read without pickle) plus a JSON header
``meta.json``. Entries are written in a fixed order with a fixed timestamp, so the same run always
gives the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .errors import AnimateError
from .meta import TraceMeta, as_meta

FORMAT_NAME = "animate-trace"
FORMAT_VERSION = 1
_GROUPS = ("params", "outputs", "scalars", "static")
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Trace:
    """Snapshots of a run (one row per recorded step) and what the picture needs besides them.

    ``steps`` and ``loss`` have one entry per snapshot; every array in ``params`` and ``outputs`` has the
    snapshot as its first axis, and ``scalars`` (named numbers such as an accuracy) one value per
    snapshot. ``static`` holds what does not change (data points, grids, the true function); ``meta``
    (a :class:`~animate.meta.TraceMeta`; a dict of its field names is converted) holds the words,
    settings and how the run ended. ``painter`` names the
    drawing that suits the trace: ``"line"``, ``"boundary"``, or ``"history"`` (loss and scalars only).
    """

    painter: str
    steps: np.ndarray
    loss: np.ndarray
    params: Mapping[str, np.ndarray] = field(default_factory=dict)
    outputs: Mapping[str, np.ndarray] = field(default_factory=dict)
    scalars: Mapping[str, np.ndarray] = field(default_factory=dict)
    static: Mapping[str, np.ndarray] = field(default_factory=dict)
    meta: TraceMeta = field(default_factory=TraceMeta)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", as_meta(self.meta))
        steps = np.asarray(self.steps)
        count = len(steps)
        if steps.ndim != 1 or count == 0:
            raise AnimateError(f"a trace needs at least one snapshot, got steps of shape {steps.shape}")
        if np.any(np.diff(steps) <= 0):
            raise AnimateError("trace steps must increase from one snapshot to the next")
        if np.shape(self.loss) != (count,):
            raise AnimateError(f"trace has {count} steps but loss of shape {np.shape(self.loss)}")
        for group in ("params", "outputs", "scalars"):
            for name, values in getattr(self, group).items():
                if np.shape(values)[:1] != (count,):
                    raise AnimateError(
                        f"trace {group} {name!r} has shape {np.shape(values)}, expected {count} snapshots first"
                    )

    def __len__(self) -> int:
        return len(self.steps)

    def final_params(self) -> dict[str, np.ndarray]:
        """The parameters at the last snapshot."""
        return {name: values[-1] for name, values in self.params.items()}

    def save(self, path: str | Path) -> None:
        """Write the trace to ``path`` (any suffix; ``.npz`` by convention), byte-identical for equal traces."""
        header = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "painter": self.painter,
                  "meta": self.meta.to_json()}
        entries = [("meta.json", json.dumps(header, sort_keys=True, indent=1).encode())]
        entries.append(("steps.npy", _npy_bytes(self.steps)))
        entries.append(("loss.npy", _npy_bytes(self.loss)))
        for group in _GROUPS:
            for name in sorted(getattr(self, group)):
                entries.append((f"{group}/{name}.npy", _npy_bytes(getattr(self, group)[name])))
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)

    @classmethod
    def load(cls, path: str | Path) -> "Trace":
        """Read a trace written by :meth:`save`; raise :class:`AnimateError` if it is not one."""
        path = Path(path)
        if not path.is_file():
            raise AnimateError(f"trace file {str(path)!r} does not exist or is not a file")
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "meta.json" not in names:
                    raise AnimateError(f"{str(path)!r} is not an animate trace (no meta.json inside)")
                header = json.loads(archive.read("meta.json"))
                _check_header(header, path)
                arrays = {name: _read_npy(archive, name) for name in names if name.endswith(".npy")}
        except AnimateError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as error:
            raise AnimateError(f"{str(path)!r} is not a readable animate trace ({error})") from None
        groups = {group: {} for group in _GROUPS}
        for name, array in arrays.items():
            group, _, rest = name.partition("/")
            if group in groups and rest:
                groups[group][rest[: -len(".npy")]] = array
        if "steps.npy" not in arrays or "loss.npy" not in arrays:
            raise AnimateError(f"{str(path)!r} is an incomplete trace (steps or loss missing)")
        return cls(
            painter=header["painter"],
            steps=arrays["steps.npy"],
            loss=arrays["loss.npy"],
            meta=_meta_of(header, path),
            **groups,
        )


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def _read_npy(archive: zipfile.ZipFile, name: str) -> np.ndarray:
    return np.lib.format.read_array(io.BytesIO(archive.read(name)), allow_pickle=False)


def _meta_of(header: dict, path: Path) -> TraceMeta:
    try:
        return TraceMeta.from_json(header.get("meta") or {})
    except AnimateError as error:
        raise AnimateError(f"{str(path)!r} is a damaged trace: {error}") from None


def _check_header(header: Any, path: Path) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise AnimateError(f"{str(path)!r} is not an animate trace")
    if header.get("version") != FORMAT_VERSION:
        raise AnimateError(
            f"{str(path)!r} is trace format version {header.get('version')!r}; "
            f"this animate reads version {FORMAT_VERSION}"
        )
    if not isinstance(header.get("painter"), str):
        raise AnimateError(f"{str(path)!r} is a damaged trace (no painter named)")
