"""Colours, light/dark detection and presenter-mode scaling shared by the window's widgets.

Lines and bars keep the Okabe–Ito hues (safe for colour-blind viewers). Text is held to WCAG AA: a
hue used for text is darkened (on a light background) or lightened (on a dark one) until it has a
contrast of at least 4.5:1 with what it is drawn on; ``tests/gui/window/test_contrast.py`` computes
every pair.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from modelrace.gui.window import PRESENTER_SCALES  # noqa: F401 - re-exported for the window's parts
from modelrace.models.system.colors import readable
from modelrace.models.trainers import registry

TARGET_COLOR = "#E69F00"
#: The colour of a model this installation does not know (a result from a machine with a plugin model).
UNKNOWN_MODEL_COLOR = "#999999"
REFERENCE_COLOR = "#CC79A7"
#: A line's colour when a model beside it has its hue, on a light and on a dark plot (the reports' grey on light).
OTHER_LINE_COLORS = {False: "#444444", True: "#bbbbbb"}
#: Banner backgrounds behind white text (each at least 4.5:1 with white).
VERDICT_COLORS = {True: "#007A5A", False: "#B54F00", None: "#5C5C5C"}
#: State words on the model cards, as hues (made readable by :func:`text_color`).
STATE_COLORS = {"failed": "#D55E00", "stopped": "#E69F00", "finished": "#009E73"}
LIGHT_BACKGROUND, DARK_BACKGROUND = "#ffffff", "#1e1e1e"
#: View → Theme and ``modelrace gui --theme``: follow the system, or force light or dark.
THEMES = ("system", "light", "dark")
_chosen = "system"

#: The dark palette: (role, normal colour, disabled colour). Disabled text is dimmed well below the
#: normal text (3.4:1 on its button against 12:1), so a disabled Stop looks disabled on a projector.
_DARK = (
    (QPalette.ColorRole.Window, "#2b2b2b", "#2b2b2b"),
    (QPalette.ColorRole.WindowText, "#eeeeee", "#7c7c7c"),
    (QPalette.ColorRole.Base, "#1e1e1e", "#252525"),
    (QPalette.ColorRole.AlternateBase, "#262626", "#262626"),
    (QPalette.ColorRole.Text, "#eeeeee", "#7c7c7c"),
    (QPalette.ColorRole.PlaceholderText, "#a0a0a0", "#6c6c6c"),
    (QPalette.ColorRole.Button, "#3a3a3a", "#2f2f2f"),
    (QPalette.ColorRole.ButtonText, "#eeeeee", "#7c7c7c"),
    (QPalette.ColorRole.BrightText, "#ffffff", "#ffffff"),
    (QPalette.ColorRole.Light, "#4a4a4a", "#3a3a3a"),
    (QPalette.ColorRole.Midlight, "#404040", "#353535"),
    (QPalette.ColorRole.Mid, "#555555", "#444444"),
    (QPalette.ColorRole.Dark, "#1a1a1a", "#1a1a1a"),
    (QPalette.ColorRole.Shadow, "#000000", "#000000"),
    (QPalette.ColorRole.Highlight, "#2f6fb0", "#4a4a4a"),
    (QPalette.ColorRole.HighlightedText, "#ffffff", "#9a9a9a"),
    (QPalette.ColorRole.Link, "#8ab4f8", "#7c7c7c"),
    (QPalette.ColorRole.ToolTipBase, "#2b2b2b", "#2b2b2b"),
    (QPalette.ColorRole.ToolTipText, "#eeeeee", "#eeeeee"),
)


def theme_palette(name: str) -> QPalette:
    """The palette of a forced theme: 'dark' (above), or 'light' (Fusion's standard light palette)."""
    if name != "dark":
        return QStyleFactory.create("Fusion").standardPalette()
    palette = QPalette()
    for role, normal, disabled in _DARK:
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, QColor(normal))
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


def chosen_theme() -> str:
    """The theme chosen (View → Theme, ``--theme``): system, light or dark."""
    return _chosen


def apply_theme(name: str) -> None:
    """Use theme ``name`` for the whole application: force a light or dark palette, or follow the system again.

    The colour scheme is also asked of the platform (Qt 6.8+), so native styles follow too. Widgets
    that paint colours of their own (plots, tables) are re-coloured by the window (MainWindow.apply_theme).
    """
    global _chosen
    _chosen = name if name in THEMES else "system"
    app = QApplication.instance()
    if app is None:
        return
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "setColorScheme"):
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(_chosen, Qt.ColorScheme.Unknown)
        hints.setColorScheme(scheme)
    if _chosen == "system":
        app.setPalette(QPalette())  # an empty palette: the platform's colours again
    else:
        app.setPalette(theme_palette(_chosen))


def is_dark() -> bool:
    """True when the system (or the application palette) is in dark mode."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    if _chosen != "system":
        return _chosen == "dark"
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


def model_hue(key: str) -> str:
    """A model's colour ("#RRGGBB") for its curves, bars and bands, from its spec (grey for a model not installed)."""
    return registry.color(key, UNKNOWN_MODEL_COLOR)


def line_hue_beside(hue: str, keys: Iterable[str]) -> str:
    """``hue`` for a line drawn beside models ``keys`` (the target, the published accuracies), unless one of
    them is drawn in it: the registry hands out every Okabe-Ito colour, the target's orange and the
    references' pink too. Then a grey that stands out on the current theme's plots takes its place."""
    if hue.upper() not in {model_hue(key).upper() for key in keys}:
        return hue
    return OTHER_LINE_COLORS[is_dark()]


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
    return text_color(model_hue(key), on)
