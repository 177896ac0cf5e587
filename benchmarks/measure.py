"""Measuring tools: peak memory of a whole process tree, decoding, PSNR."""

import subprocess
import threading
import time

import numpy as np
import psutil


def run_measured(command, poll_seconds=0.05):
    """Run ``command``; return (its stdout, wall seconds, peak MB of the process and all its children).

    Memory is summed over the process tree, sampled every ``poll_seconds``, so an encoder child
    process (ffmpeg) or a rendering worker counts with the Python process that feeds it. Each process
    counts its proportional set size (PSS: pages it shares with others are divided among them), so
    forked workers sharing their parent's pages are not counted twice; where PSS is not available,
    the resident set size.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root] + root.children(recursive=True)
                total = 0
                for member in tree:
                    try:
                        total += _proportional(member)
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(poll_seconds)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stderr}")
    return stdout, wall, peak / 2**20


def _proportional(process):
    try:
        return process.memory_full_info().pss
    except AttributeError:  # PSS is Linux-only
        return process.memory_info().rss


def psnr(a, b):
    """Peak signal-to-noise ratio of two uint8 RGB images in dB (99 when identical)."""
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else float(10 * np.log10(255.0**2 / mse))


def gif_frames(path, fps):
    """Decoded GIF frames as RGB arrays, each repeated for as many frame slots as its delay lasts."""
    from PIL import Image, ImageSequence

    slot = 1000 / fps
    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            rgb = np.asarray(frame.convert("RGB"))
            for _ in range(max(1, round(frame.info.get("duration", slot) / slot))):
                yield rgb


def mp4_frames(path):
    """Decoded MP4 frames as RGB arrays (through imageio-ffmpeg's bundled ffmpeg)."""
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    width, height = meta["size"]
    for raw in reader:
        yield np.frombuffer(raw, np.uint8).reshape(height, width, 3)
