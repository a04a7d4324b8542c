"""After a race: the verdict banner, the results table, the accuracy bar chart and confusion matrices."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
    QToolButton, QVBoxLayout, QWidget,
)

from modelrace.gui.window.theme import MODEL_COLORS, VERDICT_COLORS, background, model_text_color, plot_colors
from modelrace.models.data import covtype
from modelrace.models.judging.headline import headline
from modelrace.models.output.summary_table import (
    COLUMNS, NUMERIC_FROM, bar_values, bars_label, caption, details_tooltip, header, header_tips, summary_cells,
)
from modelrace.models.results.document import Result, raced_models
from modelrace.models.system.colors import best_text_on, blend
from modelrace.models.system.formatting import accuracy, percent
from modelrace.models.trainers.registry import label as model_label

SHORT_NAMES = {"mlp": "MLP", "rf": "Forest", "xgb": "XGBoost"}  # bar labels must fit beside narrow bars
BARS_READABLE = 240  # pixels under which the bar chart gives way to the table


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
    """The results table next to a bar chart of test accuracies (means with 95% CI whiskers over seeds)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([name for name, _ in COLUMNS])
        for column, (_, tip) in enumerate(COLUMNS):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setToolTip("Hover a row for what each model cost besides training time")
        self.bars = pg.PlotWidget()
        self.bars.setLabel("bottom", "test accuracy")
        self.bars.setMouseEnabled(x=False, y=False)
        self.bars.hideButtons()
        self.bars.getPlotItem().setContentsMargins(2, 10, 12, 2)  # room for the edge tick labels
        self.caption = QLabel()
        self.caption.setToolTip("Hover a row for what each model cost besides training time")
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.caption)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bars.setMinimumWidth(140)
        layout.addLayout(left, 7)
        layout.addWidget(self.bars, 3)
        self._label_font = QFont()

    def show_result(self, result: Result) -> None:
        """Fill the table and the bar chart from a result (means over the seeds of a repeated race)."""
        raced = raced_models(result)
        self.table.setRowCount(len(raced))
        for row, (key, model) in enumerate(raced.items()):
            tip = details_tooltip(key, model, result)
            for column, text in enumerate(summary_cells(key, model, result)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if column >= NUMERIC_FROM and column != len(COLUMNS) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 0:
                    item.setForeground(QColor(model_text_color(key)))
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        self.caption.setText(caption(result) + " Hover a row for its costs.")
        for column, (name, tip) in enumerate(zip(header(result, compact=True), header_tips(result))):
            self.table.horizontalHeaderItem(column).setText(name)
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.resizeColumnsToContents()
        self._fit_table()
        self._draw_bars(result)

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
        self.table.verticalHeader().setDefaultSectionSize(int(QFontMetrics(font).height() * 1.5))
        self.table.resizeColumnsToContents()
        self._fit_table()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Keep the table as wide as its columns need, as far as the chart's minimum allows."""
        super().resizeEvent(event)
        self._fit_table()

    def _fit_table(self) -> None:
        # The table's columns decide the race: it takes the width they need, the bar chart the rest
        # (down to its minimum), so at laptop sizes no column hides behind a scroll bar.
        needed = self.table.horizontalHeader().length() + 2 * self.table.frameWidth() + 2
        spacing = self.layout().spacing()
        # Too narrow for a readable chart (presenter mode on a laptop): the table alone, which holds the numbers.
        show_bars = self.width() - needed - spacing >= BARS_READABLE
        self.bars.setVisible(show_bars)
        room = self.width() - (self.bars.minimumWidth() + spacing if show_bars else 0)
        self.table.setMinimumWidth(max(0, min(needed, room)))

    def clear(self) -> None:
        """Empty the table and chart."""
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
        left.setTicks([[(row, SHORT_NAMES.get(k, k)) for row, (k, *_) in zip(y, scored)]])
        # pyqtgraph drops tick labels wider than the axis: make room for the longest name.
        left.setWidth(QFontMetrics(self._label_font).horizontalAdvance("XGBoost") + 16)
        self.bars.setXRange(0, 1.04)
        self.bars.setYRange(-0.6, len(scored) - 0.4)


class ConfusionPanel(QWidget):
    """One confusion matrix per model: counts, shaded by each true class's share.

    Each model's title and table are made once and refilled for every result (making new widgets for
    each race would leave Qt memory behind over a day of races).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel("Rows: true class; columns: predicted class. Shading: each true class's share.")
        self.caption.setWordWrap(True)
        outer.addWidget(self.caption)
        self._grid = QGridLayout()
        outer.addLayout(self._grid, 1)
        self._boxes: dict[str, tuple[QWidget, QTableWidget]] = {}

    def show_result(self, result: Result) -> None:
        """Draw the matrices of every scored model (the others' are hidden)."""
        classes = result["dataset"]["classes"]
        is_covtype = result["dataset"].get("kind") == "covtype"
        scored = [(key, model["confusion_matrix"]) for key, model in result["models"].items()
                  if model.get("confusion_matrix")]
        for box, _ in self._boxes.values():
            box.setVisible(False)
        for column, (key, matrix) in enumerate(scored):
            box, table = self._box(key)
            self._grid.addWidget(box, 0, column)
            _fill_matrix(table, np.asarray(matrix), classes, is_covtype)
            box.setVisible(True)

    def visible_tables(self) -> list[QTableWidget]:
        """The matrices shown now (for tests)."""
        return [table for box, table in self._boxes.values() if box.isVisibleTo(self)]

    def _box(self, key: str) -> tuple[QWidget, QTableWidget]:
        if key not in self._boxes:
            box = QWidget()
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            title = QLabel(f"<b style='color:{model_text_color(key)}'>{model_label(key)}</b>")  # one line: the three align
            table = QTableWidget()
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            layout.addWidget(title)
            layout.addWidget(table)
            self._boxes[key] = (box, table)
        return self._boxes[key]


def _fill_matrix(table: QTableWidget, matrix: np.ndarray, classes: list[str], is_covtype: bool) -> None:
    """Put ``matrix`` into ``table``: counts, shaded by each true class's share, class names in the tooltips."""
    table.clearContents()
    table.setRowCount(matrix.shape[0])
    table.setColumnCount(matrix.shape[1])
    table.setHorizontalHeaderLabels(covtype.class_names(classes, short=True) if is_covtype else classes)
    table.setVerticalHeaderLabels(covtype.class_names(classes) if is_covtype else classes)
    totals = matrix.sum(axis=1, keepdims=True).clip(min=1)
    shares = matrix / totals
    for i in range(matrix.shape[0]):
        if is_covtype and classes[i].isdigit():
            name = covtype.CLASS_NAMES.get(int(classes[i]), "")
            table.verticalHeaderItem(i).setToolTip(name)
            table.horizontalHeaderItem(i).setToolTip(name)
        for j in range(matrix.shape[1]):
            item = QTableWidgetItem(str(int(matrix[i, j])))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            share = float(shares[i, j])
            alpha = min(1.0, 0.08 + 0.85 * share) if matrix[i, j] else 0.0
            shade = blend("#0072B2" if i == j else "#D55E00", alpha, background())
            item.setBackground(QColor(shade))
            item.setForeground(QColor(best_text_on(shade)))
            item.setToolTip(f"{percent(share)} of true class {classes[i]}")
            table.setItem(i, j, item)
