"""The bridge between a race grid on Dask and the window.

The grid's observer is called from Dask's event-loop thread (worker events) and from the thread
that drives the grid; :class:`GridBridge` turns each call into a queued Qt signal, so the window
only ever handles them on its own thread. Steps already come in batches (each cell sends a few a
second). Like :class:`~modelrace.workers.race_bridge.RaceBridge`, a bridge belongs to one run and
``detach()`` silences it for good.
"""

from __future__ import annotations

import threading
import typing

from PySide6.QtCore import QObject, Signal

from modelrace.models.cluster.observer import GridObserver
from modelrace.workers.race_bridge import RunBridge

if typing.TYPE_CHECKING:
    from modelrace.models.cluster.grid_plan import GridCell
    from modelrace.models.trainers.protocol import Step


class GridBridge(RunBridge):
    """Qt signals for one grid run; pass :attr:`observer`, :attr:`stop` and :attr:`abandon` to ``run_grid``."""

    gridStarted = Signal(int, object, object)  # run id, [GridCell, ...] to race, where (kind, address, workers, threads)
    cellStarted = Signal(int, object, int, str)  # run id, cell, attempt (1, 2, 3), worker address
    cellWarming = Signal(int, object)  # run id, cell
    modelStarted = Signal(int, object, str)  # run id, cell, model
    stepsReady = Signal(int, object, list)  # run id, cell, [Step, ...]
    modelFinished = Signal(int, object, str, object)  # run id, cell, model, summary (status, scores, seconds)
    cellFinished = Signal(int, object, object)  # run id, cell, record (state, worker, times, its result)

    def __init__(self, run_id: int, parent: QObject | None = None) -> None:
        super().__init__(run_id, parent)
        self.abandon = threading.Event()  # set on detach: the grid ends without waiting for its running cells
        self.observer = _GridBridgeObserver(self)

    def detach(self) -> None:
        """End the grid at once (local workers are killed, finished cells kept) and never emit again."""
        self.abandon.set()
        super().detach()


class _GridBridgeObserver(GridObserver):
    """The grid-side face of a bridge."""

    def __init__(self, bridge: GridBridge) -> None:
        self._bridge = bridge

    def grid_started(self, cells: list[GridCell], where: dict) -> None:
        self._bridge.emit(self._bridge.gridStarted, list(cells), dict(where))

    def cell_started(self, cell: GridCell, attempt: int, worker: str) -> None:
        self._bridge.emit(self._bridge.cellStarted, cell, attempt, worker)

    def cell_warming(self, cell: GridCell) -> None:
        self._bridge.emit(self._bridge.cellWarming, cell)

    def model_started(self, cell: GridCell, key: str) -> None:
        self._bridge.emit(self._bridge.modelStarted, cell, key)

    def steps(self, cell: GridCell, steps: list[Step], delay: float) -> None:
        self._bridge.emit(self._bridge.stepsReady, cell, list(steps))

    def model_finished(self, cell: GridCell, key: str, summary: dict) -> None:
        self._bridge.emit(self._bridge.modelFinished, cell, key, dict(summary))

    def cell_finished(self, cell: GridCell, record: dict) -> None:
        self._bridge.emit(self._bridge.cellFinished, cell, record)
