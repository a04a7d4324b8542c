"""Live race progress for the terminal: one line per model, drawn by rich on a terminal, plain into a log.

Every line fits 80 columns: on a terminal rich redraws a row per model in place; into a file or a
pipe each model gets a plain line when it loads its library, at each quarter of its steps, and at
the end.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, TextIO

from modelrace.gui.terminal.layout import WIDTH, plain_spaces, width_for, wrap
from modelrace.models.race.events import LibraryLoading, ModelFinished, ModelStarted, RaceEvent, RaceStarted, Steps
from modelrace.models.trainers.protocol import Step
from modelrace.models.system.formatting import NBSP, accuracy, seconds, status_word, steps
from modelrace.models.trainers.registry import label, short_label, unit

_BAR = 10
_LEAST_BAR = 4
#: Columns of a progress row's name at 80 columns; a wider terminal gives a long name the columns beyond 80.
NAME_WIDTH = 12
#: Columns of the step count ("113/150 rounds"); a longer unit's count takes them from the bar.
COUNT_WIDTH = 14


def row_name(key: str, room: int = NAME_WIDTH) -> str:
    """A model's name in a progress row: the legend's if it fits ``room`` columns, else the model's short name."""
    name = label(key)
    return name if len(name) <= room else short_label(key)


class TerminalProgress:
    """Draws a progress bar, step count, validation accuracy and ETA for each model.

    On a terminal the bars are rich's (redrawn in place ten times a second); into a file or a pipe
    each model gets a plain line at start, at every quarter of its steps, and at the end. It is the
    race's listener: the engine calls it with each event, from its threads.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._out = stream or sys.stderr
        self._tty = self._out.isatty()
        self._width = width_for(self._out)
        self._lock = threading.Lock()
        self._rows: dict[str, dict] = {}
        self._names: dict[str, str] = {}  # each raced model's name, padded to the longest
        self._count_width = COUNT_WIDTH
        self._bar = _BAR
        self._live: Any = None  # rich's Progress while a race is drawn on a terminal
        self._tasks: dict[str, Any] = {}

    def __call__(self, event: RaceEvent) -> None:
        """Show one event of the race (the terminal view redraws itself at most ten times a second)."""
        with self._lock:
            if isinstance(event, RaceStarted):
                self._race_started(event)
            elif isinstance(event, ModelStarted):
                self._rows[event.model].update(state="training", started=time.perf_counter())
                self._show(event.model)
            elif isinstance(event, LibraryLoading):
                self._rows[event.model].update(loading=event.library)
                self._show(event.model, loading=True)
            elif isinstance(event, Steps):
                for step in event.steps:
                    self._rows[step.model].update(step=step)
                    self._show(step.model, on_step=True)
            elif isinstance(event, ModelFinished):
                self._rows[event.model].update(state=event.entry["status"], entry=event.entry)
                self._show(event.model)

    def _race_started(self, event: RaceStarted) -> None:
        """Show the data and one queued line per model."""
        self._stop_live()
        dataset, split = event.dataset, event.split
        line = (f"{dataset['name']}: {dataset['rows']:,}{NBSP}rows, {len(dataset['classes'])}{NBSP}classes; split "
                f"{split['train']:,}{NBSP}train / {split['validation']:,}{NBSP}validation / {split['test']:,}{NBSP}test; "
                f"seed {split['seed']}")
        self._out.write("\n".join(wrap(line, self._width, hang="  ")) + "\n")
        self._out.flush()
        self._rows = {key: {"state": "queued", "total": total, "step": None} for key, total in event.plan.items()}
        self._lay_out(dict(event.plan))
        if self._tty:
            self._start_live(dict(event.plan))

    def _lay_out(self, plan: dict[str, int]) -> None:
        """Columns for the raced models: a long name or unit widens its column and narrows the bar, within the width."""
        spare = max(0, self._width - WIDTH)
        names = {key: row_name(key, NAME_WIDTH + spare) for key in plan}
        widest = max([NAME_WIDTH, *(len(name) for name in names.values())])
        self._names = {key: f"{name:<{widest}}" for key, name in names.items()}
        self._count_width = max([COUNT_WIDTH, *(len(steps(total, total, unit(key))) for key, total in plan.items())])
        over = (widest - NAME_WIDTH) + (self._count_width - COUNT_WIDTH) - spare
        self._bar = max(_LEAST_BAR, _BAR - max(0, over))

    def close(self) -> None:
        """Draw the final state and release the stream if it is a private handle."""
        with self._lock:
            self._stop_live()
            self._out.flush()
            if self._out not in (sys.stderr, sys.__stderr__):
                self._out.close()

    # ------------------------------------------------------------------------------------
    def line(self, key: str) -> str:
        """A model's state as plain text (at most 80 columns; a long failure message goes on over more lines)."""
        row = self._rows[key]
        name = self._names.get(key) or f"{row_name(key):<{NAME_WIDTH}}"
        if row["state"] == "queued":
            text = f"{name} {status_word('queued')}"
        elif row["state"] == "failed":
            text = f"{name} FAILED: {row['entry']['error']}"
        elif row.get("loading") and not row.get("step"):
            text = f"{name} {self._tail(key)}"
        else:
            step: Step | None = row.get("step")
            total = row["total"]
            done = step.step if step else 0
            filled = int(self._bar * min(1.0, done / total)) if total else 0
            bar = "[" + "#" * filled + "-" * (self._bar - filled) + "]"
            text = (f"{name} {bar} {self._count(key):<{self._count_width}} {self._accuracy(key):<9}  "
                    f"{self._tail(key)}").rstrip()
        return "\n".join(wrap(text, self._width, hang=" " * (len(name) + 1)))

    def _count(self, key: str) -> str:
        row = self._rows[key]
        step: Step | None = row.get("step")
        return steps(step.step if step else 0, row["total"], step.unit if step else "")

    def _accuracy(self, key: str) -> str:
        step: Step | None = self._rows[key].get("step")
        return f"val {accuracy(step.val_accuracy)}" if step else ""

    def _tail(self, key: str) -> str:
        row = self._rows[key]
        if row["state"] == "queued":
            return status_word("queued")
        if row["state"] == "failed":
            return f"failed: {row['entry']['error']}"
        if row["state"] == "training":
            if row.get("step"):
                return f"ETA {self._eta(row['step'], row['total'])}"
            return f"loading {row['loading']}…" if row.get("loading") else "starting…"
        entry = row["entry"]
        return f"{status_word(row['state'])} {seconds(entry['train_seconds'])} · test {accuracy(entry['test_accuracy'])}"

    @staticmethod
    def _eta(step: Step, total: int) -> str:
        if step.step <= 0:
            return "…"
        remaining = step.wall / step.step * max(0.0, total - step.step)
        return f"{remaining:.1f} s" if remaining < 120 else f"{remaining / 60:.1f} min"

    def _show(self, key: str, on_step: bool = False, loading: bool = False) -> None:
        row = self._rows[key]
        if self._live is not None:
            step = row.get("step")
            self._live.update(self._tasks[key], completed=step.step if step else 0, count=self._count(key),
                              acc=self._accuracy(key), tail=plain_spaces(self._tail(key)))
            return
        if row["state"] == "training" and not (on_step or loading):
            return  # not a terminal (a log or CI): a line when it loads, every ~25% of progress, and one at the end
        if on_step:
            step = row.get("step")
            quarter = int(4 * step.step / row["total"]) if step and row["total"] else 0
            if not row.get("printed_quarter", 0) < quarter < 4:
                return
            row["printed_quarter"] = quarter
        self._out.write(self.line(key) + "\n")
        self._out.flush()

    def _start_live(self, plan: dict[str, int]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        # Compact enough for an 80-column terminal: name, bar, steps, validation accuracy, ETA or outcome.
        count = f"{{task.fields[count]:<{self._count_width}}}"
        self._live = Progress(TextColumn("{task.description}", markup=False), BarColumn(bar_width=self._bar + 2),
                              TextColumn(count), TextColumn("{task.fields[acc]:<9}"),
                              TextColumn("{task.fields[tail]}", markup=False), console=Console(file=self._out, width=self._width),
                              refresh_per_second=10)
        self._tasks = {key: self._live.add_task(self._names[key], total=total or 1, count=self._count(key),
                                                acc="", tail=status_word("queued"))
                       for key, total in plan.items()}
        self._live.start()

    def _stop_live(self) -> None:
        if self._live is not None:
            self._live.refresh()
            self._live.stop()
            self._live = None
