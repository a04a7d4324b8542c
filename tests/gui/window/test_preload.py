"""The idle preload: it waits for a quiet window, never starts during a race or while the user works,
happens once per process, and a race clicked while it loads runs as usual."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from modelrace.gui.window.library_preload import IdlePreload
from modelrace.gui.window.main_window import MainWindow
from modelrace.models.trainers import preload

RACE_TIMEOUT_MS = 180_000


@pytest.fixture(autouse=True)
def not_preloaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process counts as not yet preloaded (another test may have preloaded it), with the preload on.

    Afterwards, a preload the test left running is waited for, so it cannot preload the next test's process.
    """
    monkeypatch.setattr(preload, "_loaded", None)
    monkeypatch.delenv(preload.PRELOAD_ENV, raising=False)
    yield
    assert IdlePreload.wait(120_000)


def move(widget: QWidget) -> None:
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(5, 5), QPointF(5, 5), Qt.MouseButton.NoButton,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_it_loads_the_libraries_once_the_window_is_idle(qtbot) -> None:
    loaded: list[str] = []
    first = IdlePreload(busy=lambda: False, done=loaded.append, idle_ms=200)
    qtbot.waitUntil(lambda: first.state == "done", timeout=120_000)
    assert loaded and "Keras on" in loaded[0] and "XGBoost" in loaded[0]
    assert {"keras", "xgboost", "sklearn.ensemble"} <= set(sys.modules)
    second = IdlePreload(busy=lambda: False, done=loaded.append, idle_ms=50)  # another window
    qtbot.wait(300)
    assert second.state == "off" and len(loaded) == 1, "once per process"


def test_input_and_a_race_hold_it_off(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    racing = {"now": True}
    preload_ = IdlePreload(busy=lambda: racing["now"], done=lambda _what: None, idle_ms=300)
    qtbot.wait(600)
    assert preload_.state == "waiting", "no preload during this window's race"
    racing["now"] = False
    with preload.using_keras():  # a race in another window of this process
        qtbot.wait(600)
        assert preload_.state == "waiting", "no preload during any race in the process"
    for _ in range(8):  # someone is pointing at the window
        move(widget)
        qtbot.wait(100)
    assert preload_.state == "waiting", "no preload while the user works"
    qtbot.waitUntil(lambda: preload_.state in ("loading", "done"), timeout=5000)


def test_it_can_be_switched_off(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELRACE_PRELOAD", "0")
    preload_ = IdlePreload(busy=lambda: False, done=lambda _what: None, idle_ms=50)
    qtbot.wait(300)
    assert preload_.state == "off"


def test_a_race_clicked_while_it_loads_runs_as_usual(qtbot, window: MainWindow) -> None:
    window.preload.stop()
    window.preload = IdlePreload(busy=lambda: window.session.running, done=window._libraries_loaded, idle_ms=100,
                                 parent=window)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    qtbot.waitUntil(lambda: window.preload.state != "waiting", timeout=5000)
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(2000)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert {entry["status"] for entry in result["models"].values()} == {"finished"}
    assert result["models"]["mlp"]["test_accuracy"] > 0.3
    qtbot.waitUntil(lambda: window.preload.state == "done", timeout=60_000)
    assert any(text.startswith("Ready: the models' libraries are loaded") for text in shown), shown
    assert "Loaded while idle: Keras on" in window.log_view.toPlainText()
