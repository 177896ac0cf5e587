"""The writers of animation files, found by the output's suffix."""

from __future__ import annotations

from pathlib import Path

from ..errors import AnimateError

WRITERS: dict = {}


def register_writer(cls):
    """Class decorator: ``cls`` writes files ending in ``cls.suffix`` (``".gif"``)."""
    WRITERS[cls.suffix] = cls
    return cls


def valid_suffixes() -> list[str]:
    """The output suffixes that have a writer, e.g. ``['.gif', '.mp4']``."""
    return sorted(WRITERS)


def writer_for(path: str | Path):
    """The writer class for ``path``'s suffix; an unknown suffix is an :class:`AnimateError`."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        shown = f"suffix {suffix!r}" if suffix else "no suffix"
        raise AnimateError(f"output {str(path)!r} has {shown}: valid suffixes are {', '.join(valid_suffixes())}")
    return WRITERS[suffix]


def require_resolved(options, who: str) -> None:
    """A writer plays frames at a known rate and size: its caller resolves the options first (a render job
    does; see :meth:`~animate.options.RenderOptions.resolved`). Not meeting this is a programming error."""
    if options.fps is None or options.size is None or options.scale not in (None, 1) or options.venue is not None:
        raise ValueError(f"{who} needs resolved options (a frame rate and a size, the scale and venue folded in): "
                         "pass options.resolved(...)")
