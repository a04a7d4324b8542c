"""One QThread per model: requested from any thread, made, started and deleted on the GUI thread, never left running."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

from PySide6.QtCore import QThread
from shiboken6 import isValid

from modelrace.workers.event_relay import relay
from modelrace.workers.model_threads import ModelThreads, StartThread, ThreadRequests


def _serve(threads: ModelThreads):
    """A port whose start requests ``threads`` serves on the GUI thread, as the window's session does."""
    made_on: list[QThread] = []

    def handle(item: object) -> None:
        if isinstance(item, StartThread):
            made_on.append(QThread.currentThread())
            threads.start(item)

    return relay().open(handle), made_on


def test_each_work_runs_in_its_own_qthread_made_on_the_gui_thread_then_deleted(qtbot) -> None:
    baseline = threading.active_count()
    threads = ModelThreads()
    port, made_on = _serve(threads)
    requests = ThreadRequests(port)
    seen: dict[str, QThread] = {}
    gui = QThread.currentThread()

    def work(name: str) -> None:
        seen[name] = QThread.currentThread()
        helper = threading.Thread(target=lambda: None)  # Python's threading registers this QThread (a dummy)
        helper.start()
        helper.join()

    done: dict[str, threading.Event] = {}
    asker = threading.Thread(target=lambda: done.update(
        {name: requests.start(name, lambda name=name: work(name)) for name in ("mlp", "rf", "xgb")}))
    asker.start()  # the engine asks from its coordinating thread
    asker.join()
    qtbot.waitUntil(lambda: all(event.is_set() for event in done.values()), timeout=10_000)
    assert threads.wait(5000)
    assert made_on == [gui] * 3, "every QThread is made on the GUI thread"
    assert set(seen) == {"mlp", "rf", "xgb"}
    assert len({id(thread) for thread in seen.values()}) == 3 and gui not in seen.values()
    assert all(seen[name] is threads.started[name] for name in seen), "the thread it ran in is the one started for it"
    qtbot.waitUntil(threads.deleted, timeout=5000)
    assert not any(isValid(thread) for thread in seen.values())
    # Pins _forget_python_record: Python 3.11 would keep a _DummyThread record of each QThread for ever.
    assert threading.active_count() == baseline, "no record of the finished QThreads is left in threading"
    relay().close(port)


def test_a_failing_work_still_ends_its_thread(qtbot) -> None:
    threads = ModelThreads()
    port, _ = _serve(threads)

    def broken() -> None:
        raise RuntimeError("the engine reports its own failures; this must not hang the thread")

    with qtbot.capture_exceptions():
        done = ThreadRequests(port).start("broken", broken)
        qtbot.waitUntil(done.is_set, timeout=10_000)
        assert threads.wait(5000)
        qtbot.waitUntil(threads.deleted, timeout=5000)
    relay().close(port)


def test_a_finished_run_starts_nothing_and_releases_its_waiters(qtbot) -> None:
    threads = ModelThreads()
    port, _ = _serve(threads)
    requests = ThreadRequests(port)
    ran: list[str] = []
    pending = requests.start("queued", lambda: ran.append("queued"))  # asked for, not yet handed to the GUI thread
    relay().close(port)  # the run was stopped or replaced
    late = requests.start("late", lambda: ran.append("late"))
    assert late.is_set(), "asked after the close: released at once"
    qtbot.waitUntil(pending.is_set, timeout=2000)
    qtbot.wait(200)
    assert ran == [] and threads.started == {} and threads.wait(0)


def test_a_process_that_ends_while_a_work_thread_runs_exits_cleanly(tmp_path) -> None:
    """No event loop after the start, and the script ends while the QThread still works: no Qt abort."""
    script = tmp_path / "ends.py"
    script.write_text(textwrap.dedent("""
        import sys, time
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from modelrace.workers import model_threads
        model_threads.EXIT_WAIT_SECONDS = 0.5
        model_threads.start_work_thread("modelrace-slow", lambda: time.sleep(3))
        print("started", flush=True)
    """))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "started" in done.stdout
    assert "Destroyed while thread" not in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
