"""The looks the panels share: themes and type sizes (defined in :mod:`animate.themes`), and literal text."""

from ..themes import COMPACT, REGULAR, SMALL_SIZE, TEXT_SIZE, THEMES, TITLE_SIZE, Theme, TypeSizes, theme_named  # noqa: F401,E501


def literal(text: str) -> str:
    """``text`` as matplotlib should draw it: as written. Its mathtext would read two dollar signs as a
    formula, and a title such as "from $5 to $6" would fail to draw; the readouts, drawn by glyph, are
    literal too."""
    return str(text).replace("$", r"\$")
