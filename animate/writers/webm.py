"""WebM (VP9 or AV1) and animated WebP (lossless) through the bundled ffmpeg, as :class:`VideoWriter` formats.

Measured on the project's GIFs (see benchmarks/RESULTS.md), VP9 and AV1 take a fraction of an MP4's bytes
for the same picture, and 4:4:4 keeps thin coloured lines that 4:2:0 blurs. Which profiles browsers play was
tried in headless Chromium: VP9 profile 1 and AV1 high profile (4:4:4) play; H.264 4:4:4 is only a "maybe",
so MP4 is not offered in 4:4:4. Safari plays neither 4:4:4 WebM: a page lists the sources so that each
browser takes the first it can play (see :func:`animate.outputs.snippet_html`).
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import AnimateError
from ..options import RenderOptions
from .mp4 import FIX, VideoWriter, check_ffmpeg_runs, with_crf
from .registry import register_writer

# Constant quality, no bitrate cap; "good" speed 4 and row threads keep a 640×480 encode to a few seconds.
VP9_ARGS = ["-vcodec", "libvpx-vp9", "-b:v", "0", "-crf", "33", "-deadline", "good", "-cpu-used", "4", "-row-mt", "1",
            "-g", "240"]
# SVT-AV1 is fast but 4:2:0 only; libaom does 4:4:4 (AV1 high profile).
SVT_AV1_ARGS = ["-vcodec", "libsvtav1", "-preset", "8", "-crf", "38", "-g", "240", "-svtav1-params", "tune=0"]
AOM_AV1_ARGS = ["-vcodec", "libaom-av1", "-cpu-used", "6", "-row-mt", "1", "-crf", "36", "-b:v", "0", "-g", "240"]
WEBM_REMUX_ARGS = ["-map", "0", "-map_metadata", "0", "-map_chapters", "1", "-c", "copy", "-f", "webm"]


@lru_cache(maxsize=None)
def encoders(executable: str) -> frozenset:
    """The video encoders the ffmpeg at ``executable`` has (its ``-encoders`` list)."""
    listing = subprocess.run([executable, "-hide_banner", "-encoders"], capture_output=True, timeout=30).stdout
    return frozenset(line.split()[1] for line in listing.decode(errors="replace").splitlines()
                     if line.startswith(" V") and len(line.split()) > 1)


def av1_encoder(executable: str, chroma: str) -> str:
    """The AV1 encoder to use for ``chroma``, or an :class:`AnimateError` saying the bundled ffmpeg has none."""
    have = encoders(executable)
    wanted = ["libaom-av1"] if chroma == "444" else ["libsvtav1", "libaom-av1"]
    for name in wanted:
        if name in have:
            return name
    raise AnimateError(f"--webm-codec av1 needs an AV1 encoder ({' or '.join(wanted)}) and this ffmpeg has none: "
                       f"use --webm-codec vp9, or {FIX}")


@register_writer
class WebmWriter(VideoWriter):
    """WebM: VP9 (default) or AV1 (``--webm-codec av1``), 4:2:0 or 4:4:4 (``--chroma``); chapters as Matroska
    chapters; the provenance in the ``comment`` tag."""

    suffix = ".webm"
    label = "WebM"
    remux_args = WEBM_REMUX_ARGS

    @staticmethod
    def check(options: RenderOptions) -> None:
        executable = check_ffmpeg_runs("WebM output")
        if options.webm_codec == "av1":
            av1_encoder(executable, options.chroma)
        elif "libvpx-vp9" not in encoders(executable):
            raise AnimateError(f"WebM output needs the VP9 encoder (libvpx-vp9) and this ffmpeg has none: {FIX}")

    @staticmethod
    def encoder_for(options: RenderOptions) -> str:
        """The encoder ``options`` call for (``libvpx-vp9``, ``libsvtav1``, ``libaom-av1``)."""
        if options.webm_codec == "av1":
            return av1_encoder(check_ffmpeg_runs("WebM output"), options.chroma)
        return "libvpx-vp9"

    @classmethod
    def describe(cls, options: RenderOptions) -> str:
        """What will be encoded, in words, for the provenance and the summary: ``VP9 4:2:0``, ``AV1 4:4:4
        (libaom-av1)``."""
        chroma = "4:4:4" if options.chroma == "444" else "4:2:0"
        codec = cls.encoder_for(options)
        return f"VP9 {chroma}" if codec == "libvpx-vp9" else f"AV1 {chroma} ({codec})"

    @property
    def codec(self) -> str:
        return self.encoder_for(self.options)

    @property
    def description(self) -> str:
        return self.describe(self.options)

    def encoder_args(self) -> list:
        pixels = "yuv444p" if self.options.chroma == "444" else "yuv420p"
        codec = self.codec
        args = VP9_ARGS if codec == "libvpx-vp9" else SVT_AV1_ARGS if codec == "libsvtav1" else AOM_AV1_ARGS
        return [*with_crf(args, self.options.crf), "-pix_fmt", pixels, "-f", "webm"]


@register_writer
class WebpWriter(VideoWriter):
    """Animated WebP, lossless (libwebp through ffmpeg: streamed, so memory does not grow with the frames),
    looping for ever. WebP has no chapters; the provenance goes in an XMP chunk once the file is complete."""

    suffix = ".webp"
    label = "WebP"
    takes_chapters = False
    takes_comment = False

    @staticmethod
    def check(options: RenderOptions) -> None:
        executable = check_ffmpeg_runs("WebP output")
        if "libwebp_anim" not in encoders(executable):
            raise AnimateError(f"WebP output needs the libwebp encoder and this ffmpeg has none: {FIX}")

    def __init__(self, path, options: RenderOptions, comment: Optional[str] = None, **hints):
        super().__init__(path, options, comment=comment, **hints)
        self._comment = comment

    def encoder_args(self) -> list:
        return ["-vcodec", "libwebp_anim", "-lossless", "1", "-compression_level", "4", "-loop", "0",
                "-pix_fmt", "bgra", "-f", "webp"]

    def close(self) -> None:
        super().close()
        if self._comment:
            add_xmp(self.path, self._comment)


def add_xmp(path: Path, text: str) -> None:
    """Put ``text`` into the WebP file at ``path`` as its XMP metadata (an ``XMP `` chunk at the end, flagged
    in the ``VP8X`` header, as the WebP container specifies)."""
    data = bytearray(Path(path).read_bytes())
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or data[12:16] != b"VP8X":
        raise AnimateError(f"{str(path)!r} is not an extended WebP file: cannot add its provenance")
    packet = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
              '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
              'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>'
              + _xml_escape(text) + '</dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
    payload = packet.encode("utf-8")
    chunk = b"XMP " + len(payload).to_bytes(4, "little") + payload + (b"\0" if len(payload) % 2 else b"")
    data[20] |= 0x04  # the VP8X flags: XMP metadata present
    data += chunk
    data[4:8] = (len(data) - 8).to_bytes(4, "little")
    Path(path).write_bytes(bytes(data))


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
