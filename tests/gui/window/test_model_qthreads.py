"""In the window, each model trains in a QThread of its own, and every one of them is finished and deleted
after a finished race, after Stop, and after closing mid-race."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QThread
from shiboken6 import isValid

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.race.events import Steps
from modelrace.workers.race_runs import RunChannel

RACE_TIMEOUT_MS = 180_000


def start_recording(window: MainWindow, monkeypatch) -> dict[str, set]:  # type: ignore[no-untyped-def]
    """Start a race and record the QThread every step is reported from (as it goes into the run's queue)."""
    origins: dict[str, set] = {}
    put = RunChannel.put

    def recording_put(channel: RunChannel, event: object) -> None:
        if isinstance(event, Steps):
            for step in event.steps:
                origins.setdefault(step.model, set()).add(QThread.currentThread())
        put(channel, event)  # type: ignore[arg-type]

    monkeypatch.setattr(RunChannel, "put", recording_put)
    window.run_race()
    return origins


def test_each_model_reports_from_its_own_qthread_and_every_thread_is_deleted(qtbot, window: MainWindow,
                                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(3000)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        origins = start_recording(window, monkeypatch)
    workers = window.session.workers
    result = blocker.args[0]
    assert sorted(origins) == ["mlp", "rf", "xgb"]
    threads = {key: origins[key] for key in origins}
    assert all(len(found) == 1 for found in threads.values()), f"each model's steps come from one thread: {threads}"
    chosen = {key: next(iter(found)) for key, found in threads.items()}
    assert len({id(t) for t in chosen.values()}) == 3, "a distinct thread per model"
    assert QThread.currentThread() not in chosen.values(), "not the GUI thread"
    assert all(chosen[key] is workers.started[f"modelrace-{key}"] for key in chosen), "the QThread started for it"
    assert {m["worker"] for m in result["models"].values()} == {"QThread"}
    qtbot.waitUntil(workers.deleted, timeout=10_000)
    assert not any(isValid(thread) for thread in chosen.values())


def test_threads_end_and_are_deleted_after_stop(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.apply_preset("tutorial")
    origins = start_recording(window, monkeypatch)
    workers = window.session.workers
    qtbot.waitUntil(lambda: window.plots.point_count("mlp") >= 2, timeout=RACE_TIMEOUT_MS)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert blocker.args[0]["models"]["mlp"]["status"] == "stopped"
    assert list(workers.started) == ["modelrace-mlp"], "the models after the stopped one never started"
    assert origins["mlp"] == {workers.started["modelrace-mlp"]}
    qtbot.waitUntil(workers.deleted, timeout=10_000)


def test_threads_end_and_are_deleted_after_closing_mid_race(qtbot, window: MainWindow,
                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    baseline = threading.active_count()
    window.apply_preset("tutorial")
    start_recording(window, monkeypatch)
    workers = window.session.workers
    qtbot.waitUntil(lambda: window.plots.point_count("mlp") >= 1, timeout=RACE_TIMEOUT_MS)
    window.close()
    assert workers.wait(0), "closing waited for the model's thread to finish"
    qtbot.waitUntil(workers.deleted, timeout=10_000)
    qtbot.waitUntil(lambda: threading.active_count() <= baseline, timeout=10_000)
