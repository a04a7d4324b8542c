"""Fixtures of the window's tests: a window with the real sample selected."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    """A saved 2-seed race of all three models on 2,000 real rows (its own data home)."""
    return saved_race("--preset", "quick", "--rows", "2000", "--repeats", "2")
