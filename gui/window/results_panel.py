"""After a race: the verdict banner, the results table, the accuracy bar chart and confusion matrices."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from modelrace.gui.window.theme import MODEL_COLORS, VERDICT_COLORS
from modelrace.models.data import covtype
from modelrace.models.output.summary_table import COLUMNS, NUMERIC_FROM, summary_cells
from modelrace.models.results.document import ModelEntry, ModelSummary, Result, Verdict, raced_models
from modelrace.models.system.formatting import ci_text
from modelrace.models.trainers.registry import label as model_label

SHORT_NAMES = {"mlp": "MLP", "rf": "Forest", "xgb": "XGBoost"}  # bar labels must fit beside narrow bars


#: Columns that show mean ± CI over the seeds of a repeated race: test acc, macro-F1, train s, to target.
MEAN_COLUMNS = (2, 3, 4, 9)


def with_repeat_means(cells: list[str], summary: ModelSummary) -> list[str]:
    """Replace a row's single-run numbers by the mean ± 95% CI over the repeats."""
    cells[2] = ci_text(summary["test_accuracy"], ".3f")
    cells[3] = ci_text(summary["macro_f1"], ".3f")
    cells[4] = ci_text(summary["train_seconds"], ".2f")
    cells[9] = ci_text(summary["time_to_target"], ".2f", " s", missing="never") + f" ({summary['reached']}/{summary['runs']})"
    return cells


class VerdictBanner(QLabel):
    """One or two plain sentences, coloured by whether the claim held."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("verdict")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_idle()

    def show_idle(self, text: str = "Press Run (Ctrl+R) to race the three models.") -> None:
        """A neutral banner."""
        self._paint("#6b6b6b", text)

    def show_verdict(self, verdict: Verdict) -> None:
        """Show the verdict of a finished race."""
        self._paint(VERDICT_COLORS[verdict.get("claim_holds")], verdict["text"])

    def _paint(self, color: str, text: str) -> None:
        self.setText(text)
        self.setStyleSheet(
            f"QLabel#verdict {{ background: {color}; color: white; padding: 10px 14px; border-radius: 6px; font-weight: bold; }}"
        )


class ResultsPanel(QWidget):
    """The results table next to a bar chart of test accuracies."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([name for name, _ in COLUMNS])
        for column, (_, tip) in enumerate(COLUMNS):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.bars = pg.PlotWidget()
        self.bars.setLabel("bottom", "test accuracy")
        self.bars.setMouseEnabled(x=False, y=False)
        self.bars.hideButtons()
        self.bars.getPlotItem().setContentsMargins(2, 10, 12, 2)  # room for the edge tick labels
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bars.setMinimumWidth(240)
        layout.addWidget(self.table, 7)
        layout.addWidget(self.bars, 3)

    def show_result(self, result: Result) -> None:
        """Fill the table and the bar chart from a result."""
        raced = raced_models(result)
        repeats = result.get("repeats") if (result.get("repeats") or {}).get("count", 1) > 1 else None
        self.table.setRowCount(len(raced))
        for row, (key, model) in enumerate(raced.items()):
            cells = list(summary_cells(key, model, result["verdict"]))
            if repeats and key in repeats["summary"]:
                cells = with_repeat_means(cells, repeats["summary"][key])
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= NUMERIC_FROM:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 0:
                    item.setForeground(QColor(MODEL_COLORS.get(key, "#000000")))
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                if column == 1 and model.get("error"):
                    item.setToolTip(model["error"])
                self.table.setItem(row, column, item)
        header = "mean ± 95% CI over {} seeds".format(repeats["count"]) if repeats else ""
        for column in MEAN_COLUMNS:
            name = COLUMNS[column][0]
            self.table.horizontalHeaderItem(column).setText(f"{name} (mean ± CI)" if repeats else name)
            self.table.horizontalHeaderItem(column).setToolTip(header or COLUMNS[column][1])
        self.table.resizeColumnsToContents()
        self._draw_bars(raced)

    def apply_scale(self, scale: float, base_point_size: float) -> None:
        """Presenter mode: scale the bar chart's axis text."""
        font = QFont()
        font.setPointSizeF(base_point_size * scale)
        for name in ("left", "bottom"):
            axis = self.bars.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)
        self.table.resizeColumnsToContents()

    def clear(self) -> None:
        """Empty the table and chart."""
        self.table.setRowCount(0)
        self.bars.clear()

    def _draw_bars(self, raced: dict[str, ModelEntry]) -> None:
        # Horizontal bars: model names sit on the left axis, where long names and large fonts fit.
        self.bars.clear()
        scored = [(k, m["test_accuracy"]) for k, m in raced.items() if m["test_accuracy"] is not None]
        if not scored:
            return
        y = np.arange(len(scored))[::-1]
        widths = [acc for _, acc in scored]
        brushes = [pg.mkBrush(MODEL_COLORS.get(k, "#999999")) for k, _ in scored]
        self.bars.addItem(pg.BarGraphItem(x0=np.zeros(len(scored)), y=y, width=widths, height=0.6, brushes=brushes))
        for row, (key, acc) in zip(y, scored):
            label = pg.TextItem(f"{acc:.3f}", anchor=(1.05, 0.5), color="white")
            label.setFont(self.table.font())
            label.setPos(acc, row)
            self.bars.addItem(label)
        self.bars.getAxis("left").setTicks([[(row, SHORT_NAMES.get(k, k)) for row, (k, _) in zip(y, scored)]])
        self.bars.setXRange(0, 1.04)
        self.bars.setYRange(-0.6, len(scored) - 0.4)


class ConfusionPanel(QWidget):
    """One confusion matrix per model: counts, shaded by each true class's share.

    Each model's title and table are made once and refilled for every result (making new widgets for
    each race would leave Qt memory behind over a day of races).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
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
            title = QLabel(f"<b style='color:{MODEL_COLORS.get(key, '#000')}'>{model_label(key)}</b> "
                           "(rows: true class, columns: predicted)")
            title.setWordWrap(True)
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
    table.setHorizontalHeaderLabels(classes)
    table.setVerticalHeaderLabels(classes)
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
            color = QColor("#0072B2") if i == j else QColor("#D55E00")
            color.setAlphaF(min(1.0, 0.08 + 0.85 * share) if matrix[i, j] else 0.0)
            item.setBackground(color)
            if share > 0.55:
                item.setForeground(QColor("white"))
            item.setToolTip(f"{share:.1%} of true class {classes[i]}")
            table.setItem(i, j, item)
