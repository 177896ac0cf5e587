"""Frame sinks: a stream of RGB frames in, a file out. The output suffix picks the animation writer.

Every sink has the same small protocol (:class:`animate.frames.FrameSink`), after matplotlib's
MovieWriter::

    writer = GifWriter(path, options, sample=[first, middle, last], colours=ramp, comment=text)
    for frame in frames:
        writer.write(frame)        # one frame at a time; nothing keeps every frame
    writer.close()                 # or writer.abort() on failure

An animation writer registers its suffix with :func:`register_writer`, says with ``check(options)``
whether it can write those options (before any training), and with ``samples_wanted`` how many
representative frames it would like before the first ``write`` (the GIF writer builds its one palette
from them, keeping exact places for the ``colours`` the drawing says it will use). The stills (a
poster, a contact sheet) and the null sink for tests take frames the same way. Uses Pillow and the
ffmpeg of imageio-ffmpeg only (and fontTools, which matplotlib brings, to embed the page's fonts).

The explorable page (``.html``, :mod:`.page`) registers by suffix too, but is handed the captured
picture instead of frames (``takes_frames = False``).
"""

from .gif import GifWriter
from .mp4 import Mp4Writer
from .null import NullSink
from .page import PageWriter
from .webm import WebmWriter, WebpWriter
from .registry import WRITERS, register_writer, valid_suffixes, writer_for
from .still import ContactSheetWriter, PosterWriter

__all__ = ["WRITERS", "ContactSheetWriter", "GifWriter", "Mp4Writer", "NullSink", "PageWriter", "PosterWriter", "WebmWriter", "WebpWriter",
           "register_writer", "valid_suffixes", "writer_for"]
