"""Runs on a Dask worker: one cell of a race grid, with its steps streamed back and the grid's stop obeyed.

The client imports this module only to hand Dask a reference to :func:`run_cell`; the worker
imports it to run the cell. A cell checks the scattered dataset's content hash (once per worker
process), loads the libraries outside the timings (the first cell on a worker pays 7-8 s of
TensorFlow import, which must not count against a Keras model), then races in fair mode with its
threads capped, sending steps every ``BATCH_SECONDS``.
"""

from __future__ import annotations

import importlib
import os
import socket
import sys
import threading
import time
import weakref
from typing import Any

from distributed import Event, get_client, get_worker
from distributed.diagnostics.plugin import WorkerPlugin
from threadpoolctl import threadpool_limits

from modelrace.models.cluster import messages
from modelrace.models.cluster.grid_plan import BATCH_SECONDS, GridCell
from modelrace.models.data.dataset import Dataset, content_hash
from modelrace.models.race.engine import run
from modelrace.models.race.events import ModelFinished, ModelStarted, RaceEvent, Steps
from modelrace.models.race.settings import RaceSettings
from modelrace.models.race.workers import PythonThreads
from modelrace.models.system import environment
from modelrace.models.system.errors import DataError
from modelrace.models.trainers.keras_setup import choose_backend, import_keras
from modelrace.models.trainers.libraries import KERAS, modules
from modelrace.models.trainers.preload import preload_libraries

#: Datasets whose content hash this worker process has checked (by object id; the weak value keeps ids honest).
_verified: weakref.WeakValueDictionary[int, Dataset] = weakref.WeakValueDictionary()
_verify_lock = threading.Lock()


class OwnProcessGroup(WorkerPlugin):
    """Moves each local worker into a process group of its own: Ctrl+C at the terminal must not kill it.

    modelrace then stops the cells itself, at their next step, and keeps what they trained.
    """

    def setup(self, worker: Any) -> None:
        """Leave the terminal's foreground process group."""
        try:
            os.setpgid(0, 0)
        except OSError:
            pass


def run_cell(dataset: Dataset, expected_sha256: str, settings: RaceSettings, cell: GridCell, threads: int,
             keras_backend: str | None, run_id: str) -> dict[str, Any]:
    """Race one cell here and return ``{"result": Result, "where": {...}}`` (where and how long it ran)."""
    worker = get_worker()
    attempt = f"{os.getpid()}-{time.time_ns()}"
    topic = messages.topic_for(run_id)

    def send(kind: str, **payload: Any) -> None:
        worker.log_event(topic, messages.envelope(kind, cell.key, attempt, **payload))

    began = time.perf_counter()
    send(messages.START, worker=worker.address, pid=os.getpid())
    verify_dataset(dataset, expected_sha256, worker.address)
    stop = StopMirror(messages.stop_name_for(run_id))
    batcher = StepBatcher(send)
    try:
        if not stop.event.is_set():
            warm_up(settings, threads, keras_backend, lambda: send(messages.WARMING))
        setup_seconds = time.perf_counter() - began
        with threadpool_limits(threads):
            result = run(dataset, settings, batcher, stop.event, PythonThreads())
    finally:
        batcher.close()
        stop.close()
    return {"result": result, "where": {
        "worker": str(worker.address), "host": socket.gethostname(), "pid": os.getpid(),
        "cpu": environment.cpu_model(), "cores": environment.cpu_count(), "threads": threads,
        "setup_seconds": round(setup_seconds, 3), "wall_seconds": round(time.perf_counter() - began, 3),
    }}


def verify_dataset(dataset: Dataset, expected_sha256: str, where: str) -> None:
    """Raise DataError unless the arrays this worker holds hash to ``expected_sha256`` (checked once per object)."""
    with _verify_lock:
        if _verified.get(id(dataset)) is dataset:
            return
        actual = content_hash(dataset.X, dataset.y, dataset.feature_names, dataset.classes)
        if actual != expected_sha256:
            raise DataError(f"the dataset on worker {where} does not match the one sent (sha256 {actual[:12]}…, "
                            f"expected {expected_sha256[:12]}…); restart the worker and race again")
        _verified[id(dataset)] = dataset


def warm_up(settings: RaceSettings, threads: int, keras_backend: str | None, announce: Any) -> None:
    """Load the raced models' libraries (with Keras, fit a tiny model) before the race: no model's time includes it."""
    wanted = modules(settings.models)
    if set(wanted) <= sys.modules.keys():
        return
    announce()
    if KERAS in wanted:
        choose_backend(keras_backend)
        preload_libraries(threads, settings.models)  # Keras' tiny fit too (once per process)
    for module in wanted:  # what an earlier preload in this process, for other models, did not load
        if module not in sys.modules:
            if module == KERAS:
                import_keras(threads)
            else:
                importlib.import_module(module)


class StopMirror:
    """A local ``threading.Event`` set once the grid's cluster-wide stop event is set (polled twice a second)."""

    def __init__(self, name: str) -> None:
        self.event = threading.Event()
        self._done = threading.Event()
        client = get_client()  # in the task's own thread: an Event made elsewhere is not initialised
        self._remote = Event(name, client=client)
        self._thread = threading.Thread(target=self._watch, name="modelrace-stop-mirror", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        # A quick is_set() twice a second, not a blocking wait() on the scheduler: a wait still pending
        # when the cluster closes is logged there as an error.
        while not self._done.wait(0.5):
            try:
                if self._remote.is_set():
                    self.event.set()
                    return
            except Exception:  # noqa: BLE001 - the scheduler went away: nobody is left to say stop
                return

    def close(self) -> None:
        """Stop watching."""
        self._done.set()


class StepBatcher:
    """The cell's race listener: sends its steps as one message every ``BATCH_SECONDS`` (and a last one at close).

    A model's start and end are sent at once, after the steps queued before them, so messages stay in order.
    """

    def __init__(self, send: Any) -> None:
        self._send = send
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._tick, name="modelrace-step-batcher", daemon=True)
        self._thread.start()

    def __call__(self, event: RaceEvent) -> None:
        """Queue steps for the next batch; send a model's start or end after the steps before it."""
        if isinstance(event, Steps):
            now = time.time()
            with self._lock:
                self._pending.extend({**messages.step_to_plain(step), "at": now} for step in event.steps)
        elif isinstance(event, ModelStarted):
            self.flush()
            self._send(messages.MODEL_STARTED, model=event.model)
        elif isinstance(event, ModelFinished):
            self.flush()
            self._send(messages.MODEL_FINISHED, model=event.model, summary=messages.entry_summary(event.entry))

    def flush(self) -> None:
        """Send the steps queued so far, if any."""
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            self._send(messages.STEPS, steps=batch)

    def _tick(self) -> None:
        while not self._done.wait(BATCH_SECONDS):
            self.flush()

    def close(self) -> None:
        """Stop the timer and send what is left."""
        self._done.set()
        self.flush()
