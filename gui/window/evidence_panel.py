"""'How sure?' and 'Data size' tabs: significance tests, repeats summaries, and the data-size curve."""

from __future__ import annotations

import html
import textwrap

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QScrollArea, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout,
    QWidget,
)

from modelrace.gui.window.log_axis import OneTwoFiveLogAxis
from modelrace.gui.window.model_words import neural_catches_up
from modelrace.gui.window.plot_legend import legend_html, model_entry
from modelrace.gui.window.theme import line_width, model_hue, model_text_color
from modelrace.models.output.evidence import CHANCE_HEADING, evidence_tables
from modelrace.models.output.summary_table import result_times_centre
from modelrace.models.results.document import Result
from modelrace.models.system.formatting import FEWEST_FOR_CI, NEVER, read_interval


class EvidencePanel(QScrollArea):
    """McNemar per run, the summaries over seeds, the corrected t-test, and the size table, as tables.

    It opens with one line on what the tables below are for this result (a run, seeds, sizes); the
    verdict in full waits behind a toggle, as in the banner, so the tables come first. Captions and
    tables are made as needed and kept: each result refills them (and hides the spare ones), so a day
    of races does not leave Qt widgets behind.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._content = QWidget()
        self._layout = QVBoxLayout(self._content)
        self.setWidget(self._content)
        self.hint = QLabel("Run a race to see how sure its answer is.")
        self.hint.setToolTip("One run: McNemar's exact test of each pair of models on the test rows.\n"
                             "Repeats above 1: each model's spread over the seeds and the corrected resampled t-test.\n"
                             "Sizes: the same at each training-set size.")
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.hint)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.intro = QLabel()  # a line or two: what the tables below are, for this result
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Show or hide the verdict's full evidence (the banner's Details)")
        self.toggle.toggled.connect(self._show_verdict)
        top.addWidget(self.intro, 1)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        self._top = QWidget()
        self._top.setLayout(top)
        self._layout.addWidget(self._top)
        self.verdict = QLabel()  # the verdict's full evidence, behind the toggle
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.verdict)
        self._slots: list[tuple[QLabel, QTableWidget]] = []
        self._layout.addStretch(1)
        self.tables: list[QTableWidget] = []
        self.show_result(None)

    def show_result(self, result: Result | None) -> None:
        """Show the evidence tables of ``result`` (or a hint when there is none)."""
        tables = evidence_tables(result) if result else []
        self.hint.setVisible(result is None)  # a result without tables says why in its intro
        self._top.setVisible(result is not None)
        if result is not None:
            self.intro.setText(evidence_intro(result))
            self.intro.setToolTip(evidence_tip(result))
            self.verdict.setText(result["verdict"]["text"])
        self._show_verdict(self.toggle.isChecked())
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
                caption.setText(f"<b>{html.escape(title)}</b>")
                _fill_table(table, header, rows)
        self.tables = [table for _, table in self._slots[: len(tables)]]
        self._fit_tables()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """A new width wraps the last columns' words anew: refit each table's height."""
        super().resizeEvent(event)
        self._fit_tables()

    def _fit_tables(self) -> None:
        margins = self._layout.contentsMargins()
        room = self.viewport().width() - margins.left() - margins.right()
        for table in self.tables:
            _fit_table(table, room)

    def _show_verdict(self, shown: bool) -> None:
        self.toggle.setText("Verdict in full ▴" if shown else "Verdict in full ▾")
        self.verdict.setVisible(shown and self._top.isVisibleTo(self) and bool(self.verdict.text()))


def evidence_intro(result: Result) -> str:
    """One or two short lines on what the How sure? tables are for ``result``: a run, seeds or sizes, as it ended."""
    curve = result.get("size_curve")
    repeats = result.get("repeats") or {}
    n = int(repeats.get("count", 1) or 1)
    if curve and curve.get("points"):
        sizes = [p["size"] for p in curve["points"]]
        each = f"{n} seeds each" if n > 1 else "one run each"
        return (f"{len(sizes)} training size{'s' if len(sizes) > 1 else ''}, {each}: the tables are for the largest "
                f"({sizes[-1]:,} rows); the last one compares the sizes.")
    if n > 1:
        seeds = f"the {n} complete seeds of {repeats.get('planned', n)}" if repeats.get("interrupted") else f"{n} seeds"
        spread = "mean and 95% CI" if n >= FEWEST_FOR_CI else "mean and range"
        return f"Over {seeds}: each model's {spread}, and a t-test of each pair across the seeds."
    run = "One run, stopped early" if (result.get("race") or {}).get("stopped") else "One run"
    if (result.get("significance") or {}).get("mcnemar"):
        return f"{run}: McNemar's exact test asks whether each pair's difference on the test rows could be chance."
    return f"{run}: too few models have test scores to compare a pair."


def evidence_tip(result: Result) -> str:
    """The intro's tooltip: how to read the tests, for the state of ``result``."""
    n = int((result.get("repeats") or {}).get("count", 1) or 1)
    lines = ["McNemar's exact test: on one run's test rows, do two models err on different rows more often "
             "than chance would make them? p < 0.05: unlikely to be chance."]
    if n == 1:
        lines.append("Set Repeats above 1 to race again with new seeds: each model's spread and a test across them.")
    else:
        lines.append("Corrected resampled t-test (Nadeau & Bengio): across the seeds, allowing for the overlap of "
                     f"their training rows. {CHANCE_HEADING} reads the same test as a percentage.")
        times = result_times_centre(result)
        if n < FEWEST_FOR_CI:
            lines.append(f"With 2 seeds each number is the mean (times: {times}) and the range, lowest–highest: "
                         "2 values are too few for a 95% CI.")
        elif times == "geometric mean":
            lines.append("Accuracies: mean ± 95% CI, within 0–1. Times: geometric mean, with the 95% CI worked out "
                         "on the log scale, so it never runs below 0 s.")
        else:  # a file written before times were summarised on the log scale
            lines.append("Accuracies and times: mean ± 95% CI, kept within what each can be.")
    return "\n".join(textwrap.fill(line, 72) for line in lines)  # a plain-text tooltip does not wrap by itself


