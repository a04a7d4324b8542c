"""How the window shares its room: the settings column's width, and the right column's height between the
curves and the results tabs, for the text size and window size now (View → text size, Present, --size)."""

from __future__ import annotations

import typing

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from modelrace.gui.window import PRESENTER_SCALES

if typing.TYPE_CHECKING:
    from PySide6.QtWidgets import QScrollArea, QSplitter, QTabWidget

    from modelrace.gui.window.model_card import ModelCard
    from modelrace.gui.window.results_panel import ResultsPanel


class SizedWindow(typing.Protocol):
    """The parts of the main window whose room this module shares (the window imports this module)."""

    scale_index: int
    sidebar: QScrollArea
    main_split: QSplitter
    right_split: QSplitter
    tabs: QTabWidget
    results: ResultsPanel
    cards: dict[str, ModelCard]

    def width(self) -> int: ...
    def height(self) -> int: ...


LEFT_PANEL_WIDTH = 400  # at normal text size
PLOT_SHARE = 0.6  # of the right column's height, for the live curves
PLOT_LEAST = 0.45  # of the window's height: the curves' least, when the results' rows need the room
SIDEBAR_MOST = 0.4  # of the window's width, the most the settings column takes to fit its widest control


def fit_panels(window: SizedWindow) -> None:
    """Give the settings column the width its (scaled) text needs, and the plots most of the height."""
    # In presenter mode the results matter more than the settings: the column takes at most 30%.
    cap = 0.36 if window.scale_index == 0 else 0.30
    left = min(int(LEFT_PANEL_WIDTH * PRESENTER_SCALES[window.scale_index]), int(window.width() * cap))
    # Never narrower than its widest control (a button's words at 150%): the column never scrolls sideways,
    # so a control wider than it would be cut off at the right.
    scroll = window.sidebar
    least = (scroll.widget().minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
             + 2 * scroll.frameWidth())
    left = max(left, min(least, int(window.width() * SIDEBAR_MOST)))
    window.main_split.setSizes([left, max(1, window.width() - left)])
    fit_heights(window)


def fit_heights(window: SizedWindow) -> None:
    """Share the right column's height between the curves and the tabs."""
    # Lay out first for the text size and widths now: the menu and status bars, the verdict and the strip
    # take their new heights, and the column's height is what remains.
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    # The curves are what a class watches: at least half the window's height, whatever the text size; but
    # where the Results tab would then hide a model's row (five models at 150% on a 768-pixel screen), the
    # curves give it a little, down to PLOT_LEAST.
    split = window.right_split
    height = max(1, split.height() - split.handleWidth())
    plots = max(int(height * PLOT_SHARE), int(window.height() * 0.5))
    rows = max(window.results.table.rowCount(), sum(card.isChecked() for card in window.cards.values()))
    tabs = window.tabs
    page = tabs.currentWidget()
    chrome = tabs.height() - page.height() if page.height() < tabs.height() else tabs.tabBar().height()
    results = window.results.height_for_rows(rows) + chrome
    if height - plots < results:
        plots = max(height - results, int(window.height() * PLOT_LEAST), 1)
    split.setSizes([plots, max(1, height - plots)])
