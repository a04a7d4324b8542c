"""The bridge between the engine's worker threads and the window.

:class:`RaceBridge` is the race's observer. Steps arrive from the models' QThreads; it buffers them
and emits them in batches, at most about 20 times a second, over queued Qt signals, and flushes
whatever is left when a model ends. Each bridge belongs to one run: ``detach()`` (on a new Run, on
Open results, on close) silences it for good, so a late batch can never reach a newer run.
"""

from __future__ import annotations

import threading
import time
import typing

from PySide6.QtCore import QObject, Signal

from modelrace.models.race.observer import RaceObserver

if typing.TYPE_CHECKING:
    from modelrace.models.data.dataset import Dataset
    from modelrace.models.data.split import Split
    from modelrace.models.results.document import ModelEntry, Result
    from modelrace.models.trainers.protocol import Step

#: Minimum seconds between two step batches (about 20 per second).
BATCH_SECONDS = 0.05


class RunBridge(QObject):
    """What every run's bridge has: its run id, its stop, and ``detach()`` that silences it for good."""

    def __init__(self, run_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_id = run_id
        self.stop = threading.Event()
        self._detached = False

    @property
    def detached(self) -> bool:
        """True once the run was stopped or replaced; nothing more will be emitted."""
        return self._detached

    def request_stop(self) -> None:
        """Ask the run to stop at each model's next step (their partial models are kept)."""
        self.stop.set()

    def detach(self) -> None:
        """Stop the run and never emit again."""
        self.stop.set()
        self._detached = True

    def emit(self, signal: Signal, *args: object) -> None:
        """Emit ``signal`` with this run's id, unless the bridge was detached."""
        if not self._detached:
            signal.emit(self.run_id, *args)


class RaceBridge(RunBridge):
    """Qt signals for one race run; pass :attr:`observer` to ``run_race``."""

    planReady = Signal(int, object, object)  # run id, {model: planned steps}, split description
    modelStarted = Signal(int, str)  # run id, model
    stepsReady = Signal(int, list)  # run id, [Step, ...] in arrival order
    modelFinished = Signal(int, str, object)  # run id, model, result entry
    repeatFinished = Signal(int, int, object)  # run id, repeat index, that repeat's result (repeats, sizes)

    def __init__(self, run_id: int, parent: QObject | None = None) -> None:
        super().__init__(run_id, parent)
        self._lock = threading.Lock()
        self._buffer: list[Step] = []
        self._last_emit = 0.0
        self.observer = _BridgeObserver(self)

    def detach(self) -> None:
        """Stop the run and never emit again (late batches are dropped)."""
        with self._lock:
            super().detach()
            self._buffer.clear()

    def put(self, step: Step) -> None:
        """Buffer a step (trainer thread); emit the buffer if the last batch is old enough."""
        with self._lock:
            if self._detached:
                return
            self._buffer.append(step)
            now = time.monotonic()
            if now - self._last_emit < BATCH_SECONDS:
                return
            batch, self._buffer, self._last_emit = self._buffer, [], now
        self.stepsReady.emit(self.run_id, batch)

    def flush(self) -> None:
        """Emit whatever is buffered now."""
        with self._lock:
            if self._detached or not self._buffer:
                return
            batch, self._buffer, self._last_emit = self._buffer, [], time.monotonic()
        self.stepsReady.emit(self.run_id, batch)


class _BridgeObserver(RaceObserver):
    """The engine-side face of a bridge (the engine calls these from its threads)."""

    def __init__(self, bridge: RaceBridge) -> None:
        self._bridge = bridge

    def race_started(self, plan: dict[str, int], split: Split, dataset: Dataset) -> None:
        info = {"split": split.describe(), "dataset": dataset.describe()}
        self._bridge.emit(self._bridge.planReady, plan, info)

    def model_started(self, key: str) -> None:
        self._bridge.emit(self._bridge.modelStarted, key)

    def step(self, step: Step) -> None:
        self._bridge.put(step)

    def model_finished(self, key: str, entry: ModelEntry) -> None:
        try:
            self._bridge.flush()
        finally:
            self._bridge.emit(self._bridge.modelFinished, key, entry)

    def repeat_finished(self, index: int, run: Result) -> None:
        self._bridge.flush()
        self._bridge.emit(self._bridge.repeatFinished, index, run)
