"""Controls a class can read: settings that apply, plain names, menus where people look, a light report page."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox

from modelrace.gui.window.about_dialog import AboutDialog, readme_sections
from modelrace.gui.window.log_axis import log_ticks
from modelrace.gui.window.main_window import MainWindow
from modelrace.gui.window.model_card import ModelCard
from modelrace.gui.window.report_preview import PAGE_BACKGROUND, ReportView


def test_momentum_is_shown_only_for_sgd(qtbot) -> None:
    card = ModelCard("mlp")
    qtbot.addWidget(card)
    optimizer = card.editor("optimizer")
    assert isinstance(optimizer, QComboBox)
    for choice, shown in (("adam", False), ("sgd", True), ("rmsprop", False)):
        optimizer.setCurrentText(choice)
        assert card.setting_shown("momentum") is shown
        assert card.editor("momentum").isVisibleTo(card) is shown or not card.advanced.isExpanded()


def test_spin_boxes_show_values_as_typed(qtbot) -> None:
    card = ModelCard("mlp")
    qtbot.addWidget(card)
    card.apply_preset("tutorial")
    texts = {name: card.editor(name).text() for name in ("learning_rate", "decay", "momentum", "dropout")}
    assert texts["learning_rate"] == "0.001" and texts["decay"] == "0.00001"  # the tutorial's
    assert not [t for t in texts.values() if re.search(r"\.\d*0$|e-", t)], texts


def test_the_advanced_arrow_points_the_way_it_will_open(qtbot) -> None:
    card = ModelCard("rf")
    qtbot.addWidget(card)
    advanced = card.advanced

    def image(icon):
        return icon.pixmap(16, 16).toImage()

    assert not advanced.isExpanded() and advanced.toggleButton().icon().cacheKey() == advanced.collapsedIcon().cacheKey()
    assert image(advanced.collapsedIcon()) == image(advanced._convert_string_to_icon("▸"))
    assert image(advanced.collapsedIcon()) != image(advanced._convert_string_to_icon("▲"))


def test_run_becomes_restart_during_a_race_and_quit_sits_in_file(qtbot) -> None:
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    menus = {action.text().replace("&", ""): action.menu() for action in win.menuBar().actions()}
    assert "Quit" in [a.text() for a in menus["File"].actions()]
    assert "Quit" not in [a.text() for a in menus["Race"].actions()]
    assert {"Guide…", "Workshop check…", "About modelrace"} <= {a.text() for a in menus["Help"].actions()}
    win._show_phase("racing")
    assert win.controls.run_button.text().startswith("Restart") and win.run_action.text() == "Restart"
    win._show_phase("idle")
    assert win.controls.run_button.text().startswith("Run") and win.run_action.text() == "Run"


def test_about_shows_versions_credit_and_the_guide_offline(qtbot) -> None:
    dialog = AboutDialog(section="Racing")
    qtbot.addWidget(dialog)
    about = dialog.layout().itemAt(0).widget().text()
    assert "numpy" in about and "scikit-learn" in about and "10.24432/C50K5N" in about and "CC BY 4.0" in about
    sections = readme_sections()
    assert {"The window", "Racing", "Reliability"} <= set(sections)
    assert dialog.contents.currentItem().text() == "Racing"
    assert "modelrace race" in dialog.page.toPlainText()


@pytest.mark.parametrize("low, high", [(np.log10(0.6), np.log10(0.9)), (np.log10(0.35), np.log10(0.5)),
                                       (np.log10(0.45), np.log10(0.47)), (-1.0, 1.0), (np.log10(2), np.log10(30))])
def test_a_log_axis_always_has_at_least_two_labelled_ticks(low: float, high: float) -> None:
    major, minor = log_ticks(low, high)
    ticks = major + minor
    assert len(ticks) >= 2, (10 ** low, 10 ** high, ticks)
    assert all(low - 1e-9 <= t <= high + 1e-9 for t in ticks)


def test_the_report_preview_is_a_light_page_in_a_dark_palette(qtbot) -> None:
    app = QApplication.instance()
    original = app.palette()
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    app.setPalette(dark)
    try:
        view = ReportView()
        qtbot.addWidget(view)
        view.show_report("<p>report</p>")
        assert view.palette().color(QPalette.ColorRole.Base).name() == PAGE_BACKGROUND
        assert QColor(view.palette().color(QPalette.ColorRole.Text)).lightness() < 80
    finally:
        app.setPalette(original)


def test_the_guide_reads_the_readme_after_dask_has_loaded() -> None:
    """Dask brings the importlib_metadata backport, which hands the README over as a field, not a body."""
    import subprocess
    import sys

    script = ("import distributed; from modelrace.gui.window.about_dialog import readme_sections; "
              "print(sorted({'The window', 'Racing'} & set(readme_sections())))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "['Racing', 'The window']"
