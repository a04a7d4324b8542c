"""The window's race state: which run is current, its channel and model threads, and its phase.

:class:`RaceSession` starts, stops and forgets runs. A run's news arrives through the relay
(``workers.event_relay``) on the GUI thread, as frozen events: the session keeps the phase, starts
each model's QThread when the engine asks, and passes every other event of the current run on
through one signal, :attr:`event`. A replaced or forgotten run's port is closed, so nothing of it
arrives any more. Phases: ``idle``, ``loading`` (the dataset opens, or downloads), ``racing`` and
``stopping``.
"""

from __future__ import annotations

import functools
import time
import typing
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from modelrace.models.data.opening import needs_download
from modelrace.models.race.events import DatasetOpened, RaceEvent, RaceFailed, RaceFinished
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.paths import grids_dir
from modelrace.workers.event_relay import relay
from modelrace.workers.model_threads import ModelThreads, StartThread
from modelrace.workers.race_runs import RunChannel, start_run

if typing.TYPE_CHECKING:
    import threading

    from modelrace.models.cluster.grid_plan import GridOptions

IDLE, LOADING, RACING, STOPPING = "idle", "loading", "racing", "stopping"


class RaceSession(QObject):
    """Starts, stops and forgets runs; every signal below concerns the current run only."""

    phaseChanged = Signal(str)  # idle, loading, racing, stopping
    downloading = Signal(bool)  # Covertype is being downloaded for this run (True), or that ended (False)
    event = Signal(object)  # every event of the current run (models.race.events, models.cluster.events), in order
    finished = Signal(object)  # the result (complete, or stopped with what finished)
    stoppedEarly = Signal()  # Stop came before any model started
    failed = Signal(object)  # the exception of a run that could not go on at all

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_id = 0
        self.phase = IDLE
        self.channel: RunChannel | None = None
        self.grid: GridOptions | None = None  # where the current run's cells race (None: here, as one race)
        self.grid_file: Path | None = None  # where the current grid's result is rewritten after every cell
        self.workers: ModelThreads | None = None
        self._downloading = False
        self._retired: list[ModelThreads] = []  # earlier runs' threads, until they have ended
        self._coordinators: list[threading.Thread] = []

    @property
    def running(self) -> bool:
        """True from Run until the run's result (or failure) is in."""
        return self.phase != IDLE

    def start(self, spec: str, settings: RaceSettings, grid: GridOptions | None = None) -> int:
        """Open dataset ``spec`` (downloading Covertype if needed), then race it; returns the run's id.

        With ``grid`` the seeds × sizes race as cells on Dask (local workers, or a scheduler's). A run
        still winding down is forgotten first: nothing more of it arrives.
        """
        self.detach()
        self.run_id += 1
        self.grid = grid
        self.workers = ModelThreads()
        self.channel = RunChannel(self.run_id, relay().open(functools.partial(self._handle, self.run_id), owner=self))
        self.grid_file = (grids_dir() / f"grid-{time.strftime('%Y%m%d-%H%M%S')}-{self.run_id}.json"
                          if grid is not None else None)
        self._set_phase(LOADING)
        self._set_downloading(needs_download(spec))
        self._coordinators = [t for t in self._coordinators if t.is_alive()]
        self._coordinators.append(start_run(spec, settings, self.channel, grid, self.grid_file))
        return self.run_id

    def stop(self) -> bool:
        """Ask the current run to stop at each model's next step; False if nothing is running."""
        if self.channel is None or not self.running:
            return False
        self.channel.stop.set()
        self._set_phase(STOPPING)
        return True

    def detach(self) -> None:
        """Forget the current run (a new Run, Open results, closing): it stops, and nothing more of it arrives."""
        if self.channel is not None:
            self.channel.stop.set()
            self.channel.abandon.set()
            relay().close(self.channel.port)
        if self.workers is not None:
            self.workers.close()  # a model whose turn had not come never starts
            self._retired.append(self.workers)
        self._retired = [w for w in self._retired if not w.wait(0)]
        self.channel = self.workers = None
        self._set_downloading(False)
        self._set_phase(IDLE)

    def shutdown(self, milliseconds: int) -> bool:
        """Stop everything and wait up to ``milliseconds`` for it to end; False if something still runs."""
        current = self.workers
        self.detach()
        deadline = time.monotonic() + milliseconds / 1000
        for workers in [current, *self._retired]:
            if workers is not None and not workers.wait(_left_ms(deadline)):
                return False
        for thread in self._coordinators:
            thread.join(_left_ms(deadline) / 1000)
            if thread.is_alive():
                return False
        return True

    # ------------------------------------------------------------------------ from the run, on the GUI thread
    def _handle(self, run_id: int, item: object) -> None:
        """One item of run ``run_id``'s port: always the current run, since the relay drops those of runs let go."""
        if isinstance(item, StartThread):
            if self.workers is None:
                item.dropped()
            else:
                self.workers.start(item)
            return
        if not isinstance(item, RaceEvent):
            return
        if isinstance(item, DatasetOpened):
            self._set_downloading(False)
            if self.phase == LOADING:
                self._set_phase(RACING)
        elif isinstance(item, (RaceFinished, RaceFailed)):
            self._ended(item)
            return
        self.event.emit(item)

    def _ended(self, event: RaceFinished | RaceFailed) -> None:
        if self.channel is not None:
            relay().close(self.channel.port)
        self._set_downloading(False)
        self._set_phase(IDLE)
        if isinstance(event, RaceFailed):
            self.failed.emit(event.error)
        elif event.result is None:  # stopped before any model (or grid cell) ran
            self.stoppedEarly.emit()
        else:
            self.finished.emit(event.result)

    def _set_downloading(self, downloading: bool) -> None:
        if downloading != self._downloading:
            self._downloading = downloading
            self.downloading.emit(downloading)

    def _set_phase(self, phase: str) -> None:
        if phase != self.phase:
            self.phase = phase
            self.phaseChanged.emit(phase)


def _left_ms(deadline: float) -> int:
    return max(0, int(1000 * (deadline - time.monotonic())))
