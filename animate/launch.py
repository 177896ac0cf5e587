"""The ``animate`` command's entry point: Ctrl-C while Python is still loading the command line exits
130 quietly, as it does once a command runs (a traceback of an import is no answer to Ctrl-C)."""

import os
import signal


def main() -> None:
    """Run the command line (``animate ...`` and ``python -m animate ...``)."""
    signal.signal(signal.SIGINT, lambda number, frame: os._exit(130))
    from .cli import main as command_line

    signal.signal(signal.SIGINT, signal.default_int_handler)
    command_line()