def _fill_table(table: QTableWidget, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Fill ``table``; a long header over short numbers takes two lines, and the last column's words wrap."""
    table.clear()
    table.setRowCount(len(rows))
    table.setColumnCount(len(header))
    widest = [max((len(row[c]) for row in rows), default=0) for c in range(len(header))]
    table.setHorizontalHeaderLabels([_two_lines(name) if len(name) > widest[c] + 4 else name
                                     for c, name in enumerate(header)])
    # Numbers align right; a column of sentences (the tests "in words") reads from the left.
    prose = {c for c in range(len(header)) if any(len(row[c].split()) > 4 for row in rows)}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # the whole text, should a narrow window cut it short
            if c and c not in prose:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.setWordWrap(True)


def _two_lines(name: str) -> str:
    """'Rows only A got right' as two lines split at the space nearest the middle."""
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    if not spaces:
        return name
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:cut] + "\n" + name[cut + 1:]


def _fit_table(table: QTableWidget, room: int) -> None:
    """Columns as wide as their text, narrowed (their cells wrapping at spaces) when the table would not fit
    ``room`` pixels; rows as tall as their wrapped text, and the table as tall as its rows: the tab scrolls, not
    each table, and nothing scrolls sideways."""
    header = table.horizontalHeader()
    columns = table.columnCount()
    if not columns:
        return
    for c in range(columns):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
    table.resizeColumnsToContents()
    widths = [table.columnWidth(c) for c in range(columns)]
    frame = 2 * table.frameWidth() + 2
    excess = sum(widths) + frame - room
    sideways = 0  # the height of a horizontal scroll bar, when even narrowed columns do not fit
    if excess > 0:
        # Each column may shrink to its longest word (or its header's), the wider ones giving the most.
        metrics = table.fontMetrics()
        floors = []
        for c in range(columns):
            texts = [table.item(r, c).text() for r in range(table.rowCount()) if table.item(r, c)]
            words = [w for text in texts for w in text.split()] + (table.horizontalHeaderItem(c).text().split("\n")
                                                                   if table.horizontalHeaderItem(c) else [])
            floors.append(min(widths[c], max((metrics.horizontalAdvance(w) for w in words), default=0) + 14))
        slack = [w - f for w, f in zip(widths, floors)]
        total_slack = sum(slack)
        if total_slack > 0:
            cut = min(1.0, excess / total_slack)
            for c in range(columns):
                table.setColumnWidth(c, int(widths[c] - slack[c] * cut))
        if total_slack < excess:
            sideways = table.horizontalScrollBar().sizeHint().height()
    else:
        header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    rows = sum(table.rowHeight(i) for i in range(table.rowCount()))
    table.setFixedHeight(header.height() + rows + frame + sideways)


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
        self.hint = QLabel(f"Set Sizes (e.g. 1000, 2000, 4000) and Run to see where, if anywhere, {neural_catches_up()}.")
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
        self.whiskers = 0

    def show_result(self, result: Result | None) -> None:
        """Draw the size curve of ``result`` if it has one."""
        for plot in (self.accuracy, self.time):
            plot.clear()
        curve = (result or {}).get("size_curve")
        self.points = len(curve["points"]) if curve else 0
        self.never_marks = 0
        self.whiskers = 0
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
            color = model_hue(key)
            acc = [read_interval(p["models"][key]["test_accuracy"], "accuracy") for p in curve["points"]]
            means = np.array([a["mean"] for a in acc], dtype=float)
            self.accuracy.plot(sizes, means, pen=pg.mkPen(color, width=line_width(2.5)), symbol="o", symbolBrush=color)
            self._whiskers(self.accuracy, sizes, acc, color, log_y=False)
            times = [read_interval(p["models"][key]["time_to_target"], "seconds") for p in curve["points"]]
            reached = [(s, t) for s, t in zip(sizes, times) if t and t.get("mean")]
            if reached:
                x, y = zip(*((s, t["mean"]) for s, t in reached))
                self.time.plot(x, y, pen=pg.mkPen(color, width=line_width(2.5)), symbol="o", symbolBrush=color)
                self._whiskers(self.time, np.array(x), [t for _, t in reached], color, log_y=True)
        self._mark_never(curve["points"], sizes)
        for plot in (self.accuracy, self.time):  # room at both ends, so the first and last size keep their labels
            plot.setXRange(float(np.log10(sizes.min())) - 0.12, float(np.log10(sizes.max())) + 0.12, padding=0)
        keys = list(curve["points"][0]["models"])
        notes = [self._whiskers_note(curve)] + (["✕ never = did not reach the target at that size"] if self.never_marks else [])
        self.legend.setText(legend_html([model_entry(k) for k in keys], notes))

    def _whiskers(self, plot: pg.PlotWidget, sizes: np.ndarray, intervals: list[dict], color: str, log_y: bool) -> None:
        """Whiskers from each interval's low to its high (95% CI or range), in the plot's log coordinates.

        An ``ErrorBarItem`` is placed in view coordinates, which on a log axis are log10 values: the
        sizes always, the seconds on the time plot. A bound of 0 s (only in files written before
        times had log-scale intervals) has no place on a log axis, so that whisker is left out.
        """
        spots = [(s, i) for s, i in zip(sizes, intervals) if i and i.get("low") is not None and i.get("high") is not None
                 and (not log_y or i["low"] > 0)]
        if not spots:
            return
        x = np.log10([s for s, _ in spots])
        centre, low, high = (np.array([i[k] for _, i in spots], dtype=float) for k in ("mean", "low", "high"))
        if log_y:
            centre, low, high = np.log10(centre), np.log10(low), np.log10(high)
        plot.addItem(pg.ErrorBarItem(x=x, y=centre, top=high - centre, bottom=centre - low, beam=0.03,
                                     pen=pg.mkPen(color, width=line_width(1))))
        self.whiskers += len(spots)

    @staticmethod
    def _whiskers_note(curve: dict) -> str:
        """What the whiskers are: the 95% CI, or the range where there were only 2 values."""
        kinds = {read_interval(m[field], kind).get("interval") for p in curve["points"] for m in p["models"].values()
                 for field, kind in (("test_accuracy", "accuracy"), ("time_to_target", "seconds")) if m.get(field)}
        ranges = "range" in kinds
        cis = bool(kinds & {"t", "log-t"})
        if cis and ranges:
            return "whiskers = 95% CI (range where only 2 seeds got there)"
        if cis:
            return "whiskers = 95% CI"
        if ranges and curve.get("repeats", 2) < FEWEST_FOR_CI:
            return f"whiskers = range of the {curve.get('repeats', 2)} seeds"
        return "whiskers = range where only 2 seeds got there" if ranges else ""

    def _mark_never(self, points: list[dict], sizes: np.ndarray) -> None:
        """An x at the top of the time plot, labelled "never", where a model did not reach the target at a size."""
        times = [read_interval(p["models"][k]["time_to_target"], "seconds") for p in points for k in p["models"]]
        reached = [t.get("high") or t["mean"] for t in times if t and t.get("mean")]
        top = max(reached) * 2 if reached else 1.0
        for key in points[0]["models"]:
            missing = [float(s) for s, p in zip(sizes, points) if not p["models"][key]["time_to_target"].get("mean")]
            if not missing:
                continue
            color = model_hue(key)
            self.time.plot(missing, [top] * len(missing), pen=None, symbol="x", symbolSize=14,
                           symbolPen=pg.mkPen(color, width=line_width(2.5)))
            for size in missing:
                mark = pg.TextItem(NEVER, color=model_text_color(key), anchor=(0.5, 1.2))
                mark.setPos(float(np.log10(size)), float(np.log10(top)))
                self.time.addItem(mark)
                self.never_marks += 1
