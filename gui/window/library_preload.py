"""Load the models' libraries once the window has sat idle for a moment (see models.trainers.preload).

Input events reset the idle clock, so the one unavoidable pause of loading TensorFlow falls when
nobody is typing or pointing; a race that starts first simply loads them itself, as before. The
load happens once per process, however many windows there are.

It runs in a QThread of its own, as the trainers do, never on a pool thread: TensorFlow keeps
per-thread state that dangles once Python lets go of a pool thread between jobs, and a second
TensorFlow job on that thread then crashes (measured: a segfault in graph tracing).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid
from superqt.utils import new_worker_qthread

from modelrace.models.system.environment import cpu_count
from modelrace.models.trainers.preload import keras_in_use, preload_libraries, preload_wanted

IDLE_MS = 1500
#: Preloads started in this process, as (worker, QThread). Kept here, not by a window: a QObject without
#: a parent lives only as long as its Python wrapper, and a closed window must not destroy a running thread.
_live: list[tuple[QObject, QThread]] = []
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class _PreloadWorker(QObject):
    """Loads the libraries in the QThread it was moved to."""

    loaded = Signal(object)  # what was loaded (str), or None when a race was using Keras
    failed = Signal(str)
    finished = Signal()

    def __init__(self, threads: int) -> None:
        super().__init__()
        self._threads = threads

    @Slot()
    def work(self) -> None:
        """Load, say what came of it, and finish (which ends the thread)."""
        try:
            self.loaded.emit(preload_libraries(self._threads))
        except Exception as exc:  # noqa: BLE001 - a failed preload only means the first race loads them itself
            self.failed.emit(str(exc))
        finally:
            self.finished.emit()


class IdlePreload(QObject):
    """Starts the preload once the app has had no input for ``idle_ms`` and ``busy()`` is False."""

    def __init__(self, busy: Callable[[], bool], done: Callable[[str], None], idle_ms: int = IDLE_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "waiting" if preload_wanted() else "off"
        self._busy, self._done, self._idle = busy, done, idle_ms / 1000
        self._last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        if self.state == "waiting":
            self._wait()

    def _wait(self) -> None:
        self.state = "waiting"
        self._last_input = time.monotonic()
        QApplication.instance().installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Note input (it restarts the idle clock); never consumes the event."""
        if event.type() in _INPUT:
            self._last_input = time.monotonic()
        return False

    def _tick(self) -> None:
        if self._busy() or keras_in_use() or time.monotonic() - self._last_input < self._idle:
            return
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)
        if not preload_wanted():  # another window of this process has loaded them
            self.state = "off"
            return
        self.state = "loading"
        _live[:] = [(worker, thread) for worker, thread in _live if isValid(thread)]
        worker, thread = new_worker_qthread(
            _PreloadWorker, cpu_count(), _connect={"loaded": self._loaded, "failed": self._failed})
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)  # not via a GUI thread that may be waiting
        _live.append((worker, thread))
        thread.start()

    def stop(self) -> None:
        """Start nothing more (the window is closing); a load under way carries on (see :meth:`wait`)."""
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)
        if self.state == "waiting":
            self.state = "off"

    @staticmethod
    def wait(milliseconds: int) -> bool:
        """Wait up to ``milliseconds`` for a preload under way to end; True if none is running now."""
        return all(not isValid(thread) or thread.wait(milliseconds) for _worker, thread in _live)

    def _loaded(self, what: str | None) -> None:
        if what is None:  # a race began using Keras first: try again when the window is next idle
            self._wait()
            return
        self.state = "done"
        self._done(what)

    def _failed(self, _message: str) -> None:
        self.state = "failed"
