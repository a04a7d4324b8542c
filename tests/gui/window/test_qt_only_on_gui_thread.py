"""No code but the GUI thread's calls into Qt: a profiler watches every thread of real runs in the window.

Python's profiler hook sees each call a thread makes from Python into a compiled function. It is set
on every Python thread the runs start (the coordinator, the jobs) and inside every model QThread's
``run()``, and records each call into PySide6 or shiboken6 made anywhere but the GUI thread. A race
to the end, a race stopped mid-way, a restart while racing and a dataset import all run under it.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from modelrace.gui.window.main_window import MainWindow
from modelrace.workers import model_threads

RACE_TIMEOUT_MS = 180_000
_QT_MODULES = ("PySide6", "shiboken6")


def _is_qt(function: object) -> bool:
    owner = getattr(function, "__self__", None)
    module = getattr(function, "__module__", None) or type(owner).__module__ or ""
    return str(module).split(".")[0] in _QT_MODULES


@pytest.fixture
def qt_calls_off_the_gui_thread(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A list that fills with (thread name, Qt function) for every call into Qt made off the GUI thread."""
    gui = threading.get_ident()
    seen: list[tuple[str, str]] = []

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "c_call" and threading.get_ident() != gui and _is_qt(arg):
            seen.append((threading.current_thread().name, getattr(arg, "__qualname__", repr(arg))))

    run = model_threads.WorkThread.run

    def profiled_run(self: model_threads.WorkThread) -> None:
        sys.setprofile(profile)
        try:
            run(self)
        finally:
            sys.setprofile(None)

    monkeypatch.setattr(model_threads.WorkThread, "run", profiled_run)
    threading.setprofile(profile)
    yield seen
    threading.setprofile(None)  # type: ignore[arg-type]


def test_a_race_a_stop_a_restart_and_an_import_call_qt_only_on_the_gui_thread(
        qtbot, window: MainWindow, qt_calls_off_the_gui_thread: list, sample_file: Path, tmp_path: Path) -> None:
    seen = qt_calls_off_the_gui_thread
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(2000)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as finished:
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    assert {m["status"] for m in finished.args[0]["models"].values()} == {"finished"}
    assert {m["worker"] for m in finished.args[0]["models"].values()} == {"QThread"}

    window.apply_preset("tutorial")
    qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.plots.point_count("mlp") >= 1, timeout=RACE_TIMEOUT_MS)
    qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)  # Restart while racing
    qtbot.waitUntil(lambda: window.plots.point_count("mlp") >= 1, timeout=RACE_TIMEOUT_MS)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as stopped:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert stopped.args[0]["models"]["mlp"]["status"] == "stopped"

    copy = tmp_path / "rows.csv.gz"
    copy.write_bytes(sample_file.read_bytes())
    with qtbot.waitSignal(window.dataset_panel.datasetsChanged, timeout=RACE_TIMEOUT_MS):
        window.dataset_panel.import_path(copy)
    assert window.session.shutdown(10_000)
    assert seen == [], f"calls into Qt off the GUI thread: {sorted(set(seen))[:10]}"


def test_the_profiler_would_see_a_call_into_qt_from_another_thread(qt_calls_off_the_gui_thread: list) -> None:
    """The check above can fail: a thread that touches a Qt object is caught."""
    from PySide6.QtCore import QObject

    def touch() -> None:
        QObject().objectName()

    thread = threading.Thread(target=touch, name="offender")
    thread.start()
    thread.join()
    assert any(name == "offender" for name, _ in qt_calls_off_the_gui_thread), qt_calls_off_the_gui_thread
