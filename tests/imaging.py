"""Image helpers for the tests: the lossless frames of a trace, and PSNR."""

import numpy as np

from animate.drawing import Renderer


def lossless_frames(trace, options):
    """Every frame of ``trace`` as rendered, before any encoder touches it."""
    renderer = Renderer(trace, options)
    return [renderer.frame(i) for i in range(len(renderer))]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio of two uint8 images, in dB (inf when identical)."""
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)
