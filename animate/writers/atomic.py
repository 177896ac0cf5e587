"""Write a file under a temporary name in the same folder and rename it into place when complete.

A crash, an error or Ctrl-C leaves whatever was at the destination untouched and no partial file.
Only what touches the user's files is translated into a user-facing error (:func:`file_errors`); a
bug elsewhere keeps its own exception and traceback.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import AnimateError


def check_destination(path: str | Path) -> Path:
    """Raise :class:`AnimateError` unless ``path`` can be created: its folder exists and it is no folder."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise AnimateError(f"output {str(path)!r} is a folder: give a file name such as {str(path / 'out.gif')!r}")
    if not folder.is_dir():
        raise AnimateError(f"output folder {str(folder)!r} does not exist: create it or choose another path")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AnimateError(f"output folder {str(folder)!r} is not writable: choose another path")
    return path


@contextmanager
def file_errors(path: str | Path) -> Iterator[None]:
    """Turn an ``OSError`` from writing ``path`` (a full disk, a read-only place, a folder that vanished)
    into one line naming the file."""
    try:
        yield
    except OSError as error:
        raise AnimateError(f"could not write {str(path)!r}: {error.strerror or error}") from None


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); on success it replaces ``path``.

    The caller has checked the destination (:func:`check_destination`) and wraps its own writes in
    :func:`file_errors`; here only the rename is translated.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.partial{path.suffix}")
    try:
        yield temporary
        with file_errors(path):
            os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file, as :func:`atomic_output` does."""
    with atomic_output(path) as temporary, file_errors(path):
        temporary.write_text(text, encoding="utf-8")
