"""Load the models' libraries once the window has sat idle for a moment (see models.trainers.preload).

Input events reset the idle clock, so the one unavoidable pause of loading TensorFlow falls when
nobody is typing or pointing; a race that starts first simply loads them itself, as before. The
load happens once per process, however many windows there are.

It runs in a QThread of its own (made and deleted on the GUI thread), as the trainers do, never on
a pool thread: TensorFlow keeps per-thread state that dangles once Python lets go of a pool thread
between jobs, and a second TensorFlow job on that thread then crashes (measured: a segfault in
graph tracing).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from modelrace.models.system.environment import cpu_count
from modelrace.models.trainers.preload import keras_in_use, preload_libraries, preload_wanted
from modelrace.workers.jobs import Job, start_in_qthread

IDLE_MS = 1500
#: Preloads started in this process. Kept here, not by a window: a closed window must not forget a running load.
_jobs: list[Job] = []
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}


class IdlePreload(QObject):
    """Starts the preload once the app has had no input for ``idle_ms`` and ``busy()`` is False."""

    def __init__(self, busy: Callable[[], bool], done: Callable[[str], None], idle_ms: int = IDLE_MS,
                 parent: QObject | None = None, models: Callable[[], list[str]] | None = None) -> None:
        super().__init__(parent)
        self._models = models or (lambda: [])  # the models the next race will use: their libraries load
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
        _jobs[:] = [job for job in _jobs if not job.done.is_set()]
        _jobs.append(start_in_qthread("modelrace-preload", preload_libraries, cpu_count(), self._models() or None,
                                      on_result=self._loaded, on_error=self._failed))

    def stop(self) -> None:
        """Start nothing more (the window is closing); a load under way carries on (see :meth:`wait`)."""
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)
        if self.state == "waiting":
            self.state = "off"

    @staticmethod
    def wait(milliseconds: int) -> bool:
        """Wait up to ``milliseconds`` for a preload under way to end; True if none is running now."""
        return all(job.done.wait(milliseconds / 1000) for job in _jobs)

    def _loaded(self, what: str | None) -> None:
        if what is None:  # a race began using Keras first: try again when the window is next idle
            self._wait()
            return
        self.state = "done"
        self._done(what)

    def _failed(self, _error: BaseException) -> None:  # a failed preload only means the first race loads them itself
        self.state = "failed"
