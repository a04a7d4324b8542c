"""The window's race state: which run is current, its bridge and workers, and its phase.

:class:`RaceSession` owns everything about running races in the window and tells the window what
happens through signals, always about the current run: a stopped or replaced run's late signals are
dropped here, so the views never see them. Phases: ``idle``, ``loading`` (the dataset opens, or
downloads), ``racing`` and ``stopping``.
"""

from __future__ import annotations

import time
import typing
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from modelrace.models.data.opening import needs_download, open_dataset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.paths import grids_dir
from modelrace.workers.model_threads import QThreadWorkers
from modelrace.workers.grid_bridge import GridBridge
from modelrace.workers.race_bridge import RaceBridge
from modelrace.workers.tasks import start_grid, start_job, start_race

if typing.TYPE_CHECKING:
    from modelrace.models.cluster.grid_plan import GridOptions

IDLE, LOADING, RACING, STOPPING = "idle", "loading", "racing", "stopping"


class RaceSession(QObject):
    """Starts, stops and forgets races; every signal below concerns the current run only."""

    phaseChanged = Signal(str)  # idle, loading, racing, stopping
    downloading = Signal(bool)  # Covertype is being downloaded for this race (True), or that ended (False)
    datasetReady = Signal(object)  # the Dataset the race will use
    planReady = Signal(object, object)  # {model: planned steps}, {"split": ..., "dataset": ...}
    modelStarted = Signal(str)
    stepsReady = Signal(list)  # [Step, ...]
    modelFinished = Signal(str, object)  # model, its result entry
    repeatFinished = Signal(int, object)  # repeat index, that run's result
    finished = Signal(object)  # the result (complete, or stopped with what finished)
    stoppedEarly = Signal()  # Stop came before any model started
    failed = Signal(object)  # the exception of a race that could not run at all
    # A race grid on Dask (see GridBridge for what each carries, less the run id):
    gridStarted = Signal(object, object)
    cellStarted = Signal(object, int, str)
    cellWarming = Signal(object)
    cellModelStarted = Signal(object, str)
    cellSteps = Signal(object, list)
    cellModelFinished = Signal(object, str, object)
    cellFinished = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A race's coordination holds one pool thread while its models train in QThreads of their own;
        # openings, imports, exports and runs still winding down hold others. Two (a 2-core default) queue them.
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(8, pool.maxThreadCount()))
        self.run_id = 0
        self.phase = IDLE
        self.bridge: RaceBridge | GridBridge | None = None
        self.grid: GridOptions | None = None  # where the current run's cells race (None: here, as one race)
        self.grid_file: Path | None = None  # where the current grid's result is rewritten after every cell
        self.workers: QThreadWorkers | None = None
        self._retired: list[QThreadWorkers] = []  # earlier runs' workers, kept alive until their threads end

    @property
    def running(self) -> bool:
        """True from Run until the race's result (or failure) is in."""
        return self.phase != IDLE

    def start(self, spec: str, settings: RaceSettings, grid: GridOptions | None = None) -> int:
        """Open dataset ``spec`` (downloading Covertype if needed), then race it; returns the run's id.

        With ``grid`` the seeds × sizes race as cells on Dask (local workers, or a scheduler's). A run
        still winding down is detached first: its late points never reach the new run.
        """
        self.detach()
        self.run_id += 1
        run_id = self.run_id
        self.grid = grid
        # Neither is a child of the session: each lives while its run needs it, then goes (a day of races adds nothing).
        self.workers = QThreadWorkers()
        if grid is not None:
            self.bridge = self._grid_bridge(run_id)
        else:
            self.bridge = self._race_bridge(run_id)
        self._set_phase(LOADING)
        download = needs_download(spec)
        if download:
            self.downloading.emit(True)
        start_job(
            open_dataset, spec, None,
            on_result=lambda dataset: self._dataset_ready(run_id, dataset, settings),
            on_error=lambda exc: self._failed(run_id, exc),
            on_finished=(lambda: self.downloading.emit(False)) if download else None,
        )
        return run_id

    def _race_bridge(self, run_id: int) -> RaceBridge:
        bridge = RaceBridge(run_id)
        bridge.planReady.connect(lambda rid, plan, info: self._forward(rid, self.planReady, plan, info))
        bridge.modelStarted.connect(lambda rid, key: self._forward(rid, self.modelStarted, key))
        bridge.stepsReady.connect(lambda rid, steps: self._forward(rid, self.stepsReady, steps))
        bridge.modelFinished.connect(lambda rid, key, entry: self._forward(rid, self.modelFinished, key, entry))
        bridge.repeatFinished.connect(lambda rid, index, run: self._forward(rid, self.repeatFinished, index, run))
        return bridge

    def _grid_bridge(self, run_id: int) -> GridBridge:
        bridge = GridBridge(run_id)
        for theirs, ours in ((bridge.gridStarted, self.gridStarted), (bridge.cellStarted, self.cellStarted),
                             (bridge.cellWarming, self.cellWarming), (bridge.modelStarted, self.cellModelStarted),
                             (bridge.stepsReady, self.cellSteps), (bridge.modelFinished, self.cellModelFinished),
                             (bridge.cellFinished, self.cellFinished)):
            theirs.connect(lambda rid, *args, ours=ours: self._forward(rid, ours, *args))
        return bridge

    def stop(self) -> bool:
        """Ask the current race to stop at each model's next step; False if nothing is running."""
        if self.bridge is None or not self.running:
            return False
        self.bridge.request_stop()
        self._set_phase(STOPPING)
        return True

    def detach(self) -> None:
        """Forget the current run (a new Run, Open results, closing): it stops, and nothing more of it arrives."""
        if self.bridge is not None:
            self.bridge.detach()
        if self.workers is not None:
            self.workers.close()  # a model whose turn had not come never starts
            self._retired.append(self.workers)
        self._retired = [w for w in self._retired if not w.wait(0)]
        self.bridge = self.workers = None
        self._set_phase(IDLE)

    def shutdown(self, milliseconds: int) -> bool:
        """Stop everything and wait up to ``milliseconds`` for it to end; False if something still runs."""
        current = self.workers
        self.detach()
        deadline = time.monotonic() + milliseconds / 1000
        for workers in [current, *self._retired]:
            if workers is not None and not workers.wait(_left(deadline)):
                return False
        return QThreadPool.globalInstance().waitForDone(_left(deadline))

    # ------------------------------------------------------------------------ from the jobs
    def _current(self, run_id: int) -> bool:
        return run_id == self.run_id and self.bridge is not None and not self.bridge.detached

    def _forward(self, run_id: int, signal: Signal, *args: object) -> None:
        if self._current(run_id):
            signal.emit(*args)

    def _dataset_ready(self, run_id: int, dataset: object, settings: RaceSettings) -> None:
        if not self._current(run_id):
            return
        self.datasetReady.emit(dataset)
        assert self.bridge is not None and self.workers is not None
        if self.bridge.stop.is_set():
            self._set_phase(IDLE)
            self.stoppedEarly.emit()
            return
        if self.phase == LOADING:
            self._set_phase(RACING)
        if isinstance(self.bridge, GridBridge) and self.grid is not None:
            self.grid_file = grids_dir() / f"grid-{time.strftime('%Y%m%d-%H%M%S')}-{run_id}.json"
            start_grid(dataset, settings, self.grid, self.bridge,
                       on_result=lambda result: self._finished(run_id, result),
                       on_error=lambda exc: self._failed(run_id, exc), save_to=self.grid_file)
            return
        start_race(dataset, settings, self.bridge, self.workers,
                   on_result=lambda result: self._finished(run_id, result),
                   on_error=lambda exc: self._failed(run_id, exc))

    def _finished(self, run_id: int, result: object) -> None:
        if run_id == self.run_id and self.bridge is not None:
            self._set_phase(IDLE)
            if result is None:  # a grid stopped before any cell ran
                self.stoppedEarly.emit()
                return
            self.finished.emit(result)

    def _failed(self, run_id: int, exc: BaseException) -> None:
        if run_id == self.run_id and self.bridge is not None:
            self._set_phase(IDLE)
            self.failed.emit(exc)

    def _set_phase(self, phase: str) -> None:
        if phase != self.phase:
            self.phase = phase
            self.phaseChanged.emit(phase)


def _left(deadline: float) -> int:
    return max(0, int(1000 * (deadline - time.monotonic())))
