"""Progress bars on stderr (stdout keeps only the summary line): one over training steps, one over frames.

A stderr that is closed or full (``2>&1 | head -1``, ``2>/dev/full``) silences the bars; it never stops
the work they report on.
"""

from __future__ import annotations

import sys

import click


def _quietly(method):
    """Run a bar's method; if stderr fails, the bar goes quiet for good."""
    def guarded(self, *args):
        if getattr(self, "broken", False):
            return None
        try:
            return method(self, *args)
        except (OSError, ValueError):
            self.broken = True
            return None
    guarded.__doc__ = method.__doc__
    return guarded


class TrainingProgress:
    """A click progress bar over training steps.

    A training callback (fit() calls hooks by name), written without importing torch, so that
    ``animate --help`` starts at once.
    """

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.shown = 0

    @_quietly
    def on_fit_start(self, max_steps: int) -> None:
        self.bar = click.progressbar(length=max_steps, label=self.label, file=sys.stderr, show_pos=True)
        self.bar.__enter__()
        self.stride = max(1, max_steps // 200)  # redraw about 200 times, not once per step

    @_quietly
    def on_step(self, step: int, loss) -> None:
        if step % self.stride == 0 and step > self.shown:
            self.bar.update(step - self.shown)
            self.shown = step

    @_quietly
    def on_interrupt(self, step: int) -> None:
        self.bar.__exit__(None, None, None)
        self.bar = None
        click.echo(f"\nInterrupted at step {step:,}: rendering the frames recorded so far "
                   "(Ctrl-C again to stop without writing anything).", err=True)

    @_quietly
    def on_fit_end(self, step: int, loss) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.length - self.shown)  # an early stop still ends the bar
            self.bar.__exit__(None, None, None)


class RenderProgress:
    """A click progress bar over frames, made when the first frame reports how many there are."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    @_quietly
    def __call__(self, index: int, count: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=count, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(1)
        if index == count - 1:
            self.bar.__exit__(None, None, None)
