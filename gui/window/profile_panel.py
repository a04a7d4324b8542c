"""The *Time to target* tab: training seconds to reach every target accuracy, per model, and training budgets.

One step line per model (log seconds against target accuracy); a line ends at the best accuracy its
model reached. Over seeds the line is the median, with a band from the 25th to the 75th percentile.
Hovering says, for the target under the pointer, how long each model took: "to 85.0%: RandomForest
0.21 s, XGBoost 0.35 s, the MLP never".
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from modelrace.gui.window.log_axis import OneTwoFiveLogAxis
from modelrace.gui.window.plot_items import add_band
from modelrace.gui.window.theme import line_width, model_hue, model_text_color
from modelrace.models.judging.profile import profile_sentence, time_to
from modelrace.models.output.profile_tables import profile_tables, result_profile
from modelrace.models.results.document import Result
from modelrace.models.system.formatting import NEVER, percent, seconds
from modelrace.models.trainers.registry import label


class ProfilePanel(QWidget):
    """Time to every target, with a hover read-out, the one-sentence answer and the budget table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sentence = QLabel("Run a race to see how long each model took to reach every accuracy, not just the target.")
        self.sentence.setWordWrap(True)
        self.readout = QLabel()
        self.readout.setObjectName("readout")
        self.plot = pg.PlotWidget(axisItems={"left": OneTwoFiveLogAxis("left")})
        self.plot.setLogMode(y=True)
        self.plot.setLabel("bottom", "target validation accuracy")
        self.plot.setLabel("left", "seconds (log)")  # short: the tab's plot is short at laptop sizes
        self.plot.getAxis("left").setToolTip("Training seconds each model took to reach the target on the x axis")
        for side in ("left", "bottom"):
            self.plot.getAxis(side).enableAutoSIPrefix(False)  # accuracies as 0.75, not 750 (x0.001)
        self.plot.getPlotItem().setContentsMargins(2, 10, 10, 2)
        self.budgets = QTableWidget()
        self.budgets.verticalHeader().setVisible(False)
        self.budgets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.budgets.setToolTip("The best validation accuracy each model had reached within each training budget")
        row = QHBoxLayout()
        row.addWidget(self.plot, 3)
        row.addWidget(self.budgets, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sentence)
        layout.addWidget(self.readout)
        layout.addLayout(row, 1)
        self._block: dict | None = None
        self._hover = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._hovered)

    def apply_scale(self, scale: float, base_point_size: float) -> None:
        """Presenter mode: scale the chart's tick labels and axis titles with the rest of the window."""
        font = QFont()
        font.setPointSizeF(base_point_size * scale)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)

    def show_result(self, result: Result | None) -> None:
        """Draw the profile of ``result`` (or nothing)."""
        self.plot.clear()
        self._block = result_profile(result) if result else None
        self.readout.setText("")
        if not self._block:
            self.sentence.setText("Run a race to see how long each model took to reach every accuracy, not just the target.")
            self.budgets.setRowCount(0)
            return
        self.sentence.setText(profile_sentence(self._block))
        self.readout.setText(self.band_note())
        low = self._block["range"][0]
        for key, steps in self._block["steps"].items():
            if not steps:
                continue
            color = QColor(model_hue(key))
            x = [low] + [a for a, _ in steps]
            y = [steps[0][1]] + [t for _, t in steps]
            seeds = (self._block.get("seeds") or {}).get(key)
            if seeds:
                self._band(seeds, color)
            # Each point is a step's right edge: its time holds for every target up to its accuracy.
            self.plot.plot(x, y, pen=pg.mkPen(color, width=line_width(2.5)), stepMode="right")
            self.plot.plot([x[-1]], [y[-1]], pen=None, symbol="o", symbolBrush=color, symbolSize=9)
        self._fill_budgets(result)

    def band_note(self) -> str:
        """What the bands are, shown until the pointer reads out a target: quartiles, or lowest to highest seed."""
        seeds = (self._block or {}).get("seeds") or {}
        if not seeds:
            return ""
        runs = max(s["runs"] for s in seeds.values())
        if any(s.get("band") == "range" for s in seeds.values()):
            return f"Line: the median over {runs} seeds; band: the fastest to the slowest seed. Hover for the times."
        return f"Line: the median over {runs} seeds; band: the 25th to 75th percentile. Hover for the times."

    def readout_at(self, target: float) -> str:
        """The hover text for ``target``: each model's time to it, or never."""
        if not self._block:
            return ""
        seeds = self._block.get("seeds") or {}
        parts = []
        for key, steps in self._block["steps"].items():
            seconds_to = time_to([tuple(s) for s in steps], target)
            text = f"{label(key)} {seconds(seconds_to, missing=NEVER)}"
            if key in seeds:
                reached = np.interp(target, self._block["grid"], seeds[key]["reached"])
                text += f" ({round(reached * seeds[key]['runs'])} of {seeds[key]['runs']} seeds)"
            parts.append(f"<span style='color:{model_text_color(key)}'>{text}</span>")
        return f"to {percent(target)}: " + ", ".join(parts)

    def _hovered(self, event: tuple) -> None:
        position: QPointF = event[0]
        if not self._block or not self.plot.sceneBoundingRect().contains(position):
            return
        target = self.plot.getPlotItem().vb.mapSceneToView(position).x()
        low, high = self._block["range"]
        if low <= target <= high:
            self.readout.setText(self.readout_at(target))

    def _band(self, seeds: dict, color: QColor) -> None:
        grid = self._block["grid"] if self._block else []
        # Seconds on a log axis: a quartile that is missing or not positive cannot be drawn there.
        band = [(x, lo, hi) for x, lo, hi in zip(grid, seeds["low"], seeds["high"])
                if lo is not None and hi is not None and lo > 0 and hi > 0]
        if len(band) < 2:
            return
        xs, lows, highs = (list(v) for v in zip(*band))
        add_band(self.plot, xs, lows, highs, color)

    def _fill_budgets(self, result: Result | None) -> None:
        tables = profile_tables(result, self._block) if result else []
        title, header, rows = tables[1] if len(tables) > 1 else ("", (), [])
        self.budgets.clear()
        self.budgets.setColumnCount(len(header))
        self.budgets.setRowCount(len(rows))
        self.budgets.setHorizontalHeaderLabels(list(header))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.budgets.setItem(r, c, item)
        self.budgets.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
