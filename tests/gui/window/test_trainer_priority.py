"""In the window the trainers yield the CPU to the window on a quiet machine only: on a busy one they keep
full priority, so that other programs, not the race, give way (the timings stay fair)."""

from __future__ import annotations

import os
import threading

import pytest

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.system.cpu_load import WARN_SHARE
from modelrace.models.race.events import Steps
from modelrace.workers import race_runs
from modelrace.workers.race_runs import RunChannel
from modelrace.workers.model_threads import BUSY_NICENESS, QUIET_NICENESS, trainer_niceness

RACE_TIMEOUT_MS = 180_000


def test_the_level_follows_the_other_programs_share() -> None:
    assert QUIET_NICENESS > BUSY_NICENESS == 0
    assert trainer_niceness(0.0) == trainer_niceness(WARN_SHARE * 0.9) == QUIET_NICENESS
    assert trainer_niceness(WARN_SHARE) == trainer_niceness(0.8) == BUSY_NICENESS


def race_and_read_niceness(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """Race the forest alone and return the nice levels (relative to the process) its steps came from."""
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(2000)
    for key, card in window.cards.items():
        card.setChecked(key == "rf")
    levels: set[int] = set()
    base = os.getpriority(os.PRIO_PROCESS, os.getpid())
    put = RunChannel.put

    def recording_put(channel: RunChannel, event: object) -> None:
        if isinstance(event, Steps):  # put from the trainer's own thread
            levels.add(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) - base)
        put(channel, event)  # type: ignore[arg-type]

    monkeypatch.setattr(RunChannel, "put", recording_put)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS):
        window.run_race()
    return levels


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="per-thread nice levels are Linux's")
def test_a_quiet_machine_lowers_the_trainers(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[float] = []
    monkeypatch.setattr(race_runs, "others_share_now", lambda: seen.append(0.0) or 0.0)
    assert race_and_read_niceness(qtbot, window, monkeypatch) == {QUIET_NICENESS}
    assert seen == [0.0], "the race looked at the machine once, as it started"


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="per-thread nice levels are Linux's")
def test_a_busy_machine_keeps_them_at_full_priority(qtbot, window: MainWindow, busy_machine,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert race_and_read_niceness(qtbot, window, monkeypatch) == {BUSY_NICENESS}
