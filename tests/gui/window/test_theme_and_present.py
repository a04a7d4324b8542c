"""View → Theme (system, light, dark) and Present (F5): what a class sees on a projector.

Found: a laptop in dark mode projected a dark window with no way to choose, and in the dark screenshots a
disabled Stop looked enabled; at 1024×768 the settings took a third of the width.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QPushButton

from modelrace.gui.window import theme
from modelrace.gui.window.main_window import MainWindow
from modelrace.models.system.colors import contrast_ratio


@pytest.fixture
def window(qtbot):
    app = QApplication.instance()
    font, palette = app.font(), app.palette()
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    win.set_window_size(1024, 768)
    win.show()
    yield win
    theme.apply_theme("system")
    app.setPalette(palette)
    QApplication.setFont(font)


def text_contrast(button: QPushButton) -> float:
    """The strongest contrast between any pixel of the button's label and the button's middle background."""
    image: QImage = button.grab().toImage()
    background = image.pixelColor(4, image.height() // 2)
    best = 1.0
    for x in range(0, image.width(), 1):
        for y in range(image.height() // 3, 2 * image.height() // 3):
            best = max(best, contrast_ratio(image.pixelColor(x, y).name(), background.name()))
    return best


def test_dark_theme_colours_everything_and_a_disabled_button_looks_disabled(qtbot, window: MainWindow,
                                                                            saved_repeats: Path) -> None:
    assert window.open_results(saved_repeats)
    window.apply_theme("dark")
    assert window.theme_actions["dark"].isChecked() and theme.is_dark()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert window.plots.accuracy.backgroundBrush().color().lightness() < 60, "the plots follow"
    qtbot.wait(20)
    run, stop = window.controls.run_button, window.controls.stop_button
    assert run.isEnabled() and not stop.isEnabled()
    enabled, disabled = text_contrast(run), text_contrast(stop)
    assert enabled >= 7.0, f"Run's label: {enabled:.1f}:1"
    assert disabled <= 4.0 and enabled / disabled >= 2.0, f"a disabled Stop reads {disabled:.1f}:1, Run {enabled:.1f}:1"
    window.apply_theme("light")
    assert not theme.is_dark() and QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert window.plots.accuracy.backgroundBrush().color().lightness() > 200
    window.apply_theme("system")
    assert theme.chosen_theme() == "system" and window.theme_actions["system"].isChecked()


def test_present_is_one_key_for_full_screen_no_settings_and_large_text(qtbot, window: MainWindow) -> None:
    before_font = window.controls.run_button.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.presenting and window.present_action.isChecked()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.sidebar.isVisible()
    assert window.scale_index >= 2 and window.controls.run_button.font().pointSizeF() >= 1.5 * before_font - 0.01
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not window.presenting and not window.present_action.isChecked()
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.sidebar.isVisible() and window.scale_index == 0
    assert window.controls.run_button.font().pointSizeF() == pytest.approx(before_font)
