"""Colours, light/dark detection and presenter-mode scaling shared by the window's widgets.

Lines and bars keep the Okabe–Ito hues (safe for colour-blind viewers). Text is held to WCAG AA: a
hue used for text is darkened (on a light background) or lightened (on a dark one) until it has a
contrast of at least 4.5:1 with what it is drawn on; ``tests/gui/window/test_contrast.py`` computes
every pair.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from modelrace.models.system.colors import readable
from modelrace.models.trainers.registry import MODEL_COLORS

TARGET_COLOR = "#E69F00"
REFERENCE_COLOR = "#CC79A7"
#: Banner backgrounds behind white text (each at least 4.5:1 with white).
VERDICT_COLORS = {True: "#007A5A", False: "#B54F00", None: "#5C5C5C"}
#: State words on the model cards, as hues (made readable by :func:`text_color`).
STATE_COLORS = {"failed": "#D55E00", "stopped": "#E69F00", "finished": "#009E73"}
PRESENTER_SCALES = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5)
LIGHT_BACKGROUND, DARK_BACKGROUND = "#ffffff", "#1e1e1e"


def is_dark() -> bool:
    """True when the system (or the application palette) is in dark mode."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def plot_colors() -> tuple[str, str, str]:
    """Background, foreground and grid colours for plots in the current scheme."""
    if is_dark():
        return DARK_BACKGROUND, "#e6e6e6", "#555555"
    return LIGHT_BACKGROUND, "#222222", "#cccccc"


def background() -> str:
    """The background text is drawn on in the current scheme (plots, tables, panels)."""
    return plot_colors()[0]


def line_width(base: float, scale: float = 1.0) -> float:
    """A plot pen's width in device pixels for ``base`` logical pixels: pyqtgraph's pens are cosmetic (device
    pixels), so on a 2x screen they would be drawn half as thick as meant."""
    screen = QGuiApplication.primaryScreen() if QGuiApplication.instance() is not None else None
    return base * scale * (screen.devicePixelRatio() if screen is not None else 1.0)


def model_color(key: str) -> QColor:
    """The colour of a model's curves, bars and card accent."""
    return QColor(MODEL_COLORS.get(key, REFERENCE_COLOR))


def text_color(hue: str, on: str | None = None) -> str:
    """``hue`` adjusted to be readable as text at WCAG AA on ``on``; by default on both the window's panels
    and its tables and fields (the palette's Window and Base colours)."""
    if on is not None:
        return readable(hue, on)
    palette = QGuiApplication.palette() if QGuiApplication.instance() is not None else None
    if palette is None:
        return readable(hue, LIGHT_BACKGROUND)
    panel, field = (palette.color(QPalette.ColorRole.Window).name(), palette.color(QPalette.ColorRole.Base).name())
    return readable(readable(hue, panel), field)


def model_text_color(key: str, on: str | None = None) -> str:
    """A model's colour as text (its name in tables and titles)."""
    return text_color(MODEL_COLORS.get(key, REFERENCE_COLOR), on)
