"""Reading a trace file as untrusted input: it may come from anyone, or be cut short or damaged.

The zip's declared sizes are checked against a budget before anything is inflated, each ``.npy``
header before its array is allocated, only numeric arrays are read (never a pickle), and every part
is checked (:mod:`animate.trace_checks`) before it is used; anything wrong is one
:class:`AnimateError` line naming the part.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
import zlib
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .errors import AnimateError
from .meta import TraceMeta
from .options import MAX_FPS
from .trace_checks import (GROUPS, PAINTERS, SAVED_NEEDS, check_parts, dtype_words, in_file, numeric, reason,
                           short, shown_name)

FORMAT_NAME = "animate-trace"
FORMAT_VERSION = 1

# ---- what loading may cost ---------------------------------------------------------------------------
# Real traces compress between about 1x (noisy float curves) and 10x (smooth grids, repeated zeros), so
# a file whose members claim more than 100 times its size on disk is not a trace but a zip bomb: the
# limit keeps ten times headroom over any real trace and refuses the 685 KB file that inflates to
# 400 MB (584x) before a byte is inflated. Small files get at least 64 MiB, which any machine that can
# render can spare, so a tiny trace of very regular numbers is never refused for its ratio alone.
MIN_BUDGET = 64 * 2**20
MAX_EXPANSION = 100
META_LIMIT = 2**20  # meta.json holds words and a few numbers: a few kB
HEADER_LIMIT = 2**14  # more than any .npy header of a numeric array (NumPy refuses headers over 10,000 bytes)
CHUNK = 2**20  # arrays are inflated into place this much at a time, never held twice
_READABLE_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what save() and zip tools write
# What a damaged or cut-short zip raises while it is read; each becomes one "not readable" line.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, NotImplementedError,
               RecursionError)


def read_trace_file(path: Path) -> dict:
    """The checked parts of the trace file at ``path``: painter, steps, loss, the groups and meta."""
    header, arrays = _read_file(path)
    if "steps.npy" not in arrays or "loss.npy" not in arrays:
        raise AnimateError(f"{str(path)!r} is an incomplete trace (steps or loss missing)")
    parts = dict(painter=header["painter"], steps=arrays["steps.npy"], loss=arrays["loss.npy"],
                 meta=_meta_of(header, path), **_grouped(arrays))
    _check_saved(path, parts)
    return parts


def _read_file(path: Path) -> tuple[dict, dict]:
    """The checked header of the trace file at ``path`` and its arrays by member name."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _members(archive, path)
            header = _read_header(archive, members, path)
            arrays = {name: _read_npy(archive, info, path) for name, info in members.items() if _array_member(name)}
    except AnimateError:
        raise
    except _UNREADABLE as error:
        raise AnimateError(f"{str(path)!r} is not a readable animate trace ({reason(error)})") from None
    return header, arrays


def _grouped(arrays: Mapping[str, np.ndarray]) -> dict:
    """``{"params": {"w": ...}, ...}`` from members named ``params/w.npy``."""
    groups = {group: {} for group in GROUPS}
    for name, array in arrays.items():
        group, _, rest = name.partition("/")
        if group in groups:
            groups[group][rest[: -len(".npy")]] = array
    return groups


def _check_saved(path: Path, parts: dict) -> None:
    """The checks of :func:`check_parts`, with the parts named as the file names them, and what a saved
    trace needs besides to be drawn."""
    painter, static = parts["painter"], parts["static"]
    try:
        check_parts(painter, parts["steps"], parts["loss"], parts, parts["meta"], in_file)
    except AnimateError as error:
        raise _not_valid(path, error) from None
    for key in SAVED_NEEDS.get(painter, ()):
        if key not in static:
            raise _not_valid(path, f"painter {painter!r} needs {in_file('static', key)}, which is missing")


def _not_valid(path: Path, problem) -> AnimateError:
    return AnimateError(f"{str(path)!r} is not a valid trace: {problem}")


