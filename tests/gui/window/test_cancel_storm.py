"""Cancel storm: Run and Stop 50 times in quick succession, in both modes, then one race to the end.

Afterwards: no crash and no Qt warning (pytest-qt fails the test on any), the thread count is back
to its baseline, no point from an older run reached the plots, and the last run is complete and
correct.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.data.opening import open_dataset
from modelrace.models.judging.headline import headline
from modelrace.models.race.events import Steps

STORM = 50
RACE_TIMEOUT_MS = 180_000


@pytest.mark.parametrize("mode", ["fair", "simultaneous"])
def test_run_stop_50_times_then_a_clean_race(mode: str, qtbot, sample_file: Path) -> None:
    dataset = open_dataset(str(sample_file))
    win = MainWindow()
    qtbot.addWidget(win)
    win.dataset_panel.refresh(select=dataset.name)
    win.apply_preset("quick")
    win.controls.mode.setCurrentText(mode)
    win.dataset_panel.rows.setValue(3000)
    win.show()

    late: list[tuple[int, int]] = []  # (batch's run, current run) for every batch handed to the window
    original_handle = win.session._handle

    def spying_handle(run_id: int, item: object) -> None:
        if isinstance(item, Steps):
            late.append((run_id, win.session.run_id))
        original_handle(run_id, item)

    win.session._handle = spying_handle  # every later Run opens its port with it

    with qtbot.waitSignal(win.raceFinished, timeout=RACE_TIMEOUT_MS):  # warm-up: libraries loaded, pool threads up
        qtbot.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: threading.active_count() <= _settled_count(), timeout=10_000)
    baseline = threading.active_count()

    first_run = win.session.run_id
    rng = random.Random(mode)
    for _ in range(STORM):
        qtbot.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
        qtbot.wait(rng.randint(0, 40))
        qtbot.keyClick(win, Qt.Key.Key_Escape)
        qtbot.wait(rng.randint(0, 10))

    with qtbot.waitSignal(win.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert win.session.run_id == first_run + STORM + 1, "every Run click started a run"
    qtbot.wait(1500)  # any late batch of an older run would land by now

    assert late and all(run == current for run, current in late), f"points of an older run were passed on: {late[:5]}"
    assert not result["race"]["stopped"]
    for key in ("mlp", "rf", "xgb"):
        model = result["models"][key]
        assert model["status"] == "finished" and len(model["curve"]) >= 20
        assert win.plots.point_count(key) == len(model["curve"]), "the plot holds exactly the last run's points"
    assert win.banner.text() == headline(result) and win.banner.details_text() == result["verdict"]["text"]
    assert win.controls.run_button.isEnabled() and not win.controls.stop_button.isEnabled()
    qtbot.waitUntil(lambda: threading.active_count() <= baseline, timeout=30_000)


def _settled_count() -> int:
    """Threads other than trainer and monitor threads (those end with their race)."""
    return sum(1 for t in threading.enumerate() if not t.name.startswith("modelrace-"))
