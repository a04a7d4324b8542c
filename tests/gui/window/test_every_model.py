"""The window for every registered model: a card, a bar, a curve and a row each, at a projector's 1024×768 too.

Nothing here names a model: the tests read the registry, so a model registered later (a built-in or a
plugin) is tested by being registered. A result may also name a model not installed here; it opens, is
shown under its key in grey, and the note says what it cannot do.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionGroupBox, QWidget

from modelrace.gui.window.main_window import MainWindow
from modelrace.gui.window.model_card import ModelCard
from modelrace.gui.window.theme import PRESENTER_SCALES, UNKNOWN_MODEL_COLOR, model_hue, model_text_color
from modelrace.models.results.files import load_result
from modelrace.models.trainers.registry import DEFAULT_MODELS, MODEL_KEYS, known, label, short_label

RACE_TIMEOUT_MS = 300_000  # five models in turn on a busy 2-core machine


@pytest.fixture(autouse=True)
def normal_font():
    """Presenter mode scales the application font; put it back for the next test."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(30)


def in_view(scroll, widget: QWidget, part: QRect | None = None) -> bool:
    """True if the whole of ``widget`` (or ``part`` of it) is inside the scroll area's viewport once scrolled to,
    as a user scrolls. (QScrollArea.ensureWidgetVisible is not used: for an editor it shows its text cursor.)"""
    part = part if part is not None else widget.rect()
    top = widget.mapTo(scroll.widget(), part.topLeft()).y()
    bar, room = scroll.verticalScrollBar(), scroll.viewport().height()
    if top < bar.value():
        bar.setValue(top)
    elif top + part.height() > bar.value() + room:
        bar.setValue(top + part.height() - room)
    QApplication.processEvents()
    rect = QRect(widget.mapTo(scroll.viewport(), part.topLeft()), part.size())
    # Whole: inside the viewport, not cut by a parent, and not squashed below its least height (as a section
    # shorter than its rows squashes them).
    return (widget.isVisible() and scroll.viewport().rect().contains(rect)
            and widget.visibleRegion().boundingRect().contains(part)
            and widget.height() >= widget.minimumSizeHint().height())


def title_checkbox(card: ModelCard) -> QRect:
    """Where a card's tick box (in its title) is painted, in the card's coordinates."""
    option = QStyleOptionGroupBox()
    card.initStyleOption(option)
    return card.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                       QStyle.SubControl.SC_GroupBoxCheckBox, card)


def test_a_card_per_registered_model_and_the_tutorials_three_ticked(qtbot) -> None:
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    assert list(win.cards) == list(MODEL_KEYS), "a card per registered model, in race order"
    assert {key for key, card in win.cards.items() if card.isChecked()} == set(DEFAULT_MODELS)
    assert [card.title() for card in win.cards.values()] == [label(key) for key in MODEL_KEYS]
    assert win.race_settings().models == [key for key in MODEL_KEYS if key in DEFAULT_MODELS]
    assert win.progress_strip.shown() == [key for key in MODEL_KEYS if key in DEFAULT_MODELS], "the race to come"
    win.cards[MODEL_KEYS[-1]].setChecked(True)
    assert MODEL_KEYS[-1] in win.progress_strip.shown(), "ticking a card before a race adds its bar"
    assert all(label(key) in win.windowTitle() for key in MODEL_KEYS)


def test_each_plugin_left_out_is_named_once_in_plain_text(qtbot, monkeypatch) -> None:
    from modelrace.models.trainers import registry

    lines = ["plugin broken-et (et = broken_et:SPEC) was left out: ImportError: no module named <b>lightgbm</b>",
             "plugin dup (rf = dup:SPEC) was left out: the key 'rf' is already RandomForest's; give it another key"]
    monkeypatch.setattr(registry, "problems", lambda: list(lines))
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    note = win.plugin_note
    assert not note.isHidden() and note.textFormat() == Qt.TextFormat.PlainText, "said as written, never as markup"
    assert all(note.text().count(line) == 1 for line in lines)
    log = win.log_view.toPlainText()
    assert all(log.count(line) == 1 for line in lines), "and once in the log"
    monkeypatch.setattr(registry, "problems", lambda: [])
    clean = MainWindow(remember=False)
    qtbot.addWidget(clean)
    assert clean.plugin_note.isHidden(), "no note when every plugin loaded"


