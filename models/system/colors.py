"""Colour arithmetic for readable text (WCAG 2): contrast ratios, and text colours that reach AA.

Shared by the window and the reports, so a report's confusion matrix and the window's pick the same ink.
"""

from __future__ import annotations

import functools

#: WCAG AA for normal text.
AA_CONTRAST = 4.5


def relative_luminance(color: str) -> float:
    """WCAG's relative luminance of a ``#rrggbb`` colour."""
    red, green, blue = (int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def best_text_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (bar labels, shaded cells)."""
    return "#000000" if contrast_ratio("#000000", background) >= contrast_ratio("#ffffff", background) else "#ffffff"


def blend(color: str, alpha: float, under: str) -> str:
    """``color`` at opacity ``alpha`` painted over ``under``, as one ``#rrggbb``."""
    top = [int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    bottom = [int(under.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(alpha * t + (1 - alpha) * b):02x}" for t, b in zip(top, bottom))


@functools.cache
def readable(hue: str, on: str, ratio: float = AA_CONTRAST) -> str:
    """The colour nearest ``hue`` (mixed towards black or white) with at least ``ratio`` contrast on ``on``."""
    if contrast_ratio(hue, on) >= ratio:
        return hue.lower()
    toward = 0 if best_text_on(on) == "#000000" else 255
    red, green, blue = (int(hue.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    for step in range(1, 21):
        share = step / 20
        mixed = "#" + "".join(f"{round(c + (toward - c) * share):02x}" for c in (red, green, blue))
        if contrast_ratio(mixed, on) >= ratio:
            return mixed
    return "#000000" if toward == 0 else "#ffffff"
