"""Live progress of a race grid in the terminal: an overall count, and one line per running cell.

On a terminal rich redraws the lines in place; into a file or a pipe each cell gets a plain line
when it starts and when it ends, with the overall count.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, TextIO

from modelrace.gui.terminal.layout import width_for, wrap
from modelrace.gui.terminal.progress import NAME_WIDTH, row_name
from modelrace.models.cluster.events import CellFinished, CellStarted, CellWarming, GridStarted
from modelrace.models.cluster.grid_plan import GridCell
from modelrace.models.cluster.records import FINISHED
from modelrace.models.race.events import ModelStarted, RaceEvent, Steps
from modelrace.models.system.formatting import accuracy, seconds, status_word, steps
from modelrace.models.trainers.protocol import Step


class GridProgress:
    """Shows how many cells are done and what each running cell is training; the grid's listener."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._out = stream or sys.stderr
        self._tty = self._out.isatty()
        self._columns = width_for(self._out)  # of the terminal (or 80)
        self._lock = threading.Lock()
        self._total = 0
        self._ended: dict[str, str] = {}
        self._running: dict[str, dict[str, Any]] = {}
        self._live: Any = None
        self._overall: Any = None
        self._tasks: dict[str, Any] = {}
        self._width = 5  # of the longest cell's description

    def __call__(self, event: RaceEvent) -> None:
        """Show one event of the grid (from the client's threads)."""
        cell = event.cell
        if isinstance(event, GridStarted):
            self._grid_started(list(event.cells), dict(event.where))
        elif isinstance(event, CellStarted) and isinstance(cell, GridCell):
            self._cell_started(cell, event.attempt, event.worker)
        elif isinstance(event, CellWarming) and isinstance(cell, GridCell):
            self._update(cell, state="loading libraries")
        elif isinstance(event, ModelStarted) and isinstance(cell, GridCell):
            self._update(cell, state="training", model=event.model, step=None)
        elif isinstance(event, Steps) and isinstance(cell, GridCell) and event.steps:
            self._update(cell, step=event.steps[-1], model=event.steps[-1].model)
        elif isinstance(event, CellFinished) and isinstance(cell, GridCell):
            self._cell_finished(cell, dict(event.record))

    def _grid_started(self, cells: list[GridCell], where: dict) -> None:
        """Say where the cells run, and start the overall line."""
        with self._lock:
            self._total = len(cells)
            self._width = max([len(cell.describe()) for cell in cells] + [5])
            place = (f"{where['workers']} local worker{'s' if where['workers'] != 1 else ''}" if where["kind"] == "local"
                     else f"{where['workers']} worker{'s' if where['workers'] != 1 else ''} of {where['address']}")
            self._line(f"Racing {len(cells)} cell{'s' if len(cells) != 1 else ''} on {place}, "
                       f"{where['threads_per_race']} thread{'s' if where['threads_per_race'] != 1 else ''} each")
            if self._tty:
                from rich.console import Console
                from rich.progress import BarColumn, Progress, TextColumn

                # One cell a line in 80 columns: the cell, its current model's bar, what it does, where.
                self._live = Progress(TextColumn("{task.description}", markup=False), BarColumn(bar_width=8),
                                      TextColumn("{task.fields[info]}", markup=False),
                                      console=Console(file=self._out, width=self._columns),
                                      refresh_per_second=4)
                self._overall = self._live.add_task(f"{'cells':<{self._width}}", total=len(cells) or 1, info=self._count())
                self._live.start()

    def _cell_started(self, cell: GridCell, attempt: int, worker: str) -> None:
        """Add a line for the cell (a retry replaces its line)."""
        with self._lock:
            self._running[cell.key] = {"cell": cell, "worker": worker, "attempt": attempt, "began": time.perf_counter(),
                                       "model": None, "step": None, "state": "starting"}
            again = f" (attempt {attempt}: its worker died)" if attempt > 1 else ""
            if self._live is not None:
                if cell.key in self._tasks:
                    self._live.remove_task(self._tasks.pop(cell.key))
                self._tasks[cell.key] = self._live.add_task(f"{cell.describe():<{self._width}}", total=1,
                                                            info=self._info(cell.key))
            else:
                self._line(f"{cell.describe()}: started on {worker.split('://')[-1]}{again}")
            self._redraw(cell.key)

    def _cell_finished(self, cell: GridCell, record: dict) -> None:
        """Drop the cell's line and count it; say how it ended."""
        with self._lock:
            self._ended[cell.key] = record["state"]
            self._running.pop(cell.key, None)
            if self._live is not None and cell.key in self._tasks:
                self._live.remove_task(self._tasks.pop(cell.key))
            text = f"[{len(self._ended)}/{self._total}] {cell.describe()}: {self._outcome(record)}"
            if self._live is not None:
                from rich.text import Text

                for line in wrap(text, self._columns, hang="  "):
                    self._live.console.print(Text(line, no_wrap=True, overflow="ignore"))
                self._live.update(self._overall, completed=len(self._ended), info=self._count())
            else:
                self._line(text)

    def close(self) -> None:
        """Stop redrawing."""
        with self._lock:
            if self._live is not None:
                self._live.refresh()
                self._live.stop()
                self._live = None
            self._out.flush()
            if self._out not in (sys.stderr, sys.__stderr__):
                self._out.close()

    # ------------------------------------------------------------------------------------------------
    def _update(self, cell: GridCell, **fields: Any) -> None:
        with self._lock:
            row = self._running.get(cell.key)
            if row is None:
                return
            row.update(fields)
            self._redraw(cell.key)

    def _redraw(self, key: str) -> None:
        if self._live is None or key not in self._tasks:
            return
        row = self._running[key]
        step: Step | None = row.get("step")
        done = min(1.0, step.step / step.total) if step and step.total else 0.0
        self._live.update(self._tasks[key], completed=done, info=self._info(key))
        self._live.update(self._overall, info=self._count())

    def _info(self, key: str) -> str:
        """What a running cell does, in about 50 columns: the model (the legend's name if it fits), steps, accuracy,
        worker."""
        row = self._running[key]
        step: Step | None = row.get("step")
        if step is not None:
            what = (f"{row_name(step.model):<{NAME_WIDTH}} {steps(step.step, step.total, step.unit):<14} "
                    f"{accuracy(step.val_accuracy)}")
        elif row.get("model"):
            what = f"{row_name(row['model']):<{NAME_WIDTH}} starting"
        else:
            what = row["state"]
        return f"{what:<33} {row['worker'].split('://')[-1]}"

    def _count(self) -> str:
        finished = sum(state == FINISHED for state in self._ended.values())
        others = len(self._ended) - finished
        tail = f", {others} not finished" if others else ""
        return f"{finished} of {self._total} cells done, {len(self._running)} running{tail}"

    @staticmethod
    def _outcome(record: dict) -> str:
        state = record["state"]
        if state == "failed":
            return f"FAILED: {record['error']}"
        if state == "cancelled":
            return "cancelled (not started before the stop)"
        result = record.get("result") or {}
        scores = ", ".join(f"{row_name(k)} {accuracy(m.get('test_accuracy'))}"
                           for k, m in result.get("models", {}).items() if m.get("status") in ("finished", "stopped"))
        where = f" on {record['worker'].split('://')[-1]}" if record.get("worker") else ""
        return f"{status_word(state)}{where} in {seconds(record.get('wall_seconds'))} ({scores})"

    def _line(self, text: str) -> None:
        self._out.write("\n".join(wrap(text, self._columns, hang="  ")) + "\n")
        self._out.flush()
