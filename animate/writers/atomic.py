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
from typing import Iterable, Iterator

from ..errors import AnimateError
from ..signals import signals_deferred

TOKEN_HEX = 8  # the random part of a temporary name, in hex digits


def temporary_for(path: Path) -> Path:
    """A new temporary name beside ``path``, with the same suffix: ``.NAME.1a2b3c4d.partial.gif``."""
    return path.with_name(f".{path.stem}.{secrets.token_hex(TOKEN_HEX // 2)}.partial{path.suffix}")


def check_destination(path: str | Path) -> Path:
    """Raise :class:`AnimateError` unless ``path`` can be created: a name the file system takes (valid
    UTF-8, and short enough with the temporary part added), its folder exists and it is no folder."""
    path = Path(path)
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise AnimateError(f"output {ascii(str(path))} is not a valid UTF-8 file name: rename it") from None
    folder = path.parent
    if not folder.is_dir():
        raise AnimateError(f"output folder {str(folder)!r} does not exist: create it or choose another path")
    longest = _name_max(folder)
    written = len(os.fsencode(temporary_for(path).name))
    if written > longest:  # asked before anything touches the name: the system refuses even to look it up
        raise AnimateError(f"output name {path.name!r} is too long for its folder's file system: names there "
                           f"hold {longest} bytes and this one needs {written} while it is written; shorten it "
                           f"by {written - longest} bytes or more")
    if path.is_dir() and not path.is_symlink():
        raise AnimateError(f"output {str(path)!r} is a folder: give a file name such as {str(path / 'out.gif')!r}")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # A finished file replaces the old one whole (a rename): that would replace a link or a device
        # (even /dev/null) rather than write through it.
        kind = "a symbolic link" if path.is_symlink() else "not a regular file (a device, a pipe, a socket)"
        raise AnimateError(f"output {str(path)!r} is {kind}; animate replaces files whole, so give the path of "
                           "a regular file or a new name")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AnimateError(f"output folder {str(folder)!r} is not writable: choose another path")
    return path


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


@contextmanager
def file_errors(path: str | Path) -> Iterator[None]:
    """Turn an ``OSError`` from writing ``path`` (a full disk, a read-only place, a folder that vanished)
    into one line naming the file."""
    try:
        yield
    except OSError as error:
        raise AnimateError(f"could not write {str(path)!r}: {error.strerror or error}") from None


@contextmanager
def staged_files(paths: Iterable[str | Path]) -> Iterator[dict]:
    """Yield ``{path: temporary path beside it}``; when the block ends without an error, every file
    replaces its destination, with signals held so that none can leave some new and some old.

    The caller has checked the destinations (:func:`check_destination`) and wraps its own writes in
    :func:`file_errors`; here only the renames are translated. However the block ends, no temporary
    file is left (SIGKILL aside: nothing runs then).
    """
    temporaries = {Path(path): temporary_for(Path(path)) for path in paths}
    try:
        yield temporaries
        with signals_deferred():
            for path, temporary in temporaries.items():
                with file_errors(path):
                    os.replace(temporary, path)
    finally:
        for temporary in temporaries.values():
            if temporary.exists():
                temporary.unlink()


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); on success it replaces ``path``."""
    with staged_files([path]) as temporaries:
        yield temporaries[Path(path)]


def write_text_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file, as :func:`atomic_output` does."""
    with atomic_output(path) as temporary, file_errors(path):
        temporary.write_text(text, encoding="utf-8")
