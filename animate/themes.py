"""Themes: every colour a frame uses, by name, and the type sizes.

Colours come from the Okabe–Ito set, which stays distinguishable for the common kinds of colour
blindness; they are flat and few, so they survive a GIF palette. The dark theme keeps the same hues
and turns the paper dark and the ink light. No matplotlib here (the options declare the theme
names from ``THEMES``); the two methods only call the axes they are given.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import AnimateError

TITLE_SIZE = 13
TEXT_SIZE = 11
SMALL_SIZE = 9


@dataclass(frozen=True)
class TypeSizes:
    """Type sizes in points: the title, text (readouts, progress), small text (legends, side panels), ticks."""

    title: float
    text: float
    small: float
    tick: float


REGULAR = TypeSizes(TITLE_SIZE, TEXT_SIZE, SMALL_SIZE, 10)
# A compact picture (a small frame, or one laid out to be seen small) keeps every word at 8 points or
# more: 11 pixels as seen at 100 dots per inch, the least that reads comfortably on a screen.
COMPACT = TypeSizes(10, 9, 8, 8)

BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
GREEN = "#009E73"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"


@dataclass(frozen=True)
class Theme:
    """Every colour a frame uses."""

    name: str
    paper: str  # the figure and plot background
    ink: str  # titles and values
    muted: str  # secondary text: the progress line, tick labels
    grid: str
    frame: str  # axis lines
    points: str  # data points of a regression
    fit: str  # the fitted line or curve
    truth: str  # the true function, dashed
    classes: tuple  # class 0 and class 1
    shade: tuple  # shading of P(class 1): class-0 tint, undecided, class-1 tint
    box: str  # text box fill
    box_edge: str
    warning: str  # a diverged or interrupted run (text)
    runs: tuple  # one colour per run in a comparison: its fit, its loss curve
    run_text: tuple  # the same hues dark (or light) enough to read as text: each run's label

    def style_axes(self, ax, tick_size: float) -> None:
        """Colour an axes' background, frame, ticks and labels for this theme; tick labels at ``tick_size``."""
        ax.set_facecolor(self.paper)
        for spine in ax.spines.values():
            spine.set_color(self.frame)
        ax.tick_params(colors=self.muted, labelcolor=self.muted, labelsize=tick_size)
        ax.xaxis.label.set_color(self.ink)
        ax.yaxis.label.set_color(self.ink)

    def legend(self, ax, size: float = SMALL_SIZE, family=None, **options):
        """A legend in this theme's colours, its words in ``family`` (a font family or a list to fall back on)."""
        prop = {"size": size, **({"family": list(family)} if family else {})}
        legend = ax.legend(prop=prop, framealpha=0.92, facecolor=self.box, edgecolor=self.box_edge,
                           labelcolor=self.ink, **options)
        return legend


# Contrast (WCAG 2): text at least 4.5:1 against what is behind it, marks (points, lines) at least 3:1.
# On white the light Okabe–Ito hues (sky, orange, purple) fall short, so the light theme darkens them
# just enough, keeping each hue; tests/test_contrast.py holds every pair to these ratios.
LIGHT = Theme(
    name="light", paper="#FFFFFF", ink="#222222", muted="#666666", grid="#E6E6E6", frame="#444444",
    points="#3F93C4", fit=VERMILLION, truth="#444444", classes=(BLUE, "#9E6D00"),
    shade=("#C9E0F1", "#FFFFFF", "#FBEACB"), box="#FFFFFF", box_edge="#CCCCCC", warning="#B85200",
    runs=(BLUE, "#BA8000", GREEN, VERMILLION, "#3F93C4", "#C0699A", "#6A3D9A", "#8C564B", "#2F5F5F"),
    run_text=(BLUE, "#916400", "#008060", "#B85200", "#2F76A0", "#9E5580", "#6A3D9A", "#8C564B", "#2F5F5F"),
)
DARK = Theme(
    name="dark", paper="#16181D", ink="#E8E8E8", muted="#A3A7AE", grid="#2B2F36", frame="#6B707A",
    points=SKY, fit=ORANGE, truth="#C8C8C8", classes=(SKY, ORANGE),
    shade=("#1C3C5A", "#16181D", "#57400F"), box="#23262D", box_edge="#4A4F58", warning="#FF8A5B",
    runs=(SKY, ORANGE, GREEN, YELLOW, "#E07B91", PURPLE, "#CAB2D6", "#D9B38C", "#9FD5D1"),
    run_text=(SKY, ORANGE, "#1DB88A", YELLOW, "#E07B91", "#D68AB4", "#CAB2D6", "#D9B38C", "#9FD5D1"),
)
THEMES = {theme.name: theme for theme in (LIGHT, DARK)}


def theme_named(name: str) -> Theme:
    """The theme called ``name``; an unknown name is an :class:`AnimateError` listing the valid ones."""
    if name not in THEMES:
        raise AnimateError(f"unknown theme {name!r}: valid themes are {', '.join(THEMES)}")
    return THEMES[name]
