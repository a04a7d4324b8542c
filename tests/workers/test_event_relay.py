"""The relay: items from any thread reach the GUI thread in order, in batches at most ~20 a second, never after close."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QDialog

from modelrace.models.race.events import ModelFinished, ModelStarted, RaceEvent, Steps
from modelrace.models.trainers.protocol import Step
from modelrace.workers.event_relay import DRAIN_MS, EventRelay
from modelrace.workers.model_threads import StartThread


def _step(i: int, model: str = "rf") -> Step:
    return Step(model, i, "tree", 1000, 0.001 * i, 0.001 * i, 0.5, 1.0)


def _feed(put, count: int, pause: float, model: str = "rf", finish: bool = True) -> threading.Thread:
    def run() -> None:
        put(ModelStarted(model))
        for i in range(1, count + 1):
            put(Steps((_step(i, model),)))
            time.sleep(pause)
        if finish:
            put(ModelFinished(model, {"status": "finished"}))

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_items_from_a_thread_arrive_on_the_gui_thread_in_order_with_steps_batched(qtbot) -> None:
    relay = EventRelay()
    seen: list[RaceEvent] = []
    threads: set = set()

    def handle(event: RaceEvent) -> None:
        seen.append(event)
        threads.add(QThread.currentThread())

    port = relay.open(handle)
    start = time.monotonic()
    thread = _feed(port.put, 300, 0.002)
    qtbot.waitUntil(lambda: bool(seen) and isinstance(seen[-1], ModelFinished), timeout=10_000)
    elapsed = time.monotonic() - start
    thread.join()
    assert threads == {QThread.currentThread()}, "every item is handed out on the GUI thread"
    assert isinstance(seen[0], ModelStarted)
    batches = [e for e in seen if isinstance(e, Steps)]
    assert [s.step for b in batches for s in b.steps] == list(range(1, 301)), "every step arrives once, in order"
    assert 3 <= len(batches) <= elapsed / (DRAIN_MS / 1000) + 2, f"{len(batches)} batches in {elapsed:.2f} s"
    relay.close(port)


def test_a_closed_port_hands_out_nothing_more_and_releases_waiting_requests(qtbot) -> None:
    relay = EventRelay()
    after: list[object] = []
    closed = threading.Event()

    def handle(item: object) -> None:
        if closed.is_set():
            after.append(item)

    port = relay.open(handle)
    thread = _feed(port.put, 400, 0.002, finish=False)
    qtbot.wait(150)
    request = StartThread("modelrace-x", lambda: None, 0)
    assert port.put(request), "queued, not yet handed out"
    relay.close(port)
    closed.set()
    thread.join()
    assert not port.put(ModelFinished("rf", {"status": "stopped"})), "a closed port takes nothing"
    qtbot.waitUntil(request.done.is_set, timeout=2000)  # dropped unread: whoever waits goes on
    qtbot.wait(200)
    assert after == []


def test_a_handler_that_opens_a_modal_loop_still_sees_items_in_order(qtbot) -> None:
    """A nested event loop (a message box) drains again: later items must not overtake earlier ones."""
    relay = EventRelay()
    seen: list[str] = []

    def handle(event: RaceEvent) -> None:
        seen.append(type(event).__name__ + (f"-{event.model}" if hasattr(event, "model") else ""))
        if isinstance(event, ModelStarted) and event.model == "rf":
            dialog = QDialog()
            threading.Thread(target=lambda: (port.put(ModelStarted("late")), time.sleep(0.3))).start()
            qtbot.wait(10)
            dialog.open()
            qtbot.waitUntil(lambda: "ModelStarted-late" in seen, timeout=5000)  # the nested loop drains
            dialog.close()

    port = relay.open(handle)
    port.put(ModelStarted("rf"))
    port.put(ModelFinished("rf", {"status": "finished"}))
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen == ["ModelStarted-rf", "ModelFinished-rf", "ModelStarted-late"]
    relay.close(port)