# ---- reading the zip: sizes first, then headers, then the arrays -------------------------------------
def _members(archive: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    """The zip's members by name, once their declared sizes fit the budget and each can be read safely."""
    infos = archive.infolist()
    size = path.stat().st_size
    budget = max(MIN_BUDGET, MAX_EXPANSION * size)
    total = sum(info.file_size for info in infos)
    if total > budget:
        raise _not_valid(path, f"its members would unpack to {total:,} bytes, more than the {budget:,} allowed "
                               f"for a file of {size:,} bytes (real traces compress at most about 10 times)")
    for info in infos:
        if info.flag_bits & 0x1:
            raise _not_valid(path, f"{shown_name(info.filename)} is encrypted; traces are not")
        if info.compress_type not in _READABLE_COMPRESSION:
            raise _not_valid(path, f"{shown_name(info.filename)} uses zip compression method "
                                   f"{info.compress_type}; traces use deflate (8) or none (0)")
    return {info.filename: info for info in infos}  # a repeated name: the last one, as zipfile reads it


def _array_member(name: str) -> bool:
    """Whether ``name`` is an array a trace uses: steps, loss, or ``GROUP/NAME.npy``."""
    group, _, rest = name.partition("/")
    return name in ("steps.npy", "loss.npy") or (group in GROUPS and rest.endswith(".npy"))


def _read_header(archive: zipfile.ZipFile, members: dict, path: Path) -> dict:
    """``meta.json``, parsed and checked: format, version and painter."""
    info = members.get("meta.json")
    if info is None:
        raise AnimateError(f"{str(path)!r} is not an animate trace (no meta.json inside)")
    if info.file_size > META_LIMIT:
        raise _not_valid(path, f"meta.json is {info.file_size:,} bytes; a trace's is a few kB (at most "
                               f"{META_LIMIT:,})")
    with archive.open(info) as stream:
        data = stream.read(META_LIMIT + 1)
    try:
        header = json.loads(data)
    except (ValueError, RecursionError) as error:  # not UTF-8, not JSON, or nested past Python's limit
        raise _not_valid(path, f"meta.json is not valid JSON ({reason(error)})") from None
    _check_header(header, path)
    return header


def _read_npy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> np.ndarray:
    """One ``.npy`` member, its header parsed and checked against the member's size before the array exists."""
    name = shown_name(info.filename)
    with archive.open(info) as stream:
        prefix = stream.read(min(info.file_size, HEADER_LIMIT))
        head = io.BytesIO(prefix)  # the header is parsed from these bytes only: it cannot ask for more
        try:
            shape, fortran_order, dtype = _npy_header(head)
        except Exception as error:  # NumPy's parser of an untrusted header raises more than ValueError (a
            # tokenize.TokenError, a TypeError from a strange dtype); whatever it is, this member is no array
            raise _not_valid(path, f"{name} is not a .npy array ({reason(error)})") from None
        if not numeric(dtype):
            raise _not_valid(path, f"{name} holds {dtype_words(dtype)}: a trace holds only numbers (bool, int, "
                                   "uint or float)")
        if any(not isinstance(side, int) or side < 0 for side in shape):
            raise _not_valid(path, f"{name} has shape {shape}; sides must be whole numbers, 0 or more")
        needed = math.prod(shape) * dtype.itemsize
        offset = head.tell()
        if info.file_size - offset != needed:
            raise _not_valid(path, f"{name} has {info.file_size - offset:,} bytes of data, but its header says "
                                   f"{shape} of {dtype.name}, which is {needed:,} bytes")
        raw = np.empty(needed, dtype=np.uint8)
        tail = prefix[offset:]
        raw[: len(tail)] = np.frombuffer(tail, dtype=np.uint8)
        _read_into(stream, raw, len(tail), name)
    return raw.view(dtype).reshape(shape, order="F" if fortran_order else "C")


def _npy_header(head: io.BytesIO) -> tuple:
    """(shape, fortran_order, dtype) from a ``.npy`` header, versions 1.0 and 2.0 (what NumPy writes for
    numeric arrays); anything else raises."""
    version = np.lib.format.read_magic(head)
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(head)
    if version == (2, 0):
        return np.lib.format.read_array_header_2_0(head)
    raise ValueError(f".npy format version {version[0]}.{version[1]}; numeric arrays are 1.0 or 2.0")


def _read_into(stream, raw: np.ndarray, start: int, name: str) -> None:
    """Fill ``raw`` from ``start`` with the rest of the member, a chunk at a time (so it is never held twice)."""
    view = memoryview(raw)
    while start < len(raw):
        chunk = stream.read(min(CHUNK, len(raw) - start))
        if not chunk:
            raise EOFError(f"{name} ends after {start:,} of {len(raw):,} bytes")
        view[start: start + len(chunk)] = chunk
        start += len(chunk)


def _meta_of(header: dict, path: Path) -> TraceMeta:
    try:
        meta = TraceMeta.from_json(header["meta"] if header.get("meta") is not None else {})
    except AnimateError as error:
        raise _not_valid(path, f"in meta.json, {error}") from None
    if meta.pace is not None and meta.pace > MAX_FPS:
        raise _not_valid(path, f"in meta.json, fps {meta.pace:g} is not valid: use at most {MAX_FPS:g}")
    return meta


def _check_header(header: Any, path: Path) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise AnimateError(f"{str(path)!r} is not an animate trace")
    if header.get("version") != FORMAT_VERSION:
        version = header.get("version")
        raise AnimateError(
            f"{str(path)!r} is trace format version {version if isinstance(version, int) else short(version)}; "
            f"this animate reads version {FORMAT_VERSION}"
        )
    painter = header.get("painter")
    if not isinstance(painter, str):
        raise AnimateError(f"{str(path)!r} is a damaged trace (no painter named)")
    if painter not in PAINTERS:
        raise _not_valid(path, f"painter {short(painter)} is not valid: use {', '.join(PAINTERS)}")
