"""One QThread per model: the window's way for the engine to start each trainer (see models.race.workers).

Every QThread here is made, started and deleted on the GUI thread, and no Python-subclassed
QObject is ever destroyed anywhere else (that destruction takes Qt's connection lock and then
waits for the GIL, which the GUI thread may hold while it waits for that lock):

- the engine's coordinating thread asks for a worker through :class:`ThreadRequests`, which only
  puts a plain :class:`StartThread` request on the run's port (``workers.event_relay``);
- the GUI thread, draining the relay, makes a :class:`WorkThread` and starts it. Its ``run()``
  calls the trainer's work directly: there is no worker object and no event loop in the thread,
  and the thread emits nothing of ours;
- the GUI thread reaps it after each drain, once ``wait(0)`` says it has ended, with
  ``deleteLater`` (the QThread lives in the GUI thread, so that is where Qt deletes it).
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QThread
from shiboken6 import isValid

from modelrace.models.system.cpu_load import WARN_SHARE
from modelrace.models.system.thread_priority import lower_thread_priority
from modelrace.workers.event_relay import Port, relay

#: Nice levels the trainers run below the window on a quiet machine, so the event loop wins the CPU
#: when both want it (bench_event_loop_stall.py on 2 cores: max gap 54 ms at 5, 95-112 ms at 0).
QUIET_NICENESS = 5
#: ... and on a busy one, where at 5 they lost the CPU to every other program and the machine, not the
#: models, decided the race (bench_under_load.py: the forest 1.37x its bare fit in the window at 5,
#: 1.21x at 0). There the window still measured p99 26.5 ms, max 85 ms.
BUSY_NICENESS = 0
#: Seconds the process waits, as it exits, for a work thread still running (a stopped trainer ends at its next step).
EXIT_WAIT_SECONDS = 10.0


def trainer_niceness(others_share: float) -> int:
    """The nice level for a race's trainers, given the CPU share other programs use as it starts."""
    return BUSY_NICENESS if others_share >= WARN_SHARE else QUIET_NICENESS


@dataclass(frozen=True)
class StartThread:
    """A request, from a background thread, that the GUI thread run ``work`` in a new QThread named ``name``."""

    name: str
    work: Callable[[], None]
    niceness: int
    done: threading.Event = field(default_factory=threading.Event)

    def dropped(self) -> None:
        """Nobody will start it (the run was stopped or replaced): release whoever waits."""
        self.done.set()


class ThreadRequests:
    """The engine's :class:`~modelrace.models.race.workers.Workers` for the window: each start is a request on ``port``.

    Plain Python, safe on any thread; the GUI thread does the starting (see the module's docstring).
    """

    kind = "QThread"

    def __init__(self, port: Port) -> None:
        self._port = port
        self.niceness = QUIET_NICENESS  # the race sets it as it starts (see trainer_niceness)

    def start(self, name: str, work: Callable[[], None]) -> threading.Event:
        """Ask for ``work`` to run in a new QThread; the event is set when it has returned, or will never run."""
        request = StartThread(name, work, self.niceness)
        if not self._port.put(request):  # the run is over: it never starts
            request.done.set()
        return request.done


class WorkThread(QThread):
    """A QThread whose ``run()`` calls ``work`` once; made, started and deleted on the GUI thread."""

    def __init__(self, name: str, work: Callable[[], None], done: threading.Event | None = None,
                 niceness: int = 0) -> None:
        super().__init__()
        self.setObjectName(name)
        self._work: Callable[[], None] | None = work
        self.done = done or threading.Event()
        self._niceness = niceness

    def run(self) -> None:  # noqa: D401 - Qt override
        """Run the work in this thread (the work reports its own failures; one that escapes is printed)."""
        try:
            lower_thread_priority(self._niceness)
            work, self._work = self._work, None  # the race's data and models: nothing of them outlives the work
            if work is not None:
                work()
        finally:
            _forget_python_record()
            self.done.set()


class ModelThreads:
    """The QThreads of one run: starts each request, and deletes each thread once it has ended (GUI thread only)."""

    def __init__(self) -> None:
        self._all: list[WorkThread] = []
        self.started: dict[str, WorkThread] = {}  # model worker name -> its thread (for tests and the log)
        self._closed = False

    def start(self, request: StartThread) -> None:
        """Start ``request`` in a QThread of its own (or release it at once once :meth:`close` was called)."""
        if self._closed:
            request.dropped()
            return
        thread = start_work_thread(request.name, request.work, request.done, request.niceness)
        self._all.append(thread)
        self.started[request.name] = thread

    def close(self) -> None:
        """Start nothing more."""
        self._closed = True

    def wait(self, milliseconds: int) -> bool:
        """Wait up to ``milliseconds`` in all for every started thread to finish; True if they all did."""
        return _wait_all(self._all, milliseconds)

    def deleted(self) -> bool:
        """True once Qt has deleted every thread this started."""
        return all(not isValid(thread) for thread in self._all)


