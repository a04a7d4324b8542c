"""Fixtures of the window's tests: a window with the real sample selected."""

from __future__ import annotations

from pathlib import Path

import pytest

from PySide6.QtWidgets import QApplication

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.data.opening import open_dataset


@pytest.fixture
def window(qtbot, sample_file: Path) -> MainWindow:
    """A shown window with the real 16,000-row sample (imported as a file) selected."""
    dataset = open_dataset(str(sample_file))
    win = MainWindow()
    qtbot.addWidget(win)
    win.dataset_panel.refresh(select=dataset.name)
    win.show()
    return win


@pytest.fixture(scope="session")
def saved_repeats(saved_race) -> Path:
    """A saved 2-seed race of the tutorial's three models on 2,000 real rows (its own data home)."""
    return saved_race("--preset", "quick", "--rows", "2000", "--repeats", "2")


@pytest.fixture
def laid_out(qtbot):
    """``laid_out(size, scale_index, settings_shown, result, tab)``: a scripted window of ``size`` with the text
    at PRESENTER_SCALES[scale_index], the settings shown or hidden, showing tab ``tab`` of the saved ``result``."""

    def make(size: tuple[int, int], scale_index: int, settings_shown: bool, result: Path, tab: str) -> MainWindow:
        win = MainWindow(remember=False)
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        win.set_scale_index(scale_index)
        win.sidebar.setVisible(settings_shown)
        assert win.open_results(result)
        win.show_tab(tab)
        for _ in range(3):
            QApplication.processEvents()
        return win

    return make
