"""Writers turn a stream of RGB frames into a file; the output suffix picks the writer.

Every writer has the same small protocol, after matplotlib's MovieWriter::

    writer = GifWriter(path, options, sample=[first, middle, last], colours=ramp)
    for frame in frames:
        writer.write(frame)        # one frame at a time; nothing keeps every frame
    writer.close()                 # or writer.abort() on failure

``samples_wanted`` says how many representative frames a writer would like before the first
``write``; the GIF writer builds its one palette from them, keeping exact places for ``colours``
the renderer knows it will use. Uses Pillow and imageio-ffmpeg only.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import AnimateError
from .gif import GifWriter
from .mp4 import Mp4Writer

WRITERS = {writer.suffix: writer for writer in (GifWriter, Mp4Writer)}


def valid_suffixes() -> list[str]:
    """The output suffixes that have a writer, e.g. ``['.gif', '.mp4']``."""
    return sorted(WRITERS)


def writer_for(path: str | Path):
    """The writer class for ``path``'s suffix; an unknown suffix is an :class:`AnimateError`."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        shown = f"suffix {suffix!r}" if suffix else "no suffix"
        raise AnimateError(
            f"output {str(path)!r} has {shown}: valid suffixes are {', '.join(valid_suffixes())}"
        )
    return WRITERS[suffix]
