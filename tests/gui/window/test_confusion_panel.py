"""Confusion matrices a class can read: every count whole, no scroll bars, at projector, laptop and desktop sizes.

A saved 2-seed race of the tutorial's three models (real rows, raced with the terminal) is opened in the window
laid out offscreen. Its counts are also scaled up a thousandfold, as a test set of half a million rows
would give, so the widest counts are checked too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle, QTableWidget

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.data import covtype
from modelrace.models.results.files import load_result
from modelrace.models.trainers.registry import label


@pytest.fixture(autouse=True)
def normal_font():
    """Presenter mode scales the application font; put it back for the next test."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)


@pytest.fixture(params=["as raced", "thousandfold"])
def matrices_result(request, saved_repeats: Path, tmp_path: Path) -> Path:
    """The saved result, or a copy whose counts are 1,000 times larger (six-digit diagonals)."""
    if request.param == "as raced":
        return saved_repeats
    result = json.loads(saved_repeats.read_text())
    for model in result["models"].values():
        if model.get("confusion_matrix"):
            model["confusion_matrix"] = [[1000 * count for count in row] for row in model["confusion_matrix"]]
    path = tmp_path / "large.json"
    path.write_text(json.dumps(result))
    return path


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def assert_readable(table: QTableWidget) -> None:
    """Every count and header whole (no eliding), every row and column on screen, no scroll bar."""
    name = table.objectName() or "a matrix"
    assert not table.horizontalScrollBar().isVisible() and not table.verticalScrollBar().isVisible(), \
        f"{name} scrolls: {table.size().toTuple()}"
    style = table.style()
    cell_margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    header = table.horizontalHeader()
    header_margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    viewport = table.viewport()
    for row in range(table.rowCount()):
        assert table.rowViewportPosition(row) >= 0
        assert table.rowViewportPosition(row) + table.rowHeight(row) <= viewport.height(), f"row {row + 1} is cut off"
        assert table.rowHeight(row) >= table.fontMetrics().height(), "a row lower than its text"
        rows_name = table.verticalHeaderItem(row).text()
        room = table.verticalHeader().width() - header_margin
        assert table.verticalHeader().fontMetrics().horizontalAdvance(rows_name) <= room, rows_name
    for column in range(table.columnCount()):
        width = table.columnWidth(column)
        assert table.columnViewportPosition(column) + width <= viewport.width(), f"column {column + 1} is cut off"
        title = table.horizontalHeaderItem(column).text()
        assert header.fontMetrics().horizontalAdvance(title) <= width - header_margin, title
        for row in range(table.rowCount()):
            text = table.item(row, column).text()
            assert table.fontMetrics().horizontalAdvance(text) <= width - cell_margin, f"{text!r} elided in {width} px"
            assert table.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width - cell_margin) == text


def shown_model(win: MainWindow) -> str:
    tables = win.confusion.on_screen_tables()
    assert len(tables) == 1
    return next(key for key, table in zip(shown_keys(win), win.confusion.visible_tables()) if table is tables[0])


def shown_keys(win: MainWindow) -> list[str]:
    result = win.result or {}
    return [key for key, model in result["models"].items() if model.get("confusion_matrix")]


def test_at_1024x768_presenter_150_one_matrix_at_a_time_every_count_whole(qtbot, laid_out,
                                                                           matrices_result: Path) -> None:
    win = laid_out((1024, 768), 2, False, matrices_result, "confusion-matrices")
    panel = win.confusion
    keys = shown_keys(win)
    assert len(keys) == 3 and panel.one_at_a_time, "three do not fit a projector at 150%: one at a time"
    buttons = panel.picker_buttons()
    assert [buttons[k].text() for k in keys] == [label(k) for k in keys], "the legend's names"
    assert all(button.isVisible() for button in buttons.values())
    for key in keys:
        qtbot.mouseClick(buttons[key], Qt.MouseButton.LeftButton)
        settle()
        assert shown_model(win) == key and buttons[key].isChecked()
        table = panel.on_screen_tables()[0]
        assert_readable(table)
        assert table.rowCount() == 7 and table.columnCount() == 7
    matrix = load_result(matrices_result)["models"][keys[-1]]["confusion_matrix"]
    table = panel.on_screen_tables()[0]
    assert [table.item(i, i).text() for i in range(7)] == [str(matrix[i][i]) for i in range(7)], "the diagonal"


def test_columns_are_numbered_and_the_rows_and_tooltips_name_the_classes(laid_out, saved_repeats: Path) -> None:
    win = laid_out((1024, 768), 2, False, saved_repeats, "confusion-matrices")
    table = win.confusion.on_screen_tables()[0]
    classes = load_result(saved_repeats)["dataset"]["classes"]
    names = covtype.class_names(classes)
    assert [table.horizontalHeaderItem(c).text() for c in range(7)] == classes
    assert [table.verticalHeaderItem(r).text() for r in range(7)] == names
    assert all(names[c] in table.horizontalHeaderItem(c).toolTip() for c in range(7))
    assert names[1] in table.item(0, 1).toolTip() and names[0] in table.item(0, 1).toolTip()


@pytest.mark.parametrize("settings_shown", [True, False])
def test_at_1366x768_every_count_is_whole(laid_out, saved_repeats: Path, settings_shown: bool) -> None:
    win = laid_out((1366, 768), 0, settings_shown, saved_repeats, "confusion-matrices")
    tables = win.confusion.on_screen_tables()
    assert tables
    for table in tables:
        assert_readable(table)
    assert win.confusion.one_at_a_time == (len(tables) == 1)


def test_at_1920x1080_all_three_side_by_side(laid_out, saved_repeats: Path) -> None:
    win = laid_out((1920, 1080), 0, True, saved_repeats, "confusion-matrices")
    panel = win.confusion
    assert not panel.one_at_a_time and len(panel.on_screen_tables()) == 3
    assert not any(button.isVisible() for button in panel.picker_buttons().values()), "no picker when all fit"
    for table in panel.on_screen_tables():
        assert_readable(table)


def test_wide_counts_stay_whole_whichever_way_they_are_shown(laid_out, matrices_result: Path) -> None:
    win = laid_out((1920, 1080), 0, True, matrices_result, "confusion-matrices")
    tables = win.confusion.on_screen_tables()
    assert len(tables) == (1 if win.confusion.one_at_a_time else 3)
    for table in tables:
        assert_readable(table)


def test_the_arrangement_follows_the_text_size_and_the_window(laid_out, saved_repeats: Path) -> None:
    win = laid_out((1920, 1080), 0, True, saved_repeats, "confusion-matrices")
    panel = win.confusion
    assert len(panel.on_screen_tables()) == 3
    win.set_scale_index(4)  # 200%
    settle()
    assert panel.one_at_a_time and len(panel.on_screen_tables()) == 1
    assert_readable(panel.on_screen_tables()[0])
    win.set_scale_index(0)
    settle()
    assert len(panel.on_screen_tables()) == 3
    win.resize(1024, 768)
    settle()
    assert len(panel.on_screen_tables()) == 1
    assert_readable(panel.on_screen_tables()[0])
    win.resize(1920, 1080)
    settle()
    assert len(panel.on_screen_tables()) == 3
