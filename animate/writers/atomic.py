"""Write a file under a temporary name in the same folder and rename it into place when complete.

A crash, an error or Ctrl-C leaves whatever was at the destination untouched and no partial file.
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
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); on success it replaces ``path``."""
    path = check_destination(path)
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.partial{path.suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as error:  # a full disk, a read-only place, a folder that vanished
        raise AnimateError(f"could not write {str(path)!r}: {error.strerror or error}") from None
    finally:
        if temporary.exists():
            temporary.unlink()
