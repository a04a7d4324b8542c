"""Running a race grid on Dask: the client's side (the cells themselves run in ``models.cluster.cell``).

:func:`run_grid` reaches the cluster, refuses other package versions, sends the dataset to every
worker once (scattered, hash-checked on the worker), and keeps one cell in flight per worker until
every cell has ended. Steps come back as worker events, batched a few times a second; the result
is rebuilt, and written atomically, after every cell. A stop cancels the cells not started and
stops the running ones at their next step; their partial races are kept and the cluster closes.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from modelrace.models.cluster import messages
from modelrace.models.cluster.connect import Connection, connect
from modelrace.models.cluster.grid_plan import (
    MAX_STARTS, GridCell, GridOptions, cell_settings, check_grid, grid_fingerprint, plan_cells,
)
from modelrace.models.cluster.events import CellFinished, CellStarted, CellWarming, GridStarted
from modelrace.models.cluster.records import CANCELLED, FAILED, FINISHED, cell_record, grid_result
from modelrace.models.cluster.versions import check_versions
from modelrace.models.data.dataset import Dataset
from modelrace.models.race.events import Listener, ModelFinished, ModelStarted, Steps, ignore
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.document import Result
from modelrace.models.system import environment
from modelrace.models.system.errors import ConfigError, UserError, one_line, words
from modelrace.models.trainers.libraries import uses_keras

#: Seconds to send the dataset to every worker (full Covertype is 125 MB).
SCATTER_TIMEOUT = 300


@dataclass
class GridRun:
    """A grid in progress: what it races, where, and the record of every cell that has ended."""

    dataset: Dataset
    settings: RaceSettings
    options: GridOptions
    listen: Listener
    stop: threading.Event
    records: dict[str, dict] = field(default_factory=dict)
    save: Callable[[Result], None] | None = None
    result: Result | None = None
    abandon: threading.Event = field(default_factory=threading.Event)


def run_grid(dataset: Dataset, settings: RaceSettings, options: GridOptions, listen: Listener | None = None,
             stop: threading.Event | None = None, *, resumed: dict[str, dict] | None = None,
             save: Callable[[Result], None] | None = None,
             on_connection: Callable[[Connection | None], None] | None = None,
             abandon: threading.Event | None = None) -> Result | None:
    """Race every cell of the grid ``settings`` describe on the cluster ``options`` name; return the combined result.

    ``listen`` hears the grid's events (``models.cluster.events``) and its cells' race events (with
    ``cell`` set), from the client's threads, Dask's event loop among them.

    ``resumed`` holds the finished cells of an earlier run (``records.finished_records``): only the
    others race. ``save`` is called with the combined result after every cell that ended (the
    terminal writes it atomically). ``on_connection`` hears the connection once made and None once
    closed, so that a front end can kill local workers if it must quit at once. Setting ``abandon``
    (a window closing) ends the grid without waiting for the running cells: local workers are killed.
    The result is None only if no cell ran at all.
    """
    grid = GridRun(dataset, settings, options, listen or ignore, stop or threading.Event(),
                   dict(resumed or {}), save, abandon=abandon or threading.Event())
    threads = check_grid(dataset, settings, options, environment.cpu_count())
    backend = environment.keras_backend() if uses_keras(settings.models) else None
    fingerprint = grid_fingerprint(settings, dataset, backend)
    todo = [cell for cell in plan_cells(settings) if cell.key not in grid.records]
    began = time.perf_counter()
    if not todo or grid.stop.is_set():
        return _rebuild(grid, {"grid": fingerprint}, began)
    connected = time.perf_counter()
    connection = connect(options)
    connect_seconds = time.perf_counter() - connected
    if on_connection:
        on_connection(connection)
    driver: _Driver | None = None
    try:
        check_versions(connection.client, backend, settings.models)
        slots, threads, resources = _capacity(connection, options, threads)
        where = {"kind": connection.kind, "address": connection.address, "workers": slots, "threads_per_race": threads,
                 "dask": environment.version_of("distributed"), "connect_seconds": round(connect_seconds, 3),
                 "grid": fingerprint}
        driver = _Driver(grid, connection, todo, threads, backend, resources, where, began)
        driver.run(slots)
    finally:
        busy = driver is not None and driver.running_anything()
        connection.close(busy=busy)
        if on_connection:
            on_connection(None)
    return grid.result


def _capacity(connection: Connection, options: GridOptions, threads: int) -> tuple[int, int, dict | None]:
    """How many cells run at once (one per worker), threads per cell, and the Dask resources to ask for."""
    client = connection.client
    if connection.kind == "local":
        return options.workers or 1, threads, None
    try:
        client.wait_for_workers(1, timeout=options.connect_timeout)
    except (TimeoutError, OSError):
        raise ConfigError(f"{connection.address}: the scheduler has no workers; start some with "
                          f"`dask worker {connection.address} --nthreads 1`") from None
    workers = client.scheduler_info(n_workers=-1)["workers"]
    resources = None
    crowded = [addr for addr, info in workers.items() if info.get("nthreads", 1) > 1]
    if crowded:
        if all((info.get("resources") or {}).get("modelrace") == 1 for info in workers.values()):
            resources = {"modelrace": 1}
        else:
            raise ConfigError(f"worker {crowded[0]} runs {workers[crowded[0]]['nthreads']} tasks at once, which would "
                              "race several cells side by side on one machine; start workers with --nthreads 1 "
                              "(or --resources modelrace=1)")
    cores = client.run(environment.cpu_count)
    per_host: dict[str, list[str]] = {}
    for addr, info in workers.items():
        per_host.setdefault(str(info.get("host")), []).append(addr)
    fewest = min(max(1, cores.get(addrs[0], 1) // len(addrs)) for addrs in per_host.values())
    chosen = threads or fewest
    for host, addrs in per_host.items():
        have = cores.get(addrs[0], 1)
        if chosen * len(addrs) > have:
            raise ConfigError(f"{words('threads-per-race')} {chosen}: host {host} runs {len(addrs)} worker(s) on {have} cores; "
                              f"use at most {max(1, have // len(addrs))} threads per race")
    return len(workers), chosen, resources


class _Driver:
    """Submits cells (one in flight per worker), follows their events and records how each ended."""

    def __init__(self, grid: GridRun, connection: Connection, todo: list[GridCell], threads: int,
                 backend: str | None, resources: dict | None, where: dict, began: float) -> None:
        self.grid = grid
        self.client = connection.client
        self.connection = connection
        self.queue = list(todo)
        self.threads = threads
        self.backend = backend
        self.resources = resources
        self.where = where
        self.began = began
        self.run_id = uuid.uuid4().hex[:12]
        self.cells = {cell.key: cell for cell in todo}
        self.in_flight: dict[str, Any] = {}  # cell key -> future
        self.starts: dict[str, list[str]] = {}  # cell key -> attempt tokens, in order
        self.workers: dict[str, str] = {}  # cell key -> worker of the latest attempt
        self.ended: queue.Queue[Any] = queue.Queue()
        self.lock = threading.Lock()
        self.given_up: set[str] = set()  # cells whose worker died more often than MAX_STARTS allows
        self.data: Any = None

    # -- the loop ---------------------------------------------------------------------------
    def run(self, slots: int) -> None:
        """Race the cells to the end, or until the grid's stop is set (then stop the running cells)."""
        from distributed import Event

        client = self.client
        topic = messages.topic_for(self.run_id)
        client.subscribe_topic(topic, self.on_event)
        try:
            self.data = self._scatter()
            stop_event = Event(messages.stop_name_for(self.run_id), client=client)
            self.grid.listen(GridStarted(tuple(self.queue), self.where))
            stopping = False
            while self.in_flight or (self.queue and not stopping):
                if self.grid.abandon.is_set():
                    self._stop_cells(stop_event)  # a remote cluster's cells stop by themselves
                    self.queue = [*(self.cells[key] for key in self.in_flight), *self.queue]
                    break
                if self.grid.stop.is_set() and not stopping:
                    stopping = True
                    self._stop_cells(stop_event)
                while self.queue and len(self.in_flight) < slots and not stopping:
                    self._submit(self.queue.pop(0))
                try:
                    future = self.ended.get(timeout=0.1)
                except queue.Empty:
                    continue
                self._collect(future)
            for cell in self.queue:  # not started (or abandoned): a stop came first
                self._record(cell, cell_record(cell, self.grid.settings, CANCELLED, len(self.starts.get(cell.key, []))))
        finally:
            try:
                client.unsubscribe_topic(topic)
            except Exception:  # noqa: BLE001 - the client may already be closing
                pass

    def running_anything(self) -> bool:
        """True while a cell may still be training on a worker."""
        return bool(self.in_flight)

    def _scatter(self) -> Any:
        began = time.perf_counter()
        [data] = self.client.scatter([self.grid.dataset], broadcast=True, hash=False, timeout=SCATTER_TIMEOUT)
        self.where["scatter_seconds"] = round(self.where.get("scatter_seconds", 0.0) + time.perf_counter() - began, 3)
        return data

    def _submit(self, cell: GridCell) -> None:
        from modelrace.models.cluster.cell import run_cell

        if self.data.status != "finished":  # lost with every worker that held it: send it again
            self.data = self._scatter()
        settings = cell_settings(self.grid.settings, cell, self.threads)
        future = self.client.submit(run_cell, self.data, self.grid.dataset.sha256, settings, cell, self.threads,
                                    self.backend, self.run_id, key=f"modelrace-{self.run_id}-{cell.key}-{time.time_ns()}",
                                    pure=False, retries=0, resources=self.resources)
        self.in_flight[cell.key] = future
        future.add_done_callback(self.ended.put)

    def _stop_cells(self, stop_event: Any) -> None:
        """Cancel the cells not started yet, and tell the running ones to stop at their next step."""
        with self.lock:
            unstarted = [key for key in self.in_flight if key not in self.starts]
        for key in unstarted:
            self.client.cancel(self.in_flight[key])
        try:
            stop_event.set()
        except Exception:  # noqa: BLE001 - the scheduler is gone: the cells are gone with it
            pass

    def _collect(self, future: Any) -> None:
        key = next((k for k, f in self.in_flight.items() if f is future), None)
        if key is None:
            return  # a cell resubmitted after its data was lost: this was the old future
        cell = self.cells[key]
        attempts = len(self.starts.get(key, []))
        outcome = _outcome(future)
        if outcome is not None:
            del self.in_flight[key]
            self._record(cell, cell_record(cell, self.grid.settings, FINISHED, attempts, result=outcome["result"],
                                           where=outcome["where"]))
            return
        if future.status == "cancelled" and self.grid.stop.is_set():
            del self.in_flight[key]
            self._record(cell, cell_record(cell, self.grid.settings, CANCELLED, attempts))
            return
        if future.status != "error" and key not in self.given_up and attempts < MAX_STARTS:
            # Not its own error, and not cancelled by us: the scheduler dropped the cell because every worker
            # holding the dataset died (scattered data cannot be recomputed), or the cell finished but its
            # worker died before the result reached us. Send the data again if needed and race it again.
            self._submit(cell)
            return
        del self.in_flight[key]
        self._record(cell, cell_record(cell, self.grid.settings, FAILED, attempts, error=self._failure_text(key, future),
                                       where={"worker": self.workers.get(key)}))

    def _failure_text(self, key: str, future: Any) -> str:
        """One line for a cell that ended without a result."""
        from distributed import KilledWorker

        error = future.exception(timeout=5) if future.status == "error" else None  # else cancelled, or its result lost
        starts = self.starts.get(key, [])
        if isinstance(error, KilledWorker) or key in self.given_up or (error is None and starts):
            deaths = min(len(starts), MAX_STARTS)
            return (f"its worker died {deaths} time{'s' if deaths != 1 else ''} while racing it (last "
                    f"{self.workers.get(key, '?')}); see that worker's log (out of memory? race fewer rows, or start "
                    "fewer workers per machine)")
        if error is None:
            return "the scheduler cancelled it before it started (was the cluster restarted?)"
        if isinstance(error, UserError):
            return str(error)
        return one_line(f"{type(error).__name__}: {error}".strip())

    def _record(self, cell: GridCell, record: dict) -> None:
        self.grid.records[cell.key] = record
        self.grid.listen(CellFinished(record, cell=cell))
        _rebuild(self.grid, self.where, self.began)

    # -- events from the workers (on Dask's event-loop thread) ---------------------------------
    def on_event(self, event: tuple[float, dict]) -> None:
        """Pass one worker message on as an event; a start of a cell begins a new attempt."""
        message = event[1]
        key = message.get("cell")
        if not isinstance(key, str) or key not in self.cells:
            return
        cell = self.cells[key]
        attempt = str(message.get("attempt"))
        listen = self.grid.listen
        kind = message.get("kind")
        if kind == messages.START:
            with self.lock:
                tokens = self.starts.setdefault(key, [])
                tokens.append(attempt)
                self.workers[key] = str(message.get("worker"))
                count = len(tokens)
            if count > MAX_STARTS:  # a shared scheduler allows more deaths than we do
                self._give_up(key)
                return
            listen(CellStarted(count, str(message.get("worker")), cell=cell))
            return
        if not self.starts.get(key) or self.starts[key][-1] != attempt:
            return  # from an attempt whose worker died
        if kind == messages.STEPS:
            batch = message.get("steps", [])
            delay = max(0.0, time.time() - min((s.get("at", time.time()) for s in batch), default=time.time()))
            listen(Steps(tuple(messages.step_from_plain(s) for s in batch), delay=delay, cell=cell))
        elif kind == messages.WARMING:
            listen(CellWarming(cell=cell))
        elif kind == messages.MODEL_STARTED:
            listen(ModelStarted(str(message.get("model")), cell=cell))
        elif kind == messages.MODEL_FINISHED:
            listen(ModelFinished(str(message.get("model")), dict(message.get("summary") or {}), cell=cell))

    def _give_up(self, key: str) -> None:
        self.given_up.add(key)
        future = self.in_flight.get(key)
        if future is not None:
            self.client.cancel(future)


def _outcome(future: Any) -> dict | None:
    """A finished cell's ``{"result", "where"}``, or None if it did not finish or its result was lost with its worker."""
    if future.status != "finished":
        return None
    try:
        return future.result(timeout=60)
    except Exception:  # noqa: BLE001 - lost (FutureCancelledError, CommClosedError): the caller races it again
        return None


def _rebuild(grid: GridRun, where: dict, began: float) -> Result | None:
    """Combine the records into the result, and save it if asked."""
    result = grid_result(grid.settings, grid.records, {**where, "wall_seconds": round(time.perf_counter() - began, 3)})
    if result is not None:
        grid.result = result
        if grid.save is not None:
            grid.save(result)
    return result

