"""Colours, light/dark detection and presenter-mode scaling shared by the window's widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from modelrace.models.trainers.registry import MODEL_COLORS

TARGET_COLOR = "#E69F00"
VERDICT_COLORS = {True: "#009E73", False: "#D55E00", None: "#6b6b6b"}
PRESENTER_SCALES = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5)


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
        return "#1e1e1e", "#e6e6e6", "#555555"
    return "#ffffff", "#222222", "#cccccc"


def model_color(key: str) -> QColor:
    """The colour of a model's curves, bars and card accent."""
    return QColor(MODEL_COLORS.get(key, "#CC79A7"))
