"""The one exception type users see.

Everything below the CLI raises :class:`AnimateError` for a problem the user can fix (a bad value, a
missing file, an unknown name). The message is one line that names the bad value and what would be
valid; the CLI prints it without a traceback and exits non-zero.
"""


class AnimateError(Exception):
    """A problem with the user's input or environment, explained in one line."""
