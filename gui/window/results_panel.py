"""After a race: the verdict banner, the results table, the accuracy bar chart and confusion matrices."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QAbstractScrollArea, QButtonGroup, QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy, QStyle,
    QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget,
)

from modelrace.gui.window.theme import MODEL_COLORS, VERDICT_COLORS, background, model_text_color, plot_colors
from modelrace.models.data import covtype
from modelrace.models.judging.headline import headline
from modelrace.models.judging.verdict import default_target, run_time_to_target
from modelrace.models.output.summary_table import (
    COLUMNS, NUMERIC_FROM, bar_values, bars_label, caption, details_tooltip, header, header_tips, summary_cells,
)
from modelrace.models.results.document import Result, raced_models
from modelrace.models.system.colors import best_text_on, blend
from modelrace.models.system.formatting import accuracy, percent
from modelrace.models.race.presets import RaceOptions
from modelrace.models.trainers.registry import MODEL_KEYS
from modelrace.models.trainers.registry import label as model_label

BAR_ROOM = 150  # pixels of bars, beside their names, under which the chart gives way to the table
MATRIX_CAPTION = "Rows: true class. Columns: predicted, by number. Shading: share of the row."
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
PROVISIONAL = "≈\u00a0"  # before a time to a target that may still change
DEFAULT_TARGET_FRACTION = RaceOptions().target_fraction
CELL_ROOM = 6  # pixels beside a matrix's widest count, so the digits never touch the grid lines


class VerdictBanner(QFrame):
    """The verdict at a glance: one headline sentence, coloured by the answer, and the evidence behind *Details*."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict")
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toggle = QToolButton()
        self.toggle.setObjectName("details")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Show or hide the evidence behind the verdict (the How sure? tab has it all)")
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.toggled.connect(self._show_details)
        self.badge = QLabel("⚠ busy machine")  # other programs took the CPU: the times may be unfair
        self.badge.setObjectName("badge")
        self.badge.setVisible(False)
        self.details = QLabel()
        self.details.setObjectName("evidence")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.headline, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.details)
        self.show_idle()

    def text(self) -> str:
        """The headline shown now."""
        return self.headline.text()

    def details_text(self) -> str:
        """The evidence behind the headline (empty when there is none)."""
        return self.details.text()

    def show_idle(self, text: str = "Press Run (Ctrl+R) to race the three models.") -> None:
        """A neutral banner with no details."""
        self.badge.setVisible(False)
        self._paint(VERDICT_COLORS[None], text, "")

    def show_verdict(self, result: Result) -> None:
        """Show a finished race's headline, with its full verdict text as the details."""
        verdict = result["verdict"]
        warning = verdict.get("timing_warning")
        self.badge.setVisible(bool(warning))
        self.badge.setToolTip(warning or "")
        self._paint(VERDICT_COLORS[verdict.get("claim_holds")], headline(result), verdict["text"])

    def _paint(self, color: str, text: str, details: str) -> None:
        self.headline.setText(text)
        self.details.setText(details)
        self.toggle.setVisible(bool(details))
        self._show_details(self.toggle.isChecked())
        self.setStyleSheet(
            f"QFrame#verdict {{ background: {color}; border-radius: 6px; }}"
            "QLabel#headline { color: white; font-weight: bold; }"
            "QLabel#evidence { color: white; }"
            "QLabel#badge { color: white; font-weight: bold; border: 1px solid white; border-radius: 4px; padding: 1px 6px; }"
            "QToolButton#details { color: white; border: 1px solid rgba(255,255,255,0.6); border-radius: 4px;"
            " padding: 1px 6px; background: transparent; }"
        )

    def _show_details(self, shown: bool) -> None:
        self.toggle.setText("Details ▴" if shown else "Details ▾")
        self.details.setVisible(shown and bool(self.details.text()))


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
        room = self.table.height() - self.table.horizontalHeader().height() - 2 * self.table.frameWidth()
        if any(levels) and sum(self.table.rowHeight(r) for r in range(self.table.rowCount())) > room:
            # Broken rows would push a model's row out of sight: better one line each, and the last columns
            # (the least decisive: the columns run from what decides the race to what matters least) scroll.
            self._set_columns([0] * len(levels), widths)
        self.bars.setVisible(show_bars)
        self.bars.setMaximumWidth(spare if show_bars else QWIDGETSIZE_MAX)

    def _set_columns(self, levels: list[int], widths: list[list[int]]) -> None:
        """Give each column its width at its break level, its cells their text for it, each row its height."""
        for column, level in enumerate(levels):
            self.table.setColumnWidth(column, widths[level][column])
            for row in range(self.table.rowCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setText(BREAKS[level](item.data(Qt.ItemDataRole.UserRole)))
        line = max(self._row_height, self.table.fontMetrics().height() + 8)
        for row in range(self.table.rowCount()):
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
        brushes = [pg.mkBrush(MODEL_COLORS.get(k, "#999999")) for k, *_ in scored]
        self.bars.addItem(pg.BarGraphItem(x0=np.zeros(len(scored)), y=y, width=widths, height=0.6, brushes=brushes))
        whiskers = [(row, acc, low, high) for row, (_, acc, low, high) in zip(y, scored) if low is not None]
        if whiskers:
            rows, accs, lows, highs = (np.array(v, dtype=float) for v in zip(*whiskers))
            _, foreground, _ = plot_colors()
            self.bars.addItem(pg.ErrorBarItem(x=accs, y=rows, left=accs - lows, right=highs - accs, beam=0.2,
                                              pen=pg.mkPen(foreground, width=2)))
        for row, (key, acc, _, _) in zip(y, scored):
            # At the bar's start, inside it: clear of the CI whisker around its end.
            label = pg.TextItem(accuracy(acc), anchor=(0, 0.5), color=best_text_on(MODEL_COLORS.get(key, "#999999")))
            label.setFont(self._label_font)
            label.setPos(0.01, row)
            self.bars.addItem(label)
        left = self.bars.getAxis("left")
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
        order = {key: i for i, key in enumerate(MODEL_KEYS)}
        models = dict(sorted(self.models.items(), key=lambda item: order.get(item[0], len(order))))
        return typing.cast(Result, {"models": models, "verdict": {"target": self.target_now()}, "split": self.split})

    def caption(self) -> str:
        """What the rows are: this race so far, and how sure its times to target are."""
        seed = self.split.get("seed")
        so_far = f"So far{f' (seed {seed})' if seed is not None else ''}: a row as each model finishes"
        if not self.provisional():
            return so_far + "."
        target = self.target_now()
        now = f", {percent(target)} now" if target is not None else ""
        return f"{so_far}; {PROVISIONAL.strip()} time to the target so far ({self.fraction:.0%} of the best{now}), which may rise."


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


class ConfusionPanel(QWidget):
    """One confusion matrix per model: counts, shaded by each true class's share.

    Columns carry the class numbers and rows the names, and every column is as wide as its digits,
    so a count is never cut. The matrices sit side by side when all of them fit the panel whole
    (every row, every column); when they do not (a laptop, a projector, presenter mode), one shows
    at a time and buttons named in the models' colours choose which (as Orange's Confusion Matrix
    widget does). The choice is taken again on every resize and text-size change.

    Each model's title and table are made once and refilled for every result (making new widgets for
    each race would leave Qt memory behind over a day of races).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(MATRIX_CAPTION)
        self.caption.setWordWrap(True)
        self.caption.setToolTip("Each row is a true class, each column the class predicted (numbered as the rows). "
                                "A cell's shade is its share of the row's rows; hover a count for its classes' names.")
        self._picker = QButtonGroup(self)
        self._picker.setExclusive(True)
        self._picker.idClicked.connect(self._picked)
        self._buttons: dict[str, QPushButton] = {}
        self._side = QWidget()  # the picker's buttons over the caption, right of the matrices
        self._side_layout = QVBoxLayout(self._side)
        self._side_layout.setContentsMargins(0, 0, 0, 0)
        self._side_layout.addWidget(self.caption)
        self._side_layout.addStretch(1)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self._side)
        self._row.addStretch(1)  # the matrices and the caption keep to the left, side by side
        self._boxes: dict[str, tuple[QWidget, QLabel, _Matrix]] = {}
        self._shown: list[str] = []  # the models whose matrices the result has, in its order
        self._chosen: str | None = None  # the model shown when one shows at a time
        self.one_at_a_time = False
        self._refit = QTimer(self)  # text size changes arrive widget by widget: refit once they are all in
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)

    def show_result(self, result: Result) -> None:
        """Fill the matrices of every scored model (the others' are hidden) and arrange them."""
        classes = result["dataset"]["classes"]
        is_covtype = result["dataset"].get("kind") == "covtype"
        scored = [(key, model["confusion_matrix"]) for key, model in result["models"].items()
                  if model.get("confusion_matrix")]
        self._shown = [key for key, _ in scored]
        for key, matrix in scored:
            _fill_matrix(self._box(key)[2], np.asarray(matrix), classes, is_covtype)
        if self._chosen not in self._shown:
            self._chosen = self._shown[0] if self._shown else None
        self._fit()

    def visible_tables(self) -> list[QTableWidget]:
        """The matrices of the result shown (side by side, or one at a time behind the picker)."""
        return [self._boxes[key][2] for key in self._shown]

    def on_screen_tables(self) -> list[QTableWidget]:
        """The matrices on screen now."""
        return [table for box, _, table in self._boxes.values() if box.isVisibleTo(self)]

    def picker_buttons(self) -> dict[str, QPushButton]:
        """The buttons that choose the matrix shown one at a time (hidden while all fit)."""
        return {key: button for key, button in self._buttons.items() if key in self._shown}

    def choose(self, key: str) -> None:
        """Show ``key``'s matrix (when one shows at a time)."""
        if key in self._shown:
            self._chosen = key
            self._arrange()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Another size: all side by side, or one at a time."""
        super().resizeEvent(event)
        self._arrange()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Arrange for the size the tab has when it comes to the front."""
        super().showEvent(event)
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Presenter mode changed the text size, or the theme changed: size and colour everything again."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._refit.start()

    def _fit(self) -> None:
        # Size every column to its digits and every row to the text, then decide the arrangement.
        for key in self._shown:
            _, title, table = self._boxes[key]
            _size_matrix(table)
            title.setText(f"<b style='color:{model_text_color(key)}'>{escape(model_label(key))}</b>")
            self._buttons[key].setStyleSheet(_picker_style(key))
        self._arrange()

    def _arrange(self) -> None:
        shown = [self._boxes[key] for key in self._shown]
        if not shown:
            for box, _, _ in self._boxes.values():
                box.setVisible(False)
            self._side.setVisible(False)
            return
        spacing = self._row.spacing()
        width = max(table.content_size.width() for _, _, table in shown)
        height = max(table.content_size.height() for _, _, table in shown)
        title = shown[0][1].sizeHint().height() + shown[0][0].layout().spacing()
        em = self.caption.fontMetrics().horizontalAdvance("m")
        least = max([12 * em, *(self._buttons[key].sizeHint().width() for key in self._shown)])
        spare = self.width() - len(shown) * (width + spacing)
        self.one_at_a_time = len(shown) > 1 and (spare < least or title + height > self.height())
        if self.one_at_a_time:
            spare = self.width() - width - spacing
        for key, (box, title_label, _) in self._boxes.items():
            box.setVisible(key in self._shown and (not self.one_at_a_time or key == self._chosen))
            title_label.setVisible(not self.one_at_a_time)  # the picker names the one shown
        for key, button in self._buttons.items():
            button.setVisible(self.one_at_a_time and key in self._shown)
            button.setChecked(key == self._chosen)
        # The caption's column takes what the matrices leave, within 12 to 26 em (limits taken from the text
        # size, never from the panel's own width: a minimum taken from it would hold the window wide).
        self._side.setMinimumWidth(least)
        self._side.setMaximumWidth(max(least, min(spare, 26 * em)))
        self._side.setVisible(True)

    def _picked(self, index: int) -> None:
        self.choose(list(self._buttons)[index])

    def _box(self, key: str) -> tuple[QWidget, QLabel, _Matrix]:
        if key not in self._boxes:
            box = QWidget()
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            title = QLabel()  # one line: the three align
            table = _Matrix()
            layout.addWidget(title)
            layout.addWidget(table, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            layout.addStretch(1)
            self._row.insertWidget(len(self._boxes), box, 0, Qt.AlignmentFlag.AlignTop)
            self._boxes[key] = (box, title, table)
            button = QPushButton(model_label(key))
            button.setCheckable(True)
            button.setToolTip(f"Show {model_label(key)}'s confusion matrix")
            self._picker.addButton(button, len(self._buttons))
            self._side_layout.insertWidget(len(self._buttons), button)
            self._buttons[key] = button
        return self._boxes[key]


class _Matrix(QTableWidget):
    """A confusion matrix's table: exactly as big as its counts need, never stretched."""

    def __init__(self) -> None:
        super().__init__()
        self.content_size = QSize(0, 0)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self.setCornerButtonEnabled(False)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setHighlightSections(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Every row and column, headers and frame included."""
        return self.content_size


def _size_matrix(table: _Matrix) -> None:
    """Give every column the width of the widest count or number (all alike) and every row one line of text."""
    style = table.style()
    cell_margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    header_margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, table.horizontalHeader())
    cells = table.fontMetrics()
    heads = table.horizontalHeader().fontMetrics()
    texts = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c) is not None]
    names = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    column = max([cells.horizontalAdvance(t) + cell_margin for t in texts]
                 + [heads.horizontalAdvance(n) + header_margin for n in names] + [0]) + CELL_ROOM
    row = max(cells.height(), table.verticalHeader().fontMetrics().height()) + 2  # a projector has few pixels to spare
    for header, size in ((table.horizontalHeader(), column), (table.verticalHeader(), row)):
        header.setMinimumSectionSize(min(size, header.minimumSectionSize()))
        header.setDefaultSectionSize(size)
    for c in range(table.columnCount()):
        table.setColumnWidth(c, column)
    for r in range(table.rowCount()):
        table.setRowHeight(r, row)
    frame = 2 * table.frameWidth()
    table.content_size = QSize(table.verticalHeader().sizeHint().width() + column * table.columnCount() + frame,
                               table.horizontalHeader().sizeHint().height() + row * table.rowCount() + frame)
    table.setMaximumSize(table.content_size)
    table.updateGeometry()


def _picker_style(key: str) -> str:
    """A picker button: the model's name in its text colour; the chosen one framed in the model's colour."""
    return (f"QPushButton {{ color: {model_text_color(key)}; text-align: left; padding: 3px 8px;"
            " background: transparent; border: 1px solid palette(mid); border-radius: 4px; }"
            f"QPushButton:checked {{ border: 3px solid {MODEL_COLORS.get(key, '#999999')}; font-weight: bold; }}")


def _fill_matrix(table: QTableWidget, matrix: np.ndarray, classes: list[str], is_covtype: bool) -> None:
    """Put ``matrix`` into ``table``: counts, shaded by each true class's share; numbers over the columns,
    names on the rows and in the tooltips."""
    table.clearContents()
    table.setRowCount(matrix.shape[0])
    table.setColumnCount(matrix.shape[1])
    names = covtype.class_names(classes) if is_covtype else list(classes)
    # Short labels (Covertype's 1-7) head the columns as they are; longer ones are numbered, the rows say which.
    short = all(len(c) <= 3 for c in classes)
    numbers = list(classes) if short else [str(i + 1) for i in range(len(classes))]
    rows = names if short else [f"{n} {name}" for n, name in zip(numbers, names)]
    table.setHorizontalHeaderLabels(numbers)
    table.setVerticalHeaderLabels(rows)
    totals = matrix.sum(axis=1, keepdims=True).clip(min=1)
    shares = matrix / totals
    full = [_class_name(c, is_covtype) for c in classes]
    for i in range(matrix.shape[0]):
        table.verticalHeaderItem(i).setToolTip(f"true class {full[i]}")
        table.horizontalHeaderItem(i).setToolTip(f"predicted class {full[i]}")
        for j in range(matrix.shape[1]):
            item = QTableWidgetItem(str(int(matrix[i, j])))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            share = float(shares[i, j])
            alpha = min(1.0, 0.08 + 0.85 * share) if matrix[i, j] else 0.0
            shade = blend("#0072B2" if i == j else "#D55E00", alpha, background())
            item.setBackground(QColor(shade))
            item.setForeground(QColor(best_text_on(shade)))
            what = "right" if i == j else f"predicted as {full[j]}"
            item.setToolTip(f"true {full[i]}, {what}: {int(matrix[i, j])} ({percent(share)} of true {full[i]})")
            table.setItem(i, j, item)


def _class_name(label: str, is_covtype: bool) -> str:
    """A class's label with its Covertype name ("2 Lodgepole Pine"), or the label itself."""
    return covtype.class_names([label])[0] if is_covtype else label
