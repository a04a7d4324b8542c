"""'How sure?' and 'Data size' tabs: significance tests, repeats summaries, and the data-size curve."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from modelrace.gui.window.live_plot import OneTwoFiveLogAxis
from modelrace.gui.window.theme import MODEL_COLORS, line_width, model_text_color
from modelrace.models.trainers.registry import label
from modelrace.models.judging.headline import headline
from modelrace.models.output.evidence import evidence_tables
from modelrace.models.results.document import Result
from modelrace.models.system.formatting import NEVER


class EvidencePanel(QScrollArea):
    """McNemar per run, mean ± CI over seeds, the corrected t-test, and the size table, as tables.

    Captions and tables are made as needed and kept: each result refills them (and hides the spare
    ones), so a day of races does not leave Qt widgets behind.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._content = QWidget()
        self._layout = QVBoxLayout(self._content)
        self.setWidget(self._content)
        self.hint = QLabel("Run a race to see McNemar's test for each pair of models. Set Repeats above 1 for means, "
                           "confidence intervals and the corrected resampled t-test; set Sizes for the data-size curve.")
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.hint)
        self.verdict = QLabel()  # the verdict's full evidence, which the banner keeps behind Details
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.verdict)
        self._slots: list[tuple[QLabel, QTableWidget]] = []
        self._layout.addStretch(1)
        self.tables: list[QTableWidget] = []
        self.show_result(None)

    def show_result(self, result: Result | None) -> None:
        """Show the evidence tables of ``result`` (or a hint when there is none)."""
        tables = evidence_tables(result) if result else []
        self.hint.setVisible(not tables)
        self.verdict.setVisible(result is not None)
        if result is not None:
            self.verdict.setText(f"<p><b>{html.escape(headline(result))}</b></p><p>{html.escape(result['verdict']['text'])}</p>")
        while len(self._slots) < len(tables):
            caption, table = QLabel(), QTableWidget()
            caption.setWordWrap(True)
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self._layout.insertWidget(self._layout.count() - 1, caption)
            self._layout.insertWidget(self._layout.count() - 1, table)
            self._slots.append((caption, table))
        for index, (caption, table) in enumerate(self._slots):
            shown = index < len(tables)
            caption.setVisible(shown)
            table.setVisible(shown)
            if shown:
                title, header, rows = tables[index]
                caption.setText(f"<b>{title}</b>")
                _fill_table(table, header, rows)
        self.tables = [table for _, table in self._slots[: len(tables)]]


