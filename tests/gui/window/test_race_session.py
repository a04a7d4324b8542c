"""The race session's states: idle → loading → racing → idle; Stop; a failed start; a forgotten run stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelrace.gui.window.race_session import RaceSession
from modelrace.models.data.opening import open_dataset
from modelrace.models.race.events import DatasetOpened, ModelStarted, RaceEvent, Steps
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings

TIMEOUT_MS = 120_000


@pytest.fixture
def session(qtbot) -> RaceSession:
    session = RaceSession()
    yield session
    assert session.shutdown(5000)


@pytest.fixture
def dataset_name(sample_file: Path) -> str:
    return open_dataset(str(sample_file)).name


def record(session: RaceSession) -> list[str]:
    phases: list[str] = []
    session.phaseChanged.connect(phases.append)
    return phases


def is_steps(event: RaceEvent) -> bool:
    return isinstance(event, Steps)


def test_a_race_goes_idle_loading_racing_idle(qtbot, session: RaceSession, dataset_name: str) -> None:
    phases = record(session)
    events: list[RaceEvent] = []
    session.event.connect(events.append)
    assert session.phase == "idle" and not session.running
    with qtbot.waitSignal(session.finished, timeout=TIMEOUT_MS) as blocker:
        run_id = session.start(dataset_name, RaceSettings(load_preset("quick"), ["rf"], rows=2000))
        assert session.running and session.phase == "loading"
    assert run_id == session.run_id == 1
    assert phases == ["loading", "racing", "idle"] and not session.running
    result = blocker.args[0]
    steps = [s for e in events if isinstance(e, Steps) for s in e.steps]
    assert result["models"]["rf"]["status"] == "finished" and len(steps) == len(result["models"]["rf"]["curve"])
    assert isinstance(events[0], DatasetOpened) and events[0].dataset["name"] == dataset_name
    assert [type(e).__name__ for e in events if not isinstance(e, Steps)] == [
        "DatasetOpened", "RaceStarted", "ModelStarted", "ModelFinished"]
    assert not session.stop(), "nothing runs any more"


def test_stop_goes_through_stopping_and_keeps_the_partial_model(qtbot, session: RaceSession, dataset_name: str) -> None:
    phases = record(session)
    settings = RaceSettings(load_preset("tutorial"), ["mlp", "rf"], rows=4000)
    session.start(dataset_name, settings)
    with qtbot.waitSignal(session.event, timeout=TIMEOUT_MS, check_params_cb=is_steps):
        pass
    with qtbot.waitSignal(session.finished, timeout=TIMEOUT_MS) as blocker:
        assert session.stop()
        assert session.phase == "stopping"
    assert phases == ["loading", "racing", "stopping", "idle"]
    models = blocker.args[0]["models"]
    assert models["mlp"]["status"] == "stopped" and models["rf"]["status"] == "skipped"


def test_stop_before_the_data_has_opened_reports_an_early_stop(qtbot, session: RaceSession, dataset_name: str) -> None:
    finished: list[object] = []
    session.finished.connect(finished.append)
    with qtbot.waitSignal(session.stoppedEarly, timeout=TIMEOUT_MS):
        session.start(dataset_name, RaceSettings(load_preset("quick"), ["rf"], rows=2000))
        session.stop()
    assert session.phase == "idle" and finished == []


def test_a_race_that_cannot_start_fails_with_the_error_and_goes_idle(qtbot, session: RaceSession) -> None:
    phases = record(session)
    with qtbot.waitSignal(session.failed, timeout=TIMEOUT_MS) as blocker:
        session.start("no-such-dataset", RaceSettings(load_preset("quick"), ["rf"]))
    assert "no dataset named 'no-such-dataset'" in str(blocker.args[0])
    assert phases == ["loading", "idle"]


def test_a_new_run_silences_the_old_one(qtbot, session: RaceSession, dataset_name: str) -> None:
    settings = RaceSettings(load_preset("tutorial"), ["mlp"], rows=4000)
    session.start(dataset_name, settings)
    with qtbot.waitSignal(session.event, timeout=TIMEOUT_MS, check_params_cb=is_steps):
        pass
    first = session.channel
    results: list[dict] = []
    models: list[str] = []
    session.finished.connect(results.append)
    session.event.connect(lambda e: isinstance(e, Steps) and models.extend(s.model for s in e.steps))
    with qtbot.waitSignal(session.finished, timeout=TIMEOUT_MS):
        second = session.start(dataset_name, RaceSettings(load_preset("quick"), ["rf"], rows=2000))
    assert first is not None and first.stop.is_set() and first.port.closed
    assert second == 2 and len(results) == 1 and set(results[0]["race"]["models"]) == {"rf"}
    qtbot.wait(500)
    assert len(results) == 1, "the first run's result never arrives"
    assert set(models) == {"rf"}, "no step of the first run's MLP arrived after the second Run"


def test_detach_drops_everything_still_on_its_way(qtbot, session: RaceSession, dataset_name: str) -> None:
    arrived: list[object] = []
    for signal in (session.event, session.finished, session.failed, session.stoppedEarly):
        signal.connect(lambda *args: arrived.append(args))
    session.start(dataset_name, RaceSettings(load_preset("quick"), ["rf", "xgb"], rows=3000))
    with qtbot.waitSignal(session.event, timeout=TIMEOUT_MS, check_params_cb=lambda e: isinstance(e, ModelStarted)):
        pass
    arrived.clear()
    session.detach()
    assert session.phase == "idle"
    assert session.shutdown(10_000), "the detached run winds down"
    qtbot.wait(300)
    assert arrived == []


def test_finished_runs_leave_nothing_behind(qtbot, session: RaceSession, dataset_name: str) -> None:
    """A day of races: each run's channel and threads go once it has ended; the session does not grow."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    gone: list[weakref.ref] = []
    counts: list[int] = []
    for _ in range(3):
        with qtbot.waitSignal(session.finished, timeout=TIMEOUT_MS):
            session.start(dataset_name, RaceSettings(load_preset("quick"), ["rf"], rows=2000))
        gone += [weakref.ref(session.channel), weakref.ref(session.workers)]
        counts.append(len(session.children()))
    session.detach()
    qtbot.wait(300)  # let the reaper and the queued deletions run
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert session.shutdown(5000)
    gc.collect()
    assert counts[0] == counts[-1]
    assert [ref() for ref in gone] == [None] * len(gone)
