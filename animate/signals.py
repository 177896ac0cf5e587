"""SIGTERM and SIGHUP as exceptions, and a short stretch of work they must not cut in two.

``kill``, ``timeout``, a CI cancel or ``docker stop`` send SIGTERM; closing the terminal sends SIGHUP.
Python's default for both is to die on the spot, which skips every clean-up (temporary files, worker
processes, ffmpeg). Raised as :class:`Terminated` instead, they unwind like Ctrl-C does.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from typing import Iterator

STOPPING = (signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM or SIGHUP): stop now and write nothing.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception`` swallows it; and not
    a ``KeyboardInterrupt``, so that training does not treat it as "stop and render what you have".
    """

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number
        self.name = signal.Signals(number).name


def _raise_terminated(number, frame) -> None:
    raise Terminated(number)


def terminate_on_signals() -> dict:
    """Raise :class:`Terminated` on SIGTERM and SIGHUP from now on; returns the handlers it replaced."""
    return {number: signal.signal(number, _raise_terminated) for number in STOPPING}


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block is done: for renaming finished files into place,
    so that a signal cannot leave some files new and others old. A held signal acts right after."""
    held = {signal.SIGINT, *STOPPING}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
