"""One QThread per model: the window's way for the engine to start each trainer (see models.race.workers).

Each model's trainer runs in a worker QObject moved to a QThread of its own, made by superqt's
``new_worker_qthread`` on the GUI thread, where the QThread object then lives and is deleted. The
engine asks for a worker from its own coordinating thread, so the request travels to the GUI thread
as a queued signal: making or connecting Qt objects from that thread could deadlock against the GUI
thread over Qt's signal locks and Python's GIL. When the work returns, the worker quits its thread
(directly: quitting must not wait for a busy GUI thread) and both objects are deleted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from shiboken6 import isValid
from superqt.utils import new_worker_qthread

from modelrace.models.system.cpu_load import WARN_SHARE
from modelrace.models.system.thread_priority import lower_thread_priority

#: Nice levels the trainers run below the window on a quiet machine, so the event loop wins the CPU
#: when both want it (bench_event_loop_stall.py on 2 cores: max gap 54 ms at 5, 95-112 ms at 0).
QUIET_NICENESS = 5
#: ... and on a busy one, where at 5 they lost the CPU to every other program and the machine, not the
#: models, decided the race (bench_under_load.py: the forest 1.37x its bare fit in the window at 5,
#: 1.21x at 0). There the window still measured p99 26.5 ms, max 85 ms.
BUSY_NICENESS = 0


def trainer_niceness(others_share: float) -> int:
    """The nice level for a race's trainers, given the CPU share other programs use as it starts."""
    return BUSY_NICENESS if others_share >= WARN_SHARE else QUIET_NICENESS


class _ModelWorker(QObject):
    """Runs one model's work in the thread it was moved to."""

    finished = Signal()

    def __init__(self, work: Callable[[], None], done: threading.Event, niceness: int) -> None:
        super().__init__()
        self._work: Callable[[], None] | None = work
        self._done = done
        self._niceness = niceness

    @Slot()
    def work(self) -> None:
        """Train (in the worker's QThread), then say so."""
        try:
            lower_thread_priority(self._niceness)
            self._work()
        finally:
            self._work = None  # the race's data and models: nothing of them outlives the work
            _forget_python_record()
            self._done.set()
            self.finished.emit()


@dataclass
class _Request:
    name: str
    work: Callable[[], None]
    done: threading.Event = field(default_factory=threading.Event)
    started: bool = False


class QThreadWorkers(QObject):
    """Starts each model in a QThread of its own (made on the GUI thread) and tracks the threads until they are gone.

    Make it on the GUI thread; :meth:`start` may be called from any thread.
    """

    kind = "QThread"
    _requested = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._closed = False
        self._pending: list[_Request] = []
        self._live: list[tuple[QThread, QObject]] = []  # Python references keep them alive while running
        self.started: dict[str, QThread] = {}  # model worker name -> its thread (for tests and the log)
        self.niceness = QUIET_NICENESS  # the race sets it as it starts (see trainer_niceness)
        self._requested.connect(self._start, Qt.ConnectionType.QueuedConnection)

    def start(self, name: str, work: Callable[[], None]) -> threading.Event:
        """Have the GUI thread run ``work`` in a new QThread named ``name``; the event is set when it has returned.

        Once :meth:`close` was called the work never starts and the event is set at once.
        """
        request = _Request(name, work)
        with self._lock:
            if self._closed:
                request.done.set()
                return request.done
            self._pending.append(request)
        self._requested.emit(request)
        return request.done

    @Slot(object)
    def _start(self, request: _Request) -> None:
        with self._lock:
            if self._closed or request.started:
                return
            request.started = True
            self._pending.remove(request)
        worker, thread = new_worker_qthread(_ModelWorker, request.work, request.done, self.niceness)
        request.work = _nothing  # the worker holds the work now, and lets go of it when done
        thread.setObjectName(request.name)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self._live.append((thread, worker))
        self.started[request.name] = thread
        thread.start()

    def close(self) -> None:
        """Start nothing more: requests not yet started are dropped and their waiters released."""
        with self._lock:
            self._closed = True
            pending, self._pending = self._pending, []
        for request in pending:
            request.done.set()

    def wait(self, milliseconds: int) -> bool:
        """Wait up to ``milliseconds`` in all for every started thread to finish; True if they all did."""
        deadline = time.monotonic() + milliseconds / 1000
        for thread, _ in list(self._live):
            left = max(0, int(1000 * (deadline - time.monotonic())))
            if not _finished(thread) and not thread.wait(left):
                return False
        return True

    def deleted(self) -> bool:
        """True once Qt has deleted every thread and worker this started (their deleteLater ran)."""
        return all(not isValid(thread) and not isValid(worker) for thread, worker in self._live)


def _nothing() -> None:
    """What a started request keeps in place of its work."""


def _forget_python_record() -> None:
    """Drop the record Python's threading module made of this QThread, which it would otherwise keep forever.

    Code in a thread that Python did not start (logging, joblib, ``threading.Thread()``) makes
    ``threading`` register a ``_DummyThread`` for it, and Python 3.11 never removes those: each race
    would leave three behind (``threading.active_count()`` would grow by 3 per race in a long lesson).
    """
    record = threading._active.get(threading.get_ident())  # noqa: SLF001 - no public API forgets a foreign thread
    if isinstance(record, threading._DummyThread):  # noqa: SLF001
        with threading._active_limbo_lock:  # noqa: SLF001
            threading._active.pop(threading.get_ident(), None)  # noqa: SLF001


def _finished(thread: QThread) -> bool:
    """True once ``thread`` has finished, or Qt has already deleted it."""
    return not isValid(thread) or thread.isFinished()
