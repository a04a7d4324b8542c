"""The Cells tab: one row per cell of a race grid (seed, size, state, worker, elapsed time, and a test accuracy
column per model the grid races)."""

from __future__ import annotations

import time
from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from modelrace.models.cluster.grid_plan import GridCell, where_words
from modelrace.models.results.document import NOT_SELECTED
from modelrace.models.system.formatting import MISSING, accuracy, seconds
from modelrace.models.trainers.registry import MODEL_KEYS, label

#: The columns before the models' (one per model the grid races follows).
COLUMNS = ("Seed", "Size", "State", "Worker", "Elapsed")
SEED, SIZE, STATE, WORKER, ELAPSED = range(5)
#: The caption when no grid is shown.
NO_GRID = "Race a grid on local workers or a scheduler (Run on) to see its cells here."


class GridTable(QWidget):
    """A row per cell; a click on a row asks to follow that cell's live curves."""

    cellChosen = Signal(str)  # the key of the cell clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(NO_GRID)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # it names a scheduler's address, the user's text
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(WORKER, QHeaderView.ResizeMode.Stretch)
        self.table.cellClicked.connect(lambda row, _column: self.cellChosen.emit(self._keys[row]))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self._keys: list[str] = []
        self._models: list[str] = []
        self._set_models(MODEL_KEYS)
        self._began: dict[str, float] = {}  # running cells: when they started (monotonic)
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._tick)

    def reset(self, cells: list[GridCell], kept: list[dict] | None = None, models: Iterable[str] | None = None) -> None:
        """A row per cell, queued, and an accuracy column per model of ``models`` (every registered one if None);
        ``kept`` are records of cells already finished (a resumed grid)."""
        self._timer.stop()
        self._began.clear()
        self._set_models(MODEL_KEYS if models is None else models)
        self._keys = [cell.key for cell in cells]
        self.table.setRowCount(len(cells))
        for row, cell in enumerate(cells):
            values = [str(cell.seed), "all rows" if cell.size is None else f"{cell.size:,}", "queued", MISSING, MISSING]
            for column, value in enumerate(values + [MISSING] * len(self._models)):
                self._set(row, column, value)
        for record in kept or []:
            self.finished(record)

    def _set_models(self, models: Iterable[str]) -> None:
        self._models = list(dict.fromkeys(models))
        self.table.setColumnCount(len(COLUMNS) + len(self._models))
        self.table.setHorizontalHeaderLabels([*COLUMNS, *(label(key) for key in self._models)])

    def show_grid(self, cluster: dict | None) -> None:
        """A result's grid, from its ``cluster`` block: a row per cell as it ended; none (and the hint) without one."""
        records = (cluster or {}).get("cells") or []
        self.reset([GridCell(int(r["seed"]), r.get("size")) for r in records], kept=records, models=grid_models(cluster))
        if not records:
            self.caption.setText(NO_GRID)
            return
        finished = sum(r.get("state") == "finished" for r in records)
        threads = cluster.get("threads_per_race")
        self.caption.setText(f"{finished} of {len(records)} cells finished on {where_words(cluster)}"
                             + (f", {threads} thread(s) each" if threads else "") + ".")

    def started(self, key: str, attempt: int, worker: str) -> None:
        """A cell started (again, after its worker died, if ``attempt`` > 1)."""
        self._began[key] = time.monotonic()
        self.set_state(key, "starting" if attempt == 1 else f"retry {attempt - 1} (worker died)")
        self._set(self._row(key), WORKER, worker)
        if not self._timer.isActive():
            self._timer.start()

    def set_state(self, key: str, text: str) -> None:
        """Show what a cell is doing (loading libraries, training RandomForest, …)."""
        self._set(self._row(key), STATE, text)

    def finished(self, record: dict) -> None:
        """Show how a cell ended: its state, worker, wall time and each model's test accuracy."""
        key = record["key"]
        if key not in self._keys:
            return
        self._began.pop(key, None)
        row = self._row(key)
        state = record["state"] if record["state"] != "failed" else f"failed: {record.get('error')}"
        self._set(row, STATE, state)
        self._set(row, WORKER, record.get("worker") or MISSING)
        self._set(row, ELAPSED, seconds(record.get("wall_seconds")))
        models = (record.get("result") or {}).get("models") or {}
        for offset, model in enumerate(self._models):
            entry = models.get(model) or {}
            self._set(row, ELAPSED + 1 + offset, accuracy(entry.get("test_accuracy")))
        if not self._began:
            self._timer.stop()

    def text(self, row: int, column: int) -> str:
        """The text shown in a cell of the table (for tests and the report)."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def keys(self) -> list[str]:
        """The cells' keys, in row order."""
        return list(self._keys)

    def select(self, key: str) -> None:
        """Highlight the row of the cell whose curves are shown."""
        if key in self._keys:
            self.table.selectRow(self._row(key))

    def _tick(self) -> None:
        now = time.monotonic()
        for key, began in self._began.items():
            self._set(self._row(key), ELAPSED, seconds(now - began))

    def _row(self, key: str) -> int:
        return self._keys.index(key)

    def _set(self, row: int, column: int, text: str) -> None:
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem(text)
            if column in (SEED, SIZE, ELAPSED) or column > ELAPSED:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        else:
            item.setText(text)


def grid_models(cluster: dict | None) -> list[str]:
    """The models a grid raced: as its fingerprint lists them, else as its cells' results name them."""
    cluster = cluster or {}
    listed = (cluster.get("grid") or {}).get("models")
    if listed:
        return list(listed)
    named = [key for record in cluster.get("cells") or [] for key, entry in
             ((record.get("result") or {}).get("models") or {}).items() if entry.get("note") != NOT_SELECTED]
    return list(dict.fromkeys(named)) or list(MODEL_KEYS)