def test_a_model_added_since_the_settings_were_saved_keeps_its_default(qtbot) -> None:
    from modelrace.gui.window.window_settings import settings_store

    first = MainWindow()
    qtbot.addWidget(first)
    for card in first.cards.values():
        card.setChecked(True)  # the user ticked every model there was
    first.close()
    newest = MODEL_KEYS[-1]
    store = settings_store()
    store.remove(f"cards/{newest}")  # as a settings file written before that model was registered
    store.sync()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.cards[newest].isChecked() is (newest in DEFAULT_MODELS), "a new model waits for its tick"
    assert all(card.isChecked() for key, card in second.cards.items() if key != newest), "the rest as remembered"


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_at_1024x768_every_control_of_every_card_can_be_reached(qtbot, scale: float) -> None:
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    win.set_scale_index(PRESENTER_SCALES.index(scale))
    settle(qtbot)
    scroll = win.sidebar
    for key, card in win.cards.items():
        card.setChecked(False)
        box = title_checkbox(card)
        assert in_view(scroll, card, box), f"{label(key)}'s tick box can be scrolled to"
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=box.center())
        assert card.isChecked(), f"{label(key)}'s tick box is where it is painted, and takes a click"
        card.advanced.expand(animate=False)
        settle(qtbot)
        editors = [card.editor(name) for name in card.values() if card.setting_shown(name)]
        for widget in [card.preset, *editors, card.status, card.progress]:
            assert in_view(scroll, widget), f"{label(key)}: {widget.objectName() or type(widget).__name__} is cut off"
    assert scroll.horizontalScrollBar().maximum() == 0, "the settings never scroll sideways"
    assert win.race_settings().models == list(MODEL_KEYS), "every registered model ticked"


def test_a_result_naming_a_model_not_installed_here_opens(qtbot, tmp_path: Path, saved_repeats: Path) -> None:
    result = load_result(saved_repeats)
    raced = list(result["race"]["models"])
    key = "et"
    assert not known(key), "a key no installed model has"
    plugin = copy.deepcopy(result["models"][raced[0]])
    plugin["config"] = {"n_estimators": 50, "criterion": "gini"}
    result["models"][key] = plugin
    result["race"]["models"] = [*raced, key]
    path = tmp_path / "colleague.json"
    path.write_text(json.dumps(result))
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    assert win.open_results(path)
    settle(qtbot)
    note = win.settings_note.text()
    assert "'et'" in note and "not installed here" in note, note
    assert key not in win.cards and key not in win.race_settings().models, "Run races the installed models only"
    assert win.plots.point_count(key) == len(plugin["curve"]) > 0, "its curve is drawn"
    assert "et" in win.plots.legend_entries()
    table = win.results.table
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert names == [*(label(k) for k in raced), key], "a row under its key"
    assert model_hue(key) == UNKNOWN_MODEL_COLOR, "grey"
    assert table.item(names.index(key), 0).foreground().color().name() == model_text_color(key), "its name in grey"
    win.show_tab("confusion-matrices")
    settle(qtbot)
    assert len(win.confusion.visible_tables()) == len(raced) + 1
    for tab in ("time-to-target", "how-sure", "data-size", "cells"):
        win.show_tab(tab)  # every tab shows it without raising
        settle(qtbot)


def test_a_race_of_every_registered_model_in_the_window(qtbot, window: MainWindow) -> None:
    """Tick every card, race small, and see each model's curve, bar and row at 1024×768, at 100% and 150%."""
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(2000)
    for card in window.cards.values():
        card.setChecked(True)
    window.set_window_size(1024, 768)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result["race"]["models"] == list(MODEL_KEYS)
    settle(qtbot)
    for key in MODEL_KEYS:
        assert window.plots.point_count(key) == len(result["models"][key]["curve"]) > 0, f"{label(key)} has a curve"
    assert [e for e in window.plots.legend_entries() if e in {label(k) for k in MODEL_KEYS}] == [label(k) for k in MODEL_KEYS]
    assert window.progress_strip.shown() == list(MODEL_KEYS)
    for scale, settings_shown in ((1.0, True), (1.5, False)):
        window.set_scale_index(PRESENTER_SCALES.index(scale))
        window.sidebar.setVisible(settings_shown)
        window.fit_panels()
        window.show_tab("results")
        settle(qtbot)
        table = window.results.table
        assert sorted(table.item(row, 0).text() for row in range(table.rowCount())) == sorted(label(k) for k in MODEL_KEYS)
        assert table.verticalScrollBar().maximum() == 0, f"at {scale:.0%} every model's row is on screen"
        for key, bar in window.progress_strip.bars.items():
            name, _ = bar.shown_texts()
            assert name in (label(key), short_label(key)), f"at {scale:.0%} the strip names {label(key)}: {name!r}"
            assert bar.isVisible() and bar.width() > 0
        assert window.plots.accuracy.height() >= 0.5 * window.height() * 0.6, "the curves stay the biggest thing"
