"""The looks the panels share: themes and type sizes (defined in :mod:`animate.themes`), literal text and
the fonts that draw any language."""

from functools import lru_cache
from typing import Optional

from ..themes import COMPACT, REGULAR, SMALL_SIZE, TEXT_SIZE, THEMES, TITLE_SIZE, Theme, TypeSizes, theme_named  # noqa: F401,E501


def literal(text: str) -> str:
    """``text`` as matplotlib should draw it: as written. Its mathtext would read two dollar signs as a
    formula, and a title such as "from $5 to $6" would fail to draw; the readouts, drawn by glyph, are
    literal too."""
    return str(text).replace("$", r"\$")


# Fonts that hold the CJK characters of the blogs' words (a Chinese loss or axis name), tried in order
# after the Latin one; only those installed are named, so matplotlib has nothing to warn about.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
                "PingFang SC", "Microsoft YaHei")


@lru_cache(maxsize=1)
def families() -> tuple:
    """The font families for words, with a CJK fallback where one is installed (matplotlib draws each
    character in the first family that has it)."""
    from matplotlib import font_manager, rcParams

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    first = rcParams["font.family"][0] if rcParams["font.family"] else "sans-serif"
    return (first, *[name for name in CJK_FAMILIES if name in installed][:1])


def fallback_font() -> Optional[str]:
    """The file of the CJK fallback font, for text drawn glyph by glyph; None where none is installed."""
    from matplotlib import font_manager

    names = families()[1:]
    if not names:
        return None
    return font_manager.findfont(font_manager.FontProperties(family=names[0]), fallback_to_default=False)
