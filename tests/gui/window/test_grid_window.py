"""A race grid from the window (offscreen): Run on local workers, the Cells tab, live curves, Stop, and closing."""

from __future__ import annotations

from pathlib import Path

import psutil
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from modelrace.gui.window.main_window import MainWindow
from modelrace.gui.window.run_on_box import LOCAL, SCHEDULER
from modelrace.models.cluster.events import CellFinished, CellStarted
from modelrace.models.race.events import Steps
from modelrace.models.results.files import load_result
from modelrace.models.system.environment import cpu_count
from modelrace.models.system.paths import grids_dir

GRID_TIMEOUT_MS = 240_000


def _workers_left() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True)
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(p.cmdline())]


def _grid_window(window: MainWindow, repeats: int, sizes: str = "") -> None:
    window.apply_preset("quick")
    window.cards["mlp"].setChecked(False)
    window.controls.repeats.setValue(repeats)
    window.controls.sizes.setText(sizes)
    if not sizes:
        window.dataset_panel.rows.setValue(2000)
    window.run_on.where.setCurrentText(LOCAL)
    window.run_on.workers.setValue(2)


def test_a_grid_on_local_workers_fills_the_cells_tab_with_live_curves(qtbot, window: MainWindow) -> None:
    _grid_window(window, repeats=2, sizes="500, 1000")
    assert window.run_on.workers.isVisibleTo(window) and not window.run_on.address.isVisibleTo(window)
    batches: list[tuple[str, int]] = []
    drawn: list[int] = []

    def on_steps(event) -> None:  # type: ignore[no-untyped-def]
        if isinstance(event, Steps) and event.cell is not None:
            batches.append((event.cell.key, len(event.steps)))
            drawn.append(sum(window.plots.point_count(key) for key in ("rf", "xgb")))

    window.session.event.connect(on_steps)
    with qtbot.waitSignal(window.raceFinished, timeout=GRID_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
        # While the workers start, the Cells tab says so (not "race a grid to see its cells").
        assert window.grid_table.caption.text().startswith("Starting the grid on 2 local workers")
    result = blocker.args[0]
    table = window.grid_table
    assert table.table.rowCount() == 4
    assert [table.text(row, 2) for row in range(4)] == ["finished"] * 4
    assert all(table.text(row, 3).startswith("tcp://127.0.0.1:") for row in range(4))
    assert len({key for key, _ in batches}) == 4 and len(batches) >= 8, "every cell streamed steps in batches"
    assert max(drawn) > 0, "the followed cell's curves grew while the grid ran"
    assert result["cluster"]["kind"] == "local" and result["size_curve"]["sizes"] == [500, 1000]
    assert window.size_curve.points == 2
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Cells"
    assert "2 local worker" in window.grid_table.caption.text()
    assert _workers_left() == []
    saved = load_result(window.session.grid_file)  # rewritten after every cell, in the data home
    assert [cell["state"] for cell in saved["cluster"]["cells"]] == ["finished"] * 4
    assert window.session.grid_file.parent == grids_dir()


def test_stop_mid_grid_keeps_the_finished_cells(qtbot, window: MainWindow) -> None:
    _grid_window(window, repeats=6)
    window.session.event.connect(lambda event: isinstance(event, CellFinished) and window.stop_race())
    with qtbot.waitSignal(window.raceFinished, timeout=GRID_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    states = [cell["state"] for cell in blocker.args[0]["cluster"]["cells"]]
    assert states.count("finished") >= 1 and "cancelled" in states, states
    assert "cancelled" in [window.grid_table.text(row, 2) for row in range(6)]
    assert _workers_left() == []


def test_closing_the_window_mid_grid_leaves_no_worker(qtbot, window: MainWindow) -> None:
    _grid_window(window, repeats=6)
    with qtbot.waitSignal(window.session.event, timeout=GRID_TIMEOUT_MS,
                          check_params_cb=lambda event: isinstance(event, CellStarted)):
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    window.close()
    qtbot.waitUntil(lambda: _workers_left() == [], timeout=30_000)  # a worker left behind fails here


def test_an_unreachable_scheduler_is_one_clear_message(qtbot, window: MainWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(str(args[2])))
    _grid_window(window, repeats=2)
    window.run_on.where.setCurrentText(SCHEDULER)
    window.run_on.address.setText("tcp://127.0.0.1:1")
    with qtbot.waitSignal(window.raceFailed, timeout=30_000):
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "tcp://127.0.0.1:1: cannot connect" in shown[0] and "\n" not in shown[0]
    assert not window.session.running


def test_a_saved_grid_opens_in_the_window(window: MainWindow, grid_run: dict) -> None:
    assert window.open_results(Path(grid_run["path"]))
    assert window.size_curve.points == 2
    assert window.results.table.rowCount() == 3
    assert window.banner.text()
    # The Cells tab shows the grid's cells as they ended, not the hint to race a grid.
    cells = grid_run["result"]["cluster"]["cells"]
    table = window.grid_table
    assert table.table.rowCount() == len(cells) == 4
    assert [table.text(row, 2) for row in range(4)] == [c["state"] for c in cells]
    assert table.caption.text().startswith("4 of 4 cells finished on 2 local worker(s)")
    assert window.run_on.where.currentText() == LOCAL and window.run_on.workers.value() == 2, "and Run on is set"


def test_too_many_threads_is_refused_in_the_window_words(qtbot, window: MainWindow, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(str(args[2])))
    _grid_window(window, repeats=2)
    window.run_on.workers.setValue(window.run_on.workers.maximum())
    window.run_on.threads.setValue(window.run_on.threads.maximum())
    if window.run_on.workers.value() * window.run_on.threads.value() <= cpu_count():
        return  # a 1-core machine cannot ask for too many
    with qtbot.waitSignal(window.raceFailed, timeout=30_000):
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1 and "Workers" in shown[0] and "Threads per race" in shown[0], shown
    assert "--" not in shown[0], "the window names its own fields, not the terminal's flags"
    assert _workers_left() == []
