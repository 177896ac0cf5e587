"""Child processes that end when their parent ends, however it ends (even by SIGKILL).

A forked worker blocked on a pipe normally notices its parent is gone only when the pipe closes, which
never happens while the worker itself still holds a copy of the parent's end; and a process killed
outright runs no clean-up at all. On Linux the kernel can send a child a signal when its parent
dies (``PR_SET_PDEATHSIG``); elsewhere closing the inherited ends is what remains.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """In a child: be killed when the parent dies; exit at once if it already has.

    ``parent_pid`` is the parent's PID as the parent saw it before starting the child: if the child
    was re-parented before it could ask the kernel, the parent is already gone.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl to be had: the closed pipes still end the worker
    if os.getppid() != parent_pid:
        os._exit(1)


def ffmpeg_preexec(parent_pid: int):
    """A ``preexec_fn`` for a child program (ffmpeg): die with ``parent_pid``, the process starting it."""
    return lambda: die_with_parent(parent_pid)
