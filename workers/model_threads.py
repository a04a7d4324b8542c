"""One QThread per model: the window's way for the engine to start each trainer (see models.race.workers).

Each model's trainer runs in a worker QObject moved to a QThread of its own, the pattern of superqt's
``new_worker_qthread``. The engine asks for a worker from its own (non-GUI) thread, so the QThread
object is handed to the GUI thread right after it is made: its ``deleteLater`` then runs in the
window's event loop. When the work returns, the worker emits ``finished``, which quits the thread
(a direct connection: quitting must not wait for a busy GUI thread) and deletes both objects.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from shiboken6 import isValid

from modelrace.models.system.thread_priority import lower_thread_priority

#: Nice levels the trainers run below the window, so the event loop wins the CPU when both want it.
TRAINER_NICENESS = 5


class _ModelWorker(QObject):
    """Runs one model's work in the thread it was moved to."""

    finished = Signal()

    def __init__(self, work: Callable[[], None], done: threading.Event) -> None:
        super().__init__()
        self._work = work
        self._done = done

    @Slot()
    def work(self) -> None:
        """Train (in the worker's QThread), then say so."""
        try:
            lower_thread_priority(TRAINER_NICENESS)
            self._work()
        finally:
            _forget_python_record()
            self._done.set()
            self.finished.emit()


class QThreadWorkers:
    """Starts each model in a QThread of its own and keeps track of the threads until they are gone."""

    kind = "QThread"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: list[tuple[QThread, _ModelWorker]] = []  # Python references keep them alive while running
        self.started: dict[str, QThread] = {}  # model worker name -> its thread (for tests and the log)

    def start(self, name: str, work: Callable[[], None]) -> threading.Event:
        """Run ``work`` in a new QThread named ``name``; the event is set when it has returned."""
        done = threading.Event()
        thread = QThread()
        thread.setObjectName(name)
        worker = _ModelWorker(work, done)
        worker.moveToThread(thread)
        thread.started.connect(worker.work)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)
        application = QCoreApplication.instance()
        if application is not None:
            thread.moveToThread(application.thread())  # its deleteLater runs in the window's event loop
        with self._lock:
            self._live.append((thread, worker))
            self.started[name] = thread
        thread.start()
        return done

    def wait(self, milliseconds: int) -> bool:
        """Wait up to ``milliseconds`` in all for every thread to finish; True if they all did."""
        deadline = time.monotonic() + milliseconds / 1000
        with self._lock:
            threads = [thread for thread, _ in self._live]
        for thread in threads:
            left = max(0, int(1000 * (deadline - time.monotonic())))
            if not _finished(thread) and not thread.wait(left):
                return False
        return True

    def deleted(self) -> bool:
        """True once Qt has deleted every thread and worker this started (their deleteLater ran)."""
        with self._lock:
            return all(not isValid(thread) and not isValid(worker) for thread, worker in self._live)


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