#: Every WorkThread started in this process and not yet deleted (the exit guard waits for them).
_running: list[WorkThread] = []
_guard_installed = False
_reaper_ticking = False


def start_work_thread(name: str, work: Callable[[], None], done: threading.Event | None = None,
                      niceness: int = 0) -> WorkThread:
    """Make and start a :class:`WorkThread` (GUI thread only); it is deleted by the reaper once it has ended."""
    global _guard_installed
    thread = WorkThread(name, work, done, niceness)
    _running.append(thread)
    if not _guard_installed:
        atexit.register(_finish_at_exit)
        _guard_installed = True
    thread.start()
    _reap_after_drains()
    return thread


def reap_ended() -> bool:
    """Delete every work thread of the process that has ended; True while some still run."""
    _running[:] = [thread for thread in _running if not _delete_if_ended(thread)]
    return bool(_running)


def _reap_after_drains() -> None:
    """Have the relay reap ended threads after each drain, for as long as any runs."""
    global _reaper_ticking
    if not _reaper_ticking:
        _reaper_ticking = True
        relay().keep_ticking(_reap_tick)


def _reap_tick() -> bool:
    global _reaper_ticking
    _reaper_ticking = reap_ended()
    return _reaper_ticking


def running_threads() -> list[WorkThread]:
    """The work threads of this process that are still running."""
    return [thread for thread in _running if isValid(thread) and not thread.isFinished()]


def wait_for_all(milliseconds: int) -> bool:
    """Wait up to ``milliseconds`` for every work thread of the process; True if none still runs."""
    return _wait_all(_running, milliseconds)


def _delete_if_ended(thread: WorkThread) -> bool:
    """Delete ``thread`` (later, on this GUI thread) if it has ended; True if it has, or was already deleted."""
    if not isValid(thread):
        return True
    if not thread.wait(0):  # never blocks; True once the thread has fully finished
        return False
    thread.deleteLater()
    return True


def _wait_all(threads: list[WorkThread], milliseconds: int) -> bool:
    deadline = time.monotonic() + milliseconds / 1000
    for thread in list(threads):
        left = max(0, int(1000 * (deadline - time.monotonic())))
        if isValid(thread) and not thread.wait(left):
            return False
    return True


def _finish_at_exit() -> None:
    """As the process exits: wait for work threads still running, and never destroy one that still runs.

    A script may close the window and end without returning to the event loop; Python would then
    destroy the last QThread wrappers while their threads run, and Qt aborts the process ("QThread:
    Destroyed while thread is still running"). A stopped trainer ends at its next step, so waiting
    is usually enough. A thread that still runs (a library load cannot be interrupted) is handed to
    the main thread's own QThread object, which Qt never deletes before the process ends: PySide
    destroys every QObject that Python owns as the application goes, whatever its reference count,
    but not one with a parent. The operating system then ends the thread with the process.
    """
    if wait_for_all(int(EXIT_WAIT_SECONDS * 1000)):
        return
    main = QThread.currentThread()
    for thread in running_threads():
        if thread.thread() == main:  # the exit runs on the GUI thread, where every work thread was made
            thread.setParent(main)


def _forget_python_record() -> None:
    """Drop the record Python's threading module made of this QThread, which it would otherwise keep forever.

    Still needed: the trainers run Python code in a thread Python did not start, and code there
    (logging, joblib, ``threading.Thread()``) makes ``threading`` register a ``_DummyThread`` for it.
    Python 3.11 never removes those, so each race would leave three behind (``threading.active_count()``
    would grow by 3 per race in a long lesson). tests/workers/test_model_threads.py pins this.
    """
    records = threading._active  # type: ignore[attr-defined]  # private to threading: not in typeshed  # noqa: SLF001
    record = records.get(threading.get_ident())
    if isinstance(record, threading._DummyThread):  # noqa: SLF001
        with threading._active_limbo_lock:  # type: ignore[attr-defined]  # private to threading: not in typeshed  # noqa: SLF001
            records.pop(threading.get_ident(), None)
