"""The window's menus and shortcuts: File, Race, View and Help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from modelrace.gui.window.about_dialog import AboutDialog

#: The main window, typed loosely here: menus.py is imported by main_window.py, not the other way round.
MainWindow = Any


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Add the menus to ``window``; returns the actions other parts change (run, references, present, themes)."""

    def action(text: str, shortcuts: list[QKeySequence | str], slot: Callable[[], object]) -> QAction:
        act = QAction(text, window)
        act.setShortcuts([QKeySequence(s) for s in shortcuts])
        act.triggered.connect(slot)
        window.addAction(act)
        return act

    files = window.files
    file_menu = window.menuBar().addMenu("&File")
    file_menu.addAction(action("Open results…", [QKeySequence.StandardKey.Open], files.choose_to_open))
    file_menu.addAction(action("Save results…", [QKeySequence.StandardKey.Save], files.choose_where_to_save))
    file_menu.addAction(action("Export…", ["Ctrl+E"], files.export))
    file_menu.addAction(action("Export reproduction script…", ["Ctrl+Shift+E"], files.export_script))
    file_menu.addSeparator()
    file_menu.addAction(action("Compare with…", ["Ctrl+K"], files.choose_comparison))
    file_menu.addAction(action("Clear comparison", [], lambda: window.plots.set_comparison(None)))
    file_menu.addSeparator()
    file_menu.addAction(action("Quit", [QKeySequence.StandardKey.Quit], window.close))
    race_menu = window.menuBar().addMenu("&Race")
    run = action("Run", ["Ctrl+R"], window.run_race)
    race_menu.addAction(run)
    race_menu.addAction(action("Stop", ["Esc"], window.stop_race))
    view_menu = window.menuBar().addMenu("&View")
    present = action("Present", ["F5"], lambda: window.set_presenting(present.isChecked()))
    present.setCheckable(True)
    present.setToolTip("For a class: full screen, the settings hidden and text at 150% (F5 again to return)")
    view_menu.addAction(present)
    view_menu.addSeparator()
    view_menu.addAction(action("Presenter mode: larger", ["Ctrl+=", "Ctrl++"],
                               lambda: window.set_scale_index(window.scale_index + 1)))
    view_menu.addAction(action("Presenter mode: smaller", ["Ctrl+-"], lambda: window.set_scale_index(window.scale_index - 1)))
    view_menu.addAction(action("Normal size", ["Ctrl+0"], lambda: window.set_scale_index(0)))
    view_menu.addSeparator()
    references = action("Published full-data accuracies", ["Ctrl+Shift+R"],
                        lambda: window.plots.show_references(references.isChecked()))
    references.setCheckable(True)
    references.setToolTip("70% (1998 neural net), ≈89% (XGBoost, 500 rounds), ≈96% (tuned MLP): "
                          "figures for the full 581,012-row data")
    view_menu.addAction(references)
    view_menu.addAction(action("Show or hide the settings panel", ["Ctrl+B"],
                               lambda: window.sidebar.setVisible(not window.sidebar.isVisible())))
    themes = view_menu.addMenu("Theme")
    group = QActionGroup(window)
    group.setExclusive(True)
    made = {}
    for name, text in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
        choice = QAction(text, window)
        choice.setCheckable(True)
        choice.triggered.connect(lambda _checked=False, chosen=name: window.apply_theme(chosen))
        group.addAction(choice)
        themes.addAction(choice)
        made[f"theme_{name}"] = choice
    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction(action("Guide…", ["F1"], lambda: show_about(window, "Racing")))
    help_menu.addAction(action("Workshop check…", [], window.workshop_check))
    help_menu.addSeparator()
    help_menu.addAction(action("About modelrace", [], lambda: show_about(window)))
    return {"run": run, "references": references, "present": present, **made}


def show_about(window: MainWindow, section: str | None = None) -> AboutDialog:
    """Open About (versions, credit) with the guide at ``section``."""
    dialog = AboutDialog(window, section)
    dialog.show()
    return dialog
