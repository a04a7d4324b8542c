"""The results table with wide cells (a mean and its interval in each): what decides the race stays readable.

A saved 2-seed race (real rows, raced with the terminal) writes every averaged cell as a value and its
range; the window is laid out at a projector's and a laptop's size in presenter mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QTableWidget

from modelrace.gui.window.results_panel import _break_levels, _breakable


@pytest.fixture(autouse=True)
def normal_font():
    """Presenter mode scales the application font; put it back for the next test."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)


def lines_fit(table: QTableWidget, row: int, column: int) -> bool:
    """Every line the cell's text wraps to fits its column (Qt breaks only at ordinary spaces)."""
    metrics = QFontMetrics(table.item(row, column).font())  # the model's name is bold
    room = table.columnWidth(column) - 4
    words, line, fits = table.item(row, column).text().split(" "), "", True
    for word in words:
        candidate = f"{line} {word}".strip()
        if metrics.horizontalAdvance(candidate) <= room:
            line = candidate
        else:
            fits &= metrics.horizontalAdvance(word) <= room
            line = word
    return fits


def test_at_1024x768_presenter_150_every_column_and_row_is_on_screen(laid_out, saved_repeats: Path) -> None:
    win = laid_out((1024, 768), 2, False, saved_repeats, "results")
    table = win.results.table
    assert "(" in table.item(0, 2).text(), "the cells carry their intervals"
    assert table.horizontalScrollBar().maximum() == 0 and table.verticalScrollBar().maximum() == 0
    for column in range(table.columnCount()):
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= table.viewport().width()
        for row in range(table.rowCount()):
            assert lines_fit(table, row, column), table.item(row, column).text()
            assert table.item(row, column).text().replace("\u00a0", " ") == \
                table.item(row, column).data(256).replace("\u00a0", " "), "the words as written"


def test_at_1366x768_presenter_150_what_decides_the_race_stays_on_screen(laid_out, saved_repeats: Path) -> None:
    win = laid_out((1366, 768), 2, True, saved_repeats, "results")
    table = win.results.table
    viewport = table.viewport()
    for row in range(table.rowCount()):
        assert table.rowViewportPosition(row) + table.rowHeight(row) <= viewport.height(), "every model's row"
    for column in range(3):  # Model, To target, Test acc
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= viewport.width()


def test_interval_cells_break_only_before_their_bracket() -> None:
    assert _breakable("0.706 (0.695–0.718)") == "0.706 (0.695–0.718)"
    assert _breakable("0.78 (range 0.70–0.85, 2 seeds)") == "0.78 (range\u00a00.70–0.85,\u00a02\u00a0seeds)"
    assert _breakable("never (0/2)") == "never (0/2)"


def test_the_columns_that_gain_most_break_first_and_only_as_needed() -> None:
    one_line, before_bracket, anywhere = [100, 200, 120, 200], [100, 120, 120, 110], [100, 90, 120, 80]
    widths = [one_line, before_bracket, anywhere]
    assert _break_levels(widths, 620) == [0, 0, 0, 0]
    assert _break_levels(widths, 530) == [0, 0, 0, 1], "the column that gains most, alone"
    assert _break_levels(widths, 450) == [0, 1, 0, 1]
    assert _break_levels(widths, 400) == [0, 2, 0, 2], "a column that gains nothing never breaks"
