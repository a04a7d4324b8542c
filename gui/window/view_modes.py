"""How the window looks to a class: the theme (View → Theme) and Present (F5).

Present puts the window in full screen with the settings hidden and the text at 150% or more, and
puts everything back as it was when it ends. A theme change re-colours what Qt's palette does not
reach: plots, tables and titles that paint colours of their own, and a result already shown.
"""

from __future__ import annotations

import typing

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from modelrace.gui.window import theme, window_settings

if typing.TYPE_CHECKING:
    from modelrace.gui.window.live_plot import LivePlots
    from modelrace.gui.window.model_card import ModelCard
    from modelrace.models.results.document import Result


class StyledWindow(typing.Protocol):
    """The parts of the main window a theme and a presentation change (the window imports this module)."""

    remember: bool
    result: Result | None
    scale_index: int
    sidebar: QWidget
    plots: LivePlots
    cards: dict[str, ModelCard]
    theme_actions: dict[str, QAction]
    present_action: QAction

    def findChildren(self, kind: type) -> list: ...  # noqa: N802 - Qt's name
    def windowState(self) -> Qt.WindowState: ...  # noqa: N802
    def setWindowState(self, state: Qt.WindowState) -> None: ...  # noqa: N802
    def show_result(self, result: Result) -> None: ...
    def set_scale_index(self, index: int) -> None: ...
    def status_message(self, text: str, milliseconds: int = 0) -> None: ...
    def fit_panels(self) -> None: ...

#: Present shows text at PRESENTER_SCALES[2], 150%, or larger if that was chosen already.
PRESENT_SCALE_INDEX = 2


class ViewModes:
    """The window's theme and presentation; what to restore when a presentation ends."""

    def __init__(self, window: StyledWindow) -> None:
        self.window = window
        self.presenting = False
        self._before: tuple[Qt.WindowState, bool, int] = (Qt.WindowState.WindowNoState, True, 0)

    def apply_theme(self, name: str | None = None) -> None:
        """Use theme ``name`` (system, light, dark), or re-colour for the current one (the system's changed)."""
        window = self.window
        if name is not None:
            theme.apply_theme(name)
            if window.remember:
                window_settings.settings_store().setValue("theme", theme.chosen_theme())
        window.theme_actions[theme.chosen_theme()].setChecked(True)
        background, foreground, _ = theme.plot_colors()
        pg.setConfigOptions(background=background, foreground=foreground)  # for plots made from now on
        for plot in window.findChildren(pg.PlotWidget):
            plot.setBackground(background)
            for side in ("left", "bottom"):
                plot.getAxis(side).setPen(foreground)
                plot.getAxis(side).setTextPen(foreground)
        window.plots.apply_theme()
        for card in window.cards.values():
            card.apply_theme()
        if window.result is not None:
            window.show_result(window.result)  # tables, matrices and bars in the new colours

    def set_presenting(self, on: bool) -> None:
        """Present: full screen, the settings hidden and text at least 150%; off: back to how it was."""
        window = self.window
        if on == self.presenting:
            return
        self.presenting = on
        if on:
            self._before = (window.windowState(), window.sidebar.isVisible(), window.scale_index)
            window.sidebar.setVisible(False)
            window.set_scale_index(max(window.scale_index, PRESENT_SCALE_INDEX))
            window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
            window.status_message("Presenting: F5 returns to the settings", 4000)
        else:
            state, sidebar, scale = self._before
            window.setWindowState(state)
            window.sidebar.setVisible(sidebar)
            window.set_scale_index(scale)
        window.present_action.setChecked(on)
        window.fit_panels()
