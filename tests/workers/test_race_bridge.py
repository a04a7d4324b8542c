"""The batching Qt bridge: steps from worker threads reach the GUI thread in batches, in order, and never after detach."""

from __future__ import annotations

import threading
import time

from modelrace.models.trainers.protocol import Step
from modelrace.workers.race_bridge import BATCH_SECONDS, RaceBridge


def _step(i: int, model: str = "rf") -> Step:
    return Step(model, i, "tree", 1000, 0.001 * i, 0.001 * i, 0.5, 1.0)


def _feed(bridge: RaceBridge, count: int, pause: float, model: str = "rf", finish: bool = True) -> threading.Thread:
    def run() -> None:
        bridge.observer.model_started(model)
        for i in range(1, count + 1):
            bridge.observer.step(_step(i, model))
            time.sleep(pause)
        if finish:
            bridge.observer.model_finished(model, {"status": "finished"})

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_steps_arrive_in_batches_at_most_about_20_a_second(qtbot) -> None:
    bridge = RaceBridge(1)
    batches: list[list[Step]] = []
    bridge.stepsReady.connect(lambda run, steps: batches.append(steps))
    start = time.monotonic()
    with qtbot.waitSignal(bridge.modelFinished, timeout=10_000):
        thread = _feed(bridge, 300, 0.002)
    elapsed = time.monotonic() - start
    thread.join()
    qtbot.wait(50)
    delivered = [s.step for batch in batches for s in batch]
    assert delivered == list(range(1, 301)), "every step arrives once, in order"
    assert len(batches) <= elapsed / BATCH_SECONDS + 2, f"{len(batches)} batches in {elapsed:.2f} s"
    assert len(batches) >= 3, "the curve grows while training, not only at the end"


def test_a_model_end_flushes_its_last_steps_before_it_is_reported(qtbot) -> None:
    bridge = RaceBridge(1)
    events: list[tuple] = []
    bridge.modelStarted.connect(lambda run, key: events.append(("started", key)))
    bridge.stepsReady.connect(lambda run, steps: events.extend(("step", s.step) for s in steps))
    bridge.modelFinished.connect(lambda run, key, entry: events.append(("finished", key)))
    with qtbot.waitSignal(bridge.modelFinished, timeout=5000):
        _feed(bridge, 3, 0.0).join()  # 3 quick steps: the later ones wait in the buffer for the flush
    assert events == [("started", "rf"), ("step", 1), ("step", 2), ("step", 3), ("finished", "rf")]


def test_a_detached_bridge_emits_nothing_more(qtbot) -> None:
    bridge = RaceBridge(1)
    after: list[object] = []
    thread = _feed(bridge, 400, 0.002, finish=False)
    qtbot.wait(150)
    bridge.detach()
    assert bridge.stop.is_set(), "detaching also stops the run"
    qtbot.wait(20)  # batches queued before the detach may still be delivered
    for signal in (bridge.stepsReady, bridge.modelFinished, bridge.planReady, bridge.repeatFinished):
        signal.connect(lambda *args: after.append(args))
    thread.join()
    bridge.observer.model_finished("rf", {"status": "stopped"})
    bridge.observer.repeat_finished(0, {})
    qtbot.wait(200)
    assert after == []


def test_request_stop_reaches_the_trainers_without_detaching(qtbot) -> None:
    bridge = RaceBridge(7)
    bridge.request_stop()
    assert bridge.stop.is_set() and not bridge.detached
    with qtbot.waitSignal(bridge.modelFinished, timeout=2000) as blocker:
        bridge.observer.model_finished("xgb", {"status": "stopped"})
    assert blocker.args == [7, "xgb", {"status": "stopped"}]
