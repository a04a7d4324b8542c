"""Live race progress for the terminal: one line per model, redrawn in place on a TTY."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from modelrace.models.data.dataset import Dataset
from modelrace.models.data.split import Split
from modelrace.models.race.observer import RaceObserver
from modelrace.models.results.document import ModelEntry
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import label

_BAR = 20
_REDRAW_SECONDS = 0.1


class TerminalProgress(RaceObserver):
    """Draws a progress bar, step count, validation accuracy and ETA for each model."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._out = stream or sys.stderr
        self._tty = self._out.isatty()
        self._lock = threading.Lock()
        self._rows: dict[str, dict] = {}
        self._drawn = 0
        self._last_draw = 0.0

    def race_started(self, plan: dict[str, int], split: Split, dataset: Dataset) -> None:
        """Show the data and one queued line per model."""
        with self._lock:
            self._out.write(
                f"{dataset.name}: {dataset.rows:,} rows, {len(dataset.classes)} classes; split "
                f"{len(split.y_train):,} train / {len(split.y_val):,} validation / {len(split.y_test):,} test; "
                f"seed {split.config.seed}\n"
            )
            self._drawn = 0  # a new block under the previous race's (repeats, sizes)
            self._rows = {key: {"state": "queued", "total": total, "step": None} for key, total in plan.items()}
            self._draw(force=True)

    def model_started(self, key: str) -> None:
        """Mark a model as training."""
        with self._lock:
            self._rows[key].update(state="training", started=time.perf_counter())
            self._draw(force=True)

    def step(self, step: Step) -> None:
        """Record a step; redraw at most ten times a second."""
        with self._lock:
            self._rows[step.model].update(step=step)
            self._draw(force=False, changed=step.model)

    def model_finished(self, key: str, entry: ModelEntry) -> None:
        """Show the final state of a model."""
        with self._lock:
            self._rows[key].update(state=entry["status"], entry=entry)
            self._draw(force=True, changed=key)

    def close(self) -> None:
        """Draw the final state and release the stream if it is a private handle."""
        with self._lock:
            self._draw(force=True)
            if self._out not in (sys.stderr, sys.__stderr__):
                self._out.close()

    # ------------------------------------------------------------------------------------
    def _line(self, key: str) -> str:
        row = self._rows[key]
        step: Step | None = row.get("step")
        name = f"{key:<4}{label(key):<13}"
        if row["state"] == "queued":
            return f"{name} queued"
        if row["state"] == "failed":
            return f"{name} FAILED: {row['entry']['error']}"
        done = step.step if step else 0
        total = row["total"]
        filled = int(_BAR * min(1.0, done / total)) if total else 0
        bar = "[" + "#" * filled + "-" * (_BAR - filled) + "]"
        unit = step.unit if step else ""
        count = f"{done:g}/{total} {unit}s" if step else f"0/{total}"
        acc = f"val acc {step.val_accuracy:.3f}" if step else "starting…"
        if row["state"] == "training":
            tail = f"ETA {self._eta(step, total)}" if step else ""
        else:
            entry = row["entry"]
            tail = f"{row['state']} in {entry['train_seconds']:.2f} s  test acc {entry['test_accuracy']:.3f}"
        return f"{name} {bar} {count:<16} {acc:<14} {tail}"

    @staticmethod
    def _eta(step: Step, total: int) -> str:
        if step.step <= 0:
            return "…"
        remaining = step.wall / step.step * max(0.0, total - step.step)
        return f"{remaining:.1f} s" if remaining < 120 else f"{remaining / 60:.1f} min"

    def _draw(self, force: bool, changed: str | None = None) -> None:
        now = time.perf_counter()
        if self._tty:
            if not force and now - self._last_draw < _REDRAW_SECONDS:
                return
            self._last_draw = now
            lines = [self._line(k) for k in self._rows]
            up = f"\x1b[{self._drawn}F" if self._drawn else ""
            self._out.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
            self._drawn = len(lines)
        elif changed is not None:
            # Not a terminal (a log or CI): one line per finished model, and every ~25% of progress.
            row = self._rows[changed]
            step = row.get("step")
            quarter = int(4 * step.step / row["total"]) if step and row["total"] else 0
            if row["state"] != "training" or row.get("printed_quarter", 0) < quarter < 4:
                row["printed_quarter"] = quarter
                self._out.write(self._line(changed) + "\n")
        self._out.flush()
