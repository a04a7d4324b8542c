"""After a race: the results table and the accuracy bar chart (filled in during a race too).

The verdict banner (:mod:`~modelrace.gui.window.verdict_banner`) and the confusion matrices
(:mod:`~modelrace.gui.window.confusion_panel`) have modules of their own.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QAbstractScrollArea, QHBoxLayout, QHeaderView, QLabel, QSizePolicy, QStyle, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from modelrace.gui.window.theme import model_hue, model_text_color, plot_colors
from modelrace.models.judging.verdict import default_target, run_time_to_target
from modelrace.models.output.summary_table import (
    COLUMNS, NUMERIC_FROM, bar_values, bars_label, caption, details_tooltip, header, header_tips, summary_cells,
)
from modelrace.models.results.document import Result, raced_models
from modelrace.models.results.installed import ordered
from modelrace.models.race.presets import RaceOptions
from modelrace.models.system.colors import best_text_on
from modelrace.models.system.formatting import accuracy, percent
from modelrace.models.trainers.registry import label as model_label


BAR_ROOM = 150  # pixels of bars, beside their names, under which the chart gives way to the table
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
PROVISIONAL = "≈\u00a0"  # before a time to a target that may still change
DEFAULT_TARGET_FRACTION = RaceOptions().target_fraction
CELL_ROOM = 4  # pixels beside a cell's text (with the style's margins, what Qt's own fitting leaves)


class ResultsPanel(QWidget):
    """The results table next to a bar chart of test accuracies (means with 95% CI whiskers over seeds).

    During a race each model's row and bar appear as it finishes (:meth:`show_entry`), marked as
    provisional where the target is not known yet; the race's full result replaces them
    (:meth:`show_result`).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([name for name, _ in COLUMNS])
        for column, (_, tip) in enumerate(COLUMNS):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setWordWrap(True)  # at the breaks :func:`_breakable` leaves, when the panel is narrow
        self.table.setToolTip("Hover a row for what each model cost besides training time")
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.bars = pg.PlotWidget()
        self.bars.setLabel("bottom", "test accuracy")
        self.bars.setMouseEnabled(x=False, y=False)
        self.bars.hideButtons()
        self.bars.getPlotItem().setContentsMargins(2, 10, 12, 2)  # room for the edge tick labels
        self.caption = QLabel()
        self.caption.setWordWrap(True)  # one line would set the window's least width in presenter mode
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # the table's width rules
        self.caption.setToolTip("Hover a row for what each model cost besides training time")
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.caption)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bars.setMinimumWidth(140)
        layout.addLayout(left)
        self._column = left  # the caption over the table
        layout.addWidget(self.bars, 1)
        self._label_font = QFont()
        self._row_height = 0  # one line of text and its padding (presenter mode sets it)
        self._target_rule: tuple[float | None, float] = (None, DEFAULT_TARGET_FRACTION)
        self._live: _LiveRace | None = None  # the race being shown row by row, until its result comes

    def show_result(self, result: Result) -> None:
        """Fill the table and the bar chart from a result (means over the seeds of a repeated race)."""
        self._live = None
        self._fill(result, raced_models(result), caption(result) + " Hover a row for its costs.")
        self._fit_table()

    def expect_race(self, target: float | None, target_fraction: float) -> None:
        """A run is starting: its fixed target, or (None) the fraction of the best accuracy its target will be."""
        self._target_rule = (target, target_fraction)

    def start_live(self, split: Mapping) -> None:
        """A race begins (or the next seed or size of a run): its rows will appear as its models finish."""
        self.clear()
        self._live = _LiveRace(split=dict(split), target=self._target_rule[0], fraction=self._target_rule[1])
        self.caption.setText(self._live.caption())

    def show_entry(self, key: str, entry: Mapping) -> None:
        """A model of the race shown live has ended: its row and bar now, provisional until :meth:`show_result`."""
        if self._live is None:
            self.start_live({})
        live = typing.cast(_LiveRace, self._live)
        live.models[key] = dict(entry)
        partial = live.as_result()
        self._fill(partial, raced_models(partial), live.caption())
        if live.provisional():
            for row, model in enumerate(raced_models(partial).values()):
                if run_time_to_target(model, live.target_now()) is not None:
                    cell = self.table.item(row, 1)
                    cell.setData(Qt.ItemDataRole.UserRole, PROVISIONAL + cell.text())
                    cell.setToolTip(f"{cell.toolTip()}\n≈: to the target so far; the race's final target may differ")
        self._fit_table()

    def is_live(self) -> bool:
        """True while the table shows a race's rows as its models finish (before its result)."""
        return self._live is not None

    def apply_scale(self, scale: float, base_point_size: float) -> None:
        """Presenter mode: scale the bar chart's text and the table's rows."""
        font = QFont()
        font.setPointSizeF(base_point_size * scale)
        self._label_font = font
        for name in ("left", "bottom"):
            axis = self.bars.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)
        for item in self.bars.getPlotItem().items:
            if isinstance(item, pg.TextItem):
                item.setFont(font)
        self._row_height = int(QFontMetrics(font).height() * 1.5)
        self.table.verticalHeader().setDefaultSectionSize(self._row_height)
        self._fit_table()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Keep the table as wide as its columns need, as far as the chart's minimum allows."""
        super().resizeEvent(event)
        self._fit_table()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Fit again for the size the tab has when it comes to the front."""
        super().showEvent(event)
        self._fit_table()

    def _fill(self, result: Result, raced: Mapping[str, Mapping], text: str) -> None:
        self.table.setRowCount(len(raced))
        for row, (key, model) in enumerate(raced.items()):
            tip = details_tooltip(key, model, result)  # type: ignore[arg-type]
            for column, cell in enumerate(summary_cells(key, model, result)):  # type: ignore[arg-type]
                item = QTableWidgetItem(cell)
                item.setData(Qt.ItemDataRole.UserRole, cell)  # the words as written; _fit_table breaks them
                item.setToolTip(tip)
                if column >= NUMERIC_FROM and column != len(COLUMNS) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 0:
                    item.setForeground(QColor(model_text_color(key)))
                self.table.setItem(row, column, item)
        for column, (name, tip) in enumerate(zip(header(result, compact=True), header_tips(result))):
            self.table.horizontalHeaderItem(column).setText(name)
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.caption.setText(text)
        self._draw_bars(result)  # before fitting: the chart's least width depends on its names

    def _fit_table(self) -> None:
        # The table's columns decide the race: it gets the width they need and the bar chart the rest, so at
        # laptop sizes no column hides behind a scroll bar. Where the panel is too narrow for the chart too,
        # the table is alone; where it is too narrow for the cells' single lines, the widest cells break:
        # first before their bracket ("0.771" over "(range 0.760–0.782)"), then at any space. Only the
        # chart's maximum width is set: a minimum taken from the panel's own width would hold the window at
        # that width (too wide for a projector).
        widths = [self._column_widths(level) for level in range(len(BREAKS))]
        frame = 2 * self.table.frameWidth() + 2
        spare = self.width() - sum(widths[0]) - frame - self.layout().spacing()
        show_bars = spare >= self._bars_readable()
        levels = [0] * self.table.columnCount()
        if not show_bars:
            levels = _break_levels(widths, self.width() - frame)
        self._set_columns(levels, widths)
        room = self._rows_room()
        if any(levels) and sum(self.table.rowHeight(r) for r in range(self.table.rowCount())) > room:
            # Broken rows would push a model's row out of sight: better one line each, and the last columns
            # (the least decisive: the columns run from what decides the race to what matters least) scroll.
            self._set_columns([0] * len(levels), widths)
        self.bars.setVisible(show_bars)
        self.bars.setMaximumWidth(spare if show_bars else QWIDGETSIZE_MAX)

    def height_for_rows(self, rows: int) -> int:
        """The height this panel needs to show ``rows`` rows whole, at the least padding a row keeps."""
        table = self.table
        width = max(1, self.caption.width())
        caption = self.caption.heightForWidth(width) if self.caption.text() else self.caption.fontMetrics().height()
        spacing = max(0, self._column.spacing())
        return (caption + spacing + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                + rows * self._least_row())

    def _least_row(self) -> int:
        return self.table.fontMetrics().height() + 8  # one line of text and the least padding that reads

    def _rows_room(self) -> int:
        """The table's height for rows: without its header, its frame and a sideways scroll bar."""
        sideways = self.table.horizontalScrollBar()
        return (self.table.height() - self.table.horizontalHeader().height() - 2 * self.table.frameWidth()
                - (sideways.sizeHint().height() if sideways.isVisible() else 0))

    def _set_columns(self, levels: list[int], widths: list[list[int]]) -> None:
        """Give each column its width at its break level, its cells their text for it, each row its height."""
        for column, level in enumerate(levels):
            self.table.setColumnWidth(column, widths[level][column])
            for row in range(self.table.rowCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setText(BREAKS[level](item.data(Qt.ItemDataRole.UserRole)))
        least = self._least_row()
        line = max(self._row_height, least)
        rows = self.table.rowCount()
        if rows and not any(levels):
            # Presenter mode pads the rows; where that would push the last model's row out of sight (five models
            # at 150% on a 768-pixel screen), the padding gives way first.
            line = max(least, min(line, self._rows_room() // rows))
        for row in range(rows):
            self.table.setRowHeight(row, max(line, self.table.sizeHintForRow(row)) if any(levels) else line)

    def _column_widths(self, level: int) -> list[int]:
        """Each column's width for its header and its cells as broken at ``level`` (0: on one line)."""
        table = self.table
        margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + CELL_ROOM
        header = table.horizontalHeader()
        header_margin = 2 * table.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + CELL_ROOM
        bold = QFont(table.font())
        bold.setBold(True)
        widths = []
        for column in range(table.columnCount()):
            title = table.horizontalHeaderItem(column).text()
            needed = header.fontMetrics().horizontalAdvance(title) + header_margin
            for row in range(table.rowCount()):
                item = table.item(row, column)
                if item is None:
                    continue
                if column == 0:
                    item.setFont(bold)  # the model's name, in its colour; presenter mode changes the size
                metrics = QFontMetrics(item.font() if column == 0 else table.font())
                text = BREAKS[level](item.data(Qt.ItemDataRole.UserRole))
                pieces = text.split(" ") if level else [text]
                needed = max(needed, *(metrics.horizontalAdvance(piece) + margin for piece in pieces))
            widths.append(needed)
        return widths

    def _bars_readable(self) -> int:
        """The least width of a readable bar chart: the longest model name beside some room for the bars."""
        return self.bars.getAxis("left").width() + BAR_ROOM

    def clear(self) -> None:
        """Empty the table and chart (a race shown live ends here too)."""
        self._live = None
        self.caption.setText("")
        self.table.setRowCount(0)
        self.bars.clear()

    def _draw_bars(self, result: Result) -> None:
        # Horizontal bars: model names sit on the left axis, where long names and large fonts fit.
        self.bars.clear()
        scored = bar_values(result)
        self.bars.setLabel("bottom", bars_label(result))
        if not scored:
            return
        y = np.arange(len(scored))[::-1]
        widths = [acc for _, acc, _, _ in scored]
        brushes = [pg.mkBrush(model_hue(k)) for k, *_ in scored]
        self.bars.addItem(pg.BarGraphItem(x0=np.zeros(len(scored)), y=y, width=widths, height=0.6, brushes=brushes))
        whiskers = [(row, acc, low, high) for row, (_, acc, low, high) in zip(y, scored) if low is not None]
        if whiskers:
            rows, accs, lows, highs = (np.array(v, dtype=float) for v in zip(*whiskers))
            _, foreground, _ = plot_colors()
            self.bars.addItem(pg.ErrorBarItem(x=accs, y=rows, left=accs - lows, right=highs - accs, beam=0.2,
                                              pen=pg.mkPen(foreground, width=2)))
        for row, (key, acc, _, _) in zip(y, scored):
            # At the bar's start, inside it: clear of the CI whisker around its end.
            label = pg.TextItem(accuracy(acc), anchor=(0, 0.5), color=best_text_on(model_hue(key)))
            label.setFont(self._label_font)
            label.setPos(0.01, row)
            self.bars.addItem(label)
        left = self.bars.getAxis("left")
        left.setStyle(textFillLimits=[(0, 1.0)])  # every model's name while they fit (by default a short chart drops some)
        left.setTicks([[(row, model_label(k)) for row, (k, *_) in zip(y, scored)]])
        # pyqtgraph drops tick labels wider than the axis: make room for the longest name (the legend's names).
        metrics = QFontMetrics(self._label_font)
        left.setWidth(max(metrics.horizontalAdvance(model_label(k)) for k, *_ in scored) + 16)
        self.bars.setXRange(0, 1.04)
        self.bars.setYRange(-0.6, len(scored) - 0.4)


@dataclass
class _LiveRace:
    """The race shown row by row: its split, its target rule, and the entries of the models done so far."""

    split: dict
    target: float | None  # fixed; None: a fraction of the best final validation accuracy, known at the end
    fraction: float
    models: dict[str, dict] = field(default_factory=dict)

    def provisional(self) -> bool:
        """True when the target depends on models still running."""
        return self.target is None

    def target_now(self) -> float | None:
        """The fixed target, or the automatic one over the models done so far (the engine's rule)."""
        return self.target if self.target is not None else default_target(self.models, self.fraction)

    def as_result(self) -> Result:
        """The models done so far, as a one-run result the shared table code reads."""
        return typing.cast(Result, {"models": ordered(self.models), "verdict": {"target": self.target_now()},
                                    "split": self.split})

    def caption(self) -> str:
        """What the rows are: this race so far, and how sure its times to target are."""
        seed = self.split.get("seed")
        so_far = f"So far{f' (seed {seed})' if seed is not None else ''}: a row as each model finishes"
        if not self.provisional():
            return so_far + "."
        target = self.target_now()
        now = f", {percent(target)} now" if target is not None else ""
        return (f"{so_far}; {PROVISIONAL.strip()} time to the target so far ({self.fraction:.0%} of the best{now}), "
                "which may rise.")


def _breakable(text: str) -> str:
    """``text`` with the spaces inside brackets made non-breaking: a narrow cell breaks before "(range …)",
    never inside it."""
    out, depth = [], 0
    for char in text:
        depth += (char == "(") - (char == ")")
        out.append("\u00a0" if char == " " and depth > 0 else char)
    return "".join(out)


def _break_levels(widths: list[list[int]], room: int) -> list[int]:
    """How far to break each column's cells (an index into :data:`BREAKS`) so the columns fit ``room``:
    the columns that gain most by breaking break first, and no further than they must."""
    levels = [0] * len(widths[0])
    for level in range(1, len(widths)):
        gains = sorted(range(len(levels)), key=lambda c: widths[level][c] - widths[levels[c]][c])
        for column in gains:
            if sum(widths[levels[c]][c] for c in range(len(levels))) <= room:
                return levels
            if widths[level][column] < widths[levels[column]][column]:
                levels[column] = level
    return levels


#: How a cell's words may break, from none to any space: on one line; before a bracket only; anywhere.
BREAKS = (str, _breakable, str)  # one line: the column is as wide as the text, which then never wraps
