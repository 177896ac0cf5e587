"""SIGTERM and SIGHUP as exceptions, and short stretches of work that no signal may cut in two.

``kill``, ``timeout``, a CI cancel or ``docker stop`` send SIGTERM; closing the terminal sends SIGHUP.
Python's default for both is to die on the spot, which skips every clean-up (temporary files, worker
processes, ffmpeg). Raised as :class:`Terminated` instead, they unwind like Ctrl-C does.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

STOPPING = (signal.SIGTERM, signal.SIGHUP)
HELD = (signal.SIGINT, *STOPPING)


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM or SIGHUP): stop now and write nothing.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception`` swallows it; and not
    a ``KeyboardInterrupt``, so that training does not treat it as "stop and render what you have".
    ``written`` is set when it arrived while finished files were being put in place: they all were.
    """

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number
        self.name = signal.Signals(number).name
        self.written = False


def _raise_terminated(number, frame) -> None:
    raise Terminated(number)


def terminate_on_signals() -> dict:
    """Raise :class:`Terminated` on SIGTERM and SIGHUP from now on; returns the handlers it replaced."""
    return {number: signal.signal(number, _raise_terminated) for number in STOPPING}


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block is done, then act on the first that came.

    For moments that must not be cut in two: renaming finished files into place (all or none), and
    starting a child process (a worker or ffmpeg), which must be stopped with the rest if a signal
    comes. Python runs signal handlers in the main thread whichever thread the signal reaches, so
    swapping the handlers holds them for the whole process. The exception raised afterwards says that
    the block finished (``written``). Elsewhere than the main thread this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived = []
    previous = {number: signal.signal(number, lambda number, frame: arrived.append(number)) for number in HELD}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if arrived:
        handler = previous[arrived[0]]
        try:
            if callable(handler):
                handler(arrived[0], None)
            elif handler == signal.SIG_DFL and arrived[0] == signal.SIGINT:
                raise KeyboardInterrupt
        except (KeyboardInterrupt, Terminated) as stop:
            stop.written = True
            raise
