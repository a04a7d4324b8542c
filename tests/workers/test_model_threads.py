"""One QThread per model: each work runs in a QThread of its own, and every thread ends and is deleted."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from shiboken6 import isValid

from modelrace.workers.model_threads import QThreadWorkers


def test_each_worker_runs_in_its_own_qthread_then_is_deleted(qtbot) -> None:
    baseline = threading.active_count()
    workers = QThreadWorkers()
    seen: dict[str, QThread] = {}
    gui = QThread.currentThread()

    def work(name: str) -> None:
        seen[name] = QThread.currentThread()
        helper = threading.Thread(target=lambda: None)  # Python's threading registers this QThread (a dummy)
        helper.start()
        helper.join()

    done = {name: workers.start(name, lambda name=name: work(name)) for name in ("mlp", "rf", "xgb")}
    qtbot.waitUntil(lambda: all(event.is_set() for event in done.values()), timeout=10_000)  # started by the event loop
    assert workers.wait(5000)
    assert set(seen) == {"mlp", "rf", "xgb"}
    assert len({id(thread) for thread in seen.values()}) == 3 and gui not in seen.values()
    assert all(seen[name] is workers.started[name] for name in seen), "the thread it ran in is the one started for it"
    qtbot.waitUntil(workers.deleted, timeout=5000)
    assert not any(isValid(thread) for thread in seen.values())
    assert threading.active_count() == baseline, "no record of the finished QThreads is left in threading"


def test_a_failing_work_still_ends_its_thread(qtbot) -> None:
    workers = QThreadWorkers()

    def broken() -> None:
        raise RuntimeError("the engine reports its own failures; this must not hang the thread")

    with qtbot.capture_exceptions() as raised:
        done = workers.start("broken", broken)
        qtbot.waitUntil(done.is_set, timeout=10_000)
        assert workers.wait(5000)
        qtbot.waitUntil(workers.deleted, timeout=5000)
    assert [type(e[1]) for e in raised] == [RuntimeError]


def test_a_closed_launcher_starts_nothing_and_releases_its_waiters(qtbot) -> None:
    workers = QThreadWorkers()
    ran: list[str] = []
    pending = workers.start("queued", lambda: ran.append("queued"))  # asked for, not yet started by the event loop
    workers.close()
    assert pending.is_set(), "whoever waits for it goes on"
    late = workers.start("late", lambda: ran.append("late"))
    assert late.is_set()
    qtbot.wait(200)
    assert ran == [] and workers.started == {} and workers.wait(0)
