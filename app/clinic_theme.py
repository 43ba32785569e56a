"""A clinic's widget theme checked by type (colours, lengths, font lists) and by the contrast of
the text the widget draws with it, so no theme can hide the advice or load anything."""

import re
from collections.abc import Mapping

# The properties the widget reads, with its own defaults (app/web/screener.js).
COLOURS = {
    "--hps-text": "#1a1a1a",
    "--hps-bg": "#ffffff",
    "--hps-muted": "#4a4a4a",
    "--hps-accent": "#0b5fff",
    "--hps-accent-text": "#0b3aa8",
    "--hps-on-accent": "#ffffff",
    "--hps-danger": "#b00020",
    "--hps-warning": "#8a5a00",
    "--hps-ok": "#1d6b36",
}
LENGTHS = frozenset({"--hps-radius"})
FONTS = frozenset({"--hps-font"})
PROPERTIES = (*COLOURS, *sorted(LENGTHS), *sorted(FONTS))

# Opaque hex colours only: named colours include transparent and currentcolor, and functions
# (rgb(), image-set(), url()) are what must not get in.
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_LENGTH = re.compile(r"^(?:0|[0-9]{1,3}(?:\.[0-9]{1,3})?(?:px|rem|em|%))$")
# Family names, quoted or not, separated by commas: no parentheses, no unbalanced quotes.
_FAMILY = r"""(?:"[A-Za-z0-9 -]{1,40}"|'[A-Za-z0-9 -]{1,40}'|[A-Za-z][A-Za-z0-9-]*(?: [A-Za-z][A-Za-z0-9-]*)*)"""
_FONTS = re.compile(rf"^{_FAMILY}(?:, ?{_FAMILY}){{0,9}}$")

# (text, background, minimum): the colour pairs the widget draws text with (WCAG 1.4.3,
# 4.5:1), and the accent of focus outlines against the background (WCAG 1.4.11, 3:1).
_WHITE = "#ffffff"
CONTRASTS = (
    ("--hps-text", "--hps-bg", 4.5),
    ("--hps-muted", "--hps-bg", 4.5),
    ("--hps-accent-text", "--hps-bg", 4.5),
    ("--hps-danger", "--hps-bg", 4.5),
    ("--hps-on-accent", "--hps-accent", 4.5),
    (_WHITE, "--hps-danger", 4.5),  # the call button's text
    ("--hps-accent", "--hps-bg", 3.0),
)


def check_theme(theme: Mapping[str, str]) -> None:
    """Raise ValueError naming the first property that is unknown, of the wrong type, or
    drawn with too little contrast."""
    for name, value in theme.items():
        if name in COLOURS:
            if not _COLOUR.match(value):
                raise ValueError(f"{name} must be a colour written #rgb or #rrggbb")
        elif name in LENGTHS:
            if not _LENGTH.match(value):
                raise ValueError(f"{name} must be a length such as 8px, 0.5rem or 0")
        elif name in FONTS:
            if len(value) > 200 or not _FONTS.match(value):
                raise ValueError(f"{name} must be a comma-separated list of font family names")
        else:
            raise ValueError(f"{name} is not a theme property; use one of {', '.join(PROPERTIES)}")
    colours = {**COLOURS, **{k: v for k, v in theme.items() if k in COLOURS}, _WHITE: _WHITE}
    for text, background, minimum in CONTRASTS:
        ratio = contrast(colours[text], colours[background])
        if ratio < minimum:
            raise ValueError(f"{text} on {background} has a contrast of {ratio:.2f}:1; it needs at least {minimum:g}:1")


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two hex colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