def _fill_table(table: QTableWidget, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table.clear()
    table.setRowCount(len(rows))
    table.setColumnCount(len(header))
    table.setHorizontalHeaderLabels(list(header))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setSectionResizeMode(len(header) - 1, QHeaderView.ResizeMode.Stretch)
    table.setFixedHeight(table.horizontalHeader().height() + sum(table.rowHeight(i) for i in range(len(rows))) + 4)


class SizeCurvePanel(QWidget):
    """Final accuracy and time to target against training-set size, log axes, one colour per model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accuracy = pg.PlotWidget()
        self.time = pg.PlotWidget(axisItems={"left": OneTwoFiveLogAxis("left")})
        self.accuracy.setLabel("left", "test accuracy")
        self.time.setLabel("left", "seconds to target (log)")
        for plot in (self.accuracy, self.time):
            plot.setLabel("bottom", "training rows (log)")
            plot.setLogMode(x=True, y=plot is self.time)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.getPlotItem().setContentsMargins(2, 10, 10, 2)  # room for the top tick label
        self.legend = QLabel()  # above the plots, never on the data (as with the live curves)
        self.legend.setWordWrap(True)
        self.hint = QLabel("Set Sizes (e.g. 1000, 2000, 4000) and Run to see where, if anywhere, the MLP catches up.")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.legend)
        row = QWidget()
        row_layout = pg.QtWidgets.QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.accuracy)
        row_layout.addWidget(self.time)
        layout.addWidget(row, 1)
        self._row = row
        row.setVisible(False)  # empty log axes would show stray ticks: nothing until there is a size curve
        self.points = 0
        self.never_marks = 0

    def show_result(self, result: Result | None) -> None:
        """Draw the size curve of ``result`` if it has one."""
        for plot in (self.accuracy, self.time):
            plot.clear()
        curve = (result or {}).get("size_curve")
        self.points = len(curve["points"]) if curve else 0
        self.never_marks = 0
        self.hint.setVisible(not curve)
        self.legend.setVisible(bool(curve))
        self._row.setVisible(bool(curve))
        if not curve:
            return
        sizes = np.array([p["size"] for p in curve["points"]], dtype=float)
        ticks = [[(float(np.log10(size)), f"{int(size):,}") for size in sizes]]  # label the sizes raced, nothing else
        for plot in (self.accuracy, self.time):
            plot.getAxis("bottom").setTicks(ticks)
        for key in curve["points"][0]["models"]:
            color = MODEL_COLORS.get(key, "#999999")
            acc = [p["models"][key]["test_accuracy"] for p in curve["points"]]
            means = np.array([a["mean"] for a in acc], dtype=float)
            self.accuracy.plot(sizes, means, pen=pg.mkPen(color, width=line_width(2.5)), symbol="o", symbolBrush=color)
            # Whiskers to the 95% CI, clipped to what an accuracy can be.
            low = np.array([max(0.0, a["low"]) if a["low"] is not None else m for a, m in zip(acc, means)])
            high = np.array([min(1.0, a["high"]) if a["high"] is not None else m for a, m in zip(acc, means)])
            self.accuracy.addItem(pg.ErrorBarItem(x=np.log10(sizes), y=means, top=high - means, bottom=means - low,
                                                  pen=pg.mkPen(color, width=line_width(1))))
            times = [(s, p["models"][key]["time_to_target"]["mean"]) for s, p in zip(sizes, curve["points"])
                     if p["models"][key]["time_to_target"]["mean"]]
            if times:
                x, y = zip(*times)
                self.time.plot(x, y, pen=pg.mkPen(color, width=line_width(2.5)), symbol="o", symbolBrush=color)
        self._mark_never(curve["points"], sizes)
        for plot in (self.accuracy, self.time):  # room at both ends, so the first and last size keep their labels
            plot.setXRange(float(np.log10(sizes.min())) - 0.12, float(np.log10(sizes.max())) + 0.12, padding=0)
        keys = list(curve["points"][0]["models"])
        entries = [f"<span style='background-color:{MODEL_COLORS.get(k, '#999999')}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;"
                   f"<b style='color:{model_text_color(k)}'>{label(k)}</b>" for k in keys]
        note = "; ✕ never = did not reach the target at that size" if self.never_marks else ""
        self.legend.setText("&nbsp;&nbsp; ".join(entries) + f"&nbsp;&nbsp; <i>whiskers = 95% CI{note}</i>")

    def _mark_never(self, points: list[dict], sizes: np.ndarray) -> None:
        """An x at the top of the time plot, labelled "never", where a model did not reach the target at a size."""
        reached = [p["models"][k]["time_to_target"]["mean"] for p in points for k in p["models"]
                   if p["models"][k]["time_to_target"]["mean"]]
        top = max(reached) * 2 if reached else 1.0
        for key in points[0]["models"]:
            missing = [float(s) for s, p in zip(sizes, points) if not p["models"][key]["time_to_target"]["mean"]]
            if not missing:
                continue
            color = MODEL_COLORS.get(key, "#999999")
            self.time.plot(missing, [top] * len(missing), pen=None, symbol="x", symbolSize=14,
                           symbolPen=pg.mkPen(color, width=line_width(2.5)))
            for size in missing:
                mark = pg.TextItem(NEVER, color=model_text_color(key), anchor=(0.5, 1.2))
                mark.setPos(float(np.log10(size)), float(np.log10(top)))
                self.time.addItem(mark)
                self.never_marks += 1
