"""Every theme is readable: text at least 4.5:1 against what is behind it, marks at least 3:1 (WCAG 2)."""

import pytest

from animate.themes import THEMES

TEXT, MARK = 4.5, 3.0


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey


@pytest.mark.parametrize("name", sorted(THEMES))
def test_text_reads_against_what_it_sits_on(name):
    theme = THEMES[name]
    pairs = {"ink on paper": (theme.ink, theme.paper), "muted on paper": (theme.muted, theme.paper),
             "ink in a box": (theme.ink, theme.box), "muted in a box": (theme.muted, theme.box),
             "warning on paper": (theme.warning, theme.paper), "warning in a box": (theme.warning, theme.box)}
    pairs.update({f"run {i} label": (colour, theme.paper) for i, colour in enumerate(theme.run_text)})
    low = {what: round(contrast(*pair), 2) for what, pair in pairs.items() if contrast(*pair) < TEXT}
    assert low == {}


@pytest.mark.parametrize("name", sorted(THEMES))
def test_marks_stand_out_from_their_background(name):
    theme = THEMES[name]
    pairs = {"points": (theme.points, theme.paper), "fit": (theme.fit, theme.paper),
             "truth": (theme.truth, theme.paper)}
    pairs.update({f"run {i}": (colour, theme.paper) for i, colour in enumerate(theme.runs)})
    # A class's points sit on the paper and on the shading of either class (points cross the boundary).
    for i, colour in enumerate(theme.classes):
        for j, shade in enumerate(theme.shade):
            pairs[f"class {i} on shade {j}"] = (colour, shade)
    low = {what: round(contrast(*pair), 2) for what, pair in pairs.items() if contrast(*pair) < MARK}
    assert low == {}


@pytest.mark.parametrize("name", sorted(THEMES))
def test_each_run_has_a_label_colour(name):
    theme = THEMES[name]
    assert len(theme.run_text) == len(theme.runs) >= 6
