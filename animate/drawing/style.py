"""The looks the panels share: themes and type sizes, defined in :mod:`animate.themes` (no matplotlib)."""

from ..themes import SMALL_SIZE, TEXT_SIZE, THEMES, TITLE_SIZE, Theme, theme_named  # noqa: F401
