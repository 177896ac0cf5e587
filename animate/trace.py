"""The record of one training run: plain numbers that can be rendered, saved and rendered again.

A trace file is a zip of ``.npy`` arrays (NumPy's own format, read without pickle) plus a JSON header
``meta.json``. Entries are written in a fixed order with a fixed timestamp, so the same run always
gives the same bytes. A trace file is untrusted input: :mod:`animate.trace_file` reads it, and every
trace, read or made in code, passes the checks of :mod:`animate.trace_checks`.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np

from .errors import AnimateError
from .meta import TraceMeta, as_meta
from .trace_checks import GROUPS, PAINTERS, check_parts  # noqa: F401  (PAINTERS: what a trace may name)
from .trace_file import FORMAT_NAME, FORMAT_VERSION, read_trace_file

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
    The parts are checked against each other when the trace is made (see :func:`check_parts`).
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
        try:
            check_parts(self.painter, self.steps, self.loss, self._groups(), self.meta)
        except AnimateError as error:
            raise AnimateError(f"trace {error}") from None

    def _groups(self) -> dict:
        return {group: getattr(self, group) for group in GROUPS}

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
        for group in GROUPS:
            for name in sorted(getattr(self, group)):
                entries.append((f"{group}/{name}.npy", _npy_bytes(getattr(self, group)[name])))
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)

    @classmethod
    def load(cls, path: str | Path) -> "Trace":
        """Read a trace written by :meth:`save`; raise :class:`AnimateError` if it is not one.

        The file is untrusted: its declared sizes are checked against a budget before anything is
        inflated, each array's header before its array is allocated, and every part before it is used.
        Members this version does not use are not read (a newer writer may add some).
        """
        path = Path(path)
        if not path.is_file():
            raise AnimateError(f"trace file {str(path)!r} does not exist or is not a file")
        return cls(**read_trace_file(path))


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()
