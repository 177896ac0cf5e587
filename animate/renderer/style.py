"""Colours and type sizes shared by the painters.

Colours are from the Okabe–Ito set, which stays distinguishable for the common kinds of colour
blindness; they are flat and few, so they survive a GIF palette.
"""

BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
GREEN = "#009E73"
INK = "#222222"
MUTED = "#666666"
GRID = "#E6E6E6"

POINTS = SKY
FIT = VERMILLION
TRUTH = "#444444"
CLASS_COLOURS = (BLUE, ORANGE)
# Pale ends of the class colours, meeting at white where the classifier is unsure.
SHADE_STOPS = ("#BBD7EC", "#FFFFFF", "#F8DDA5")

TITLE_SIZE = 13
TEXT_SIZE = 11
SMALL_SIZE = 9

BOX = {"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#CCCCCC", "alpha": 0.92}
