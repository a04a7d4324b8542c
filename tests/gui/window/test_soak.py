"""A long day in one window: 50 races with Run, Stop, repeats and Open results mixed in.

The first four actions are one of each kind (repeats, a stopped race, opening a result, a race), so
every path has run once before the baseline; then races, with every fourth action another kind in
turn, ending on a race. After the baseline, resident memory may grow by at most 5% over the other
46 actions, and the counts of Python threads, QThreads and plot items come back to where they were.
Marked ``soak``: `.ci/run` runs it after the default suite (`pytest -m soak -s` prints the figures).
"""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import Qt, QThread

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.data.opening import open_dataset

ACTIONS = 50
BASELINE_AFTER = 4  # one of each kind of action, the last a plain race
KINDS = ("repeats", "stop", "open", "race")
RACE_TIMEOUT_MS = 180_000


def plot_items(window: MainWindow) -> int:
    return sum(len(plot.getPlotItem().items) for plot in (window.plots.accuracy, window.plots.loss))


def live_qthreads() -> int:
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, QThread))


@pytest.mark.soak
def test_fifty_races_in_one_window(qtbot, sample_file: Path, tmp_path: Path) -> None:
    dataset = open_dataset(str(sample_file))
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.dataset_panel.refresh(select=dataset.name)
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(2000)
    window.show()
    process = psutil.Process()

    def race() -> dict:
        with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
            qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
        return blocker.args[0]

    saved = tmp_path / "saved.json"
    baseline: dict[str, float] = {}
    rss: list[float] = []
    start = time.monotonic()
    for action in range(ACTIONS):
        if action < BASELINE_AFTER:
            kind = KINDS[action]
        else:  # mostly races; every fourth action (never the last) one of the others in turn
            kind = KINDS[(action // 4) % 3] if action % 4 == 2 else "race"
        if kind == "race":
            result = race()
            assert all(m["status"] == "finished" for m in result["models"].values())
        elif kind == "repeats":
            window.controls.repeats.setValue(2)
            assert race()["repeats"]["count"] == 2
            window.controls.repeats.setValue(1)
            if not saved.exists():
                assert window.save_results(saved)  # for the "open" actions
        elif kind == "stop":
            with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS):
                qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
                qtbot.waitUntil(lambda: window.plots.point_count("mlp") >= 2, timeout=RACE_TIMEOUT_MS)
                qtbot.keyClick(window, Qt.Key.Key_Escape)
        else:
            assert window.open_results(saved)
        qtbot.wait(100)
        gc.collect()
        rss.append(process.memory_info().rss / 1e6)
        if action + 1 == BASELINE_AFTER:
            qtbot.wait(1000)  # let finished workers' threads end
            baseline = {"rss": rss[-1], "threads": threading.active_count(), "qthreads": live_qthreads(),
                        "items": plot_items(window)}
    qtbot.waitUntil(lambda: threading.active_count() <= baseline["threads"], timeout=30_000)
    growth = rss[-1] / baseline["rss"] - 1
    print(f"\nsoak: {ACTIONS} actions in {time.monotonic() - start:.0f} s; RSS after race {BASELINE_AFTER} "
          f"{baseline['rss']:.0f} MB, at the end {rss[-1]:.0f} MB ({100 * growth:+.1f}%), peak {max(rss):.0f} MB; "
          f"threads {threading.active_count()} (baseline {baseline['threads']}), QThreads {live_qthreads()} "
          f"(baseline {baseline['qthreads']}), plot items {plot_items(window)} (baseline {baseline['items']})")
    print("RSS by action:", " ".join(f"{v:.0f}" for v in rss))
    assert growth <= 0.05, f"resident memory grew {100 * growth:.1f}% after race {BASELINE_AFTER}: {rss}"
    assert live_qthreads() <= baseline["qthreads"]
    assert plot_items(window) == baseline["items"]
