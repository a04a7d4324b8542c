"""The window, clicked through real races on the real sample (offscreen)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.race.events import RepeatFinished, Steps
from modelrace.models.results.files import load_result, save_result
from modelrace.models.judging.headline import headline

RACE_TIMEOUT_MS = 180_000


def run_and_wait(qtbot, win: MainWindow) -> dict:
    with qtbot.waitSignal(win.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_a_full_quick_race(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.apply_preset("quick")
    batches: list[int] = []
    mid_race: list[tuple[bool, float | None, int]] = []  # (provisional, target, markers) after each batch

    def seen(event: object) -> None:
        if isinstance(event, Steps):
            batches.append(len(event.steps))
            window.plots.redraw()  # as the window's timer would
            plots = window.plots
            mid_race.append((plots.target_is_provisional() and plots.target_line.isVisible(), plots.target,
                             len(plots.marker_positions())))

    window.session.event.connect(seen)
    result = run_and_wait(qtbot, window)
    assert len(batches) >= 3, "the curves should grow in several batches while training"
    # A finish line while racing: the automatic target is drawn, provisional, from the first batch on, it
    # moves as the best curve grows, and someone crosses it before the race ends.
    assert all(provisional for provisional, _, _ in mid_race)
    assert len({target for _, target, _ in mid_race}) > 1 and any(markers for _, _, markers in mid_race)
    assert not window.plots.target_is_provisional() and window.plots.target == result["verdict"]["target"]
    assert all(result["models"][k]["status"] == "finished" for k in ("mlp", "rf", "xgb"))
    for key in ("mlp", "rf", "xgb"):
        assert window.plots.point_count(key) == len(result["models"][key]["curve"]) >= 20
    assert window.results.table.rowCount() == 3
    shown = {window.results.table.item(r, 0).text(): window.results.table.item(r, 2).text() for r in range(3)}
    assert shown["XGBoost"] == f"{result['models']['xgb']['test_accuracy']:.3f}"
    assert window.banner.text() == headline(result) and window.banner.details_text() == result["verdict"]["text"]
    assert "finished" in window.log_view.toPlainText() or "test accuracy" in window.log_view.toPlainText()
    assert window.cards["rf"].status.text().startswith("finished")  # the word the table uses too
    statuses = [window.results.table.item(r, 5).text() for r in range(3)]
    assert statuses == ["finished"] * 3 and window.progress_strip.text("rf").startswith("finished")
    path = tmp_path / "gui.json"
    save_result(result, path)
    assert load_result(path)["verdict"] == result["verdict"]


def test_stop_keeps_partial_curves(qtbot, window: MainWindow) -> None:
    window.apply_preset("tutorial")
    qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.plots.point_count("mlp") >= 3, timeout=RACE_TIMEOUT_MS)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    result = blocker.args[0]
    mlp = result["models"]["mlp"]
    assert mlp["status"] == "stopped"
    assert 3 <= len(mlp["curve"]) < 20 and mlp["test_accuracy"] is not None
    assert result["models"]["rf"]["status"] == result["models"]["xgb"]["status"] == "skipped"
    assert window.plots.point_count("mlp") == len(mlp["curve"])
    assert window.cards["mlp"].status.text().startswith("stopped")


def test_a_failing_trainer_is_shown_while_the_others_finish(qtbot, window: MainWindow, monkeypatch) -> None:
    from modelrace.models.trainers import registry
    class Broken(registry.TRAINERS["rf"]):
        def fit(self, split, sink):
            raise RuntimeError("injected trainer failure")

    monkeypatch.setitem(registry.TRAINERS, "rf", Broken)
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(3000)
    result = run_and_wait(qtbot, window)
    assert result["models"]["rf"]["status"] == "failed"
    assert result["models"]["mlp"]["status"] == result["models"]["xgb"]["status"] == "finished"
    assert "injected trainer failure" in window.cards["rf"].status.text()
    assert "injected trainer failure" in window.log_view.toPlainText()
    assert window.plots.point_count("xgb") > 0


def test_closing_mid_race_exits_cleanly(qtbot, window: MainWindow) -> None:
    baseline = threading.active_count()
    window.apply_preset("tutorial")
    qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.plots.point_count("mlp") >= 1, timeout=RACE_TIMEOUT_MS)
    window.close()  # waits at most CLOSE_WAIT_MS for the workers, whatever the machine's load
    assert not window.isVisible()
    qtbot.waitUntil(lambda: threading.active_count() <= baseline, timeout=5000)


def test_settings_are_remembered(qtbot, sample_file: Path) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.apply_preset("quick")
    first.controls.mode.setCurrentText("simultaneous")
    first.dataset_panel.seed.setValue(7)
    first.cards["xgb"].setChecked(False)
    first.cards["rf"].editor("n_estimators").setValue(42)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.controls.mode.currentText() == "simultaneous"
    assert second.dataset_panel.seed.value() == 7
    assert not second.cards["xgb"].isChecked()
    assert second.cards["rf"].values()["n_estimators"] == 42


def test_presenter_mode_scales_fonts(qtbot, window: MainWindow) -> None:
    base = window.controls.run_button.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.controls.run_button.font().pointSizeF() == pytest.approx(base * 1.25)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.controls.run_button.font().pointSizeF() == pytest.approx(base)


def test_headless_capture_command(sample_file: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    shot, out = tmp_path / "window.png", tmp_path / "result.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "modelrace.gui", "gui", "--data", str(sample_file), "--preset", "quick",
         "--models", "rf,xgb", "--size", "1280x800", "--run", "--screenshot", str(shot), "--json", str(out), "--quit"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Qt:" not in proc.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    result = load_result(out)
    assert result["models"]["rf"]["status"] == result["models"]["xgb"]["status"] == "finished"
    assert result["models"]["mlp"]["status"] == "skipped"


@pytest.fixture
def saved_result(sample_file: Path, tmp_path: Path) -> Path:
    from modelrace.gui.terminal.main import main

    path = tmp_path / "saved.json"
    assert main(["race", "--data", str(sample_file), "--preset", "quick", "--models", "rf,xgb", "--rows", "3000",
                 "--json", str(path)]) == 0
    return path


def test_json_window_json_round_trip(qtbot, window: MainWindow, saved_result: Path, tmp_path: Path) -> None:
    assert window.open_results(saved_result)
    original = load_result(saved_result)
    assert window.banner.text() == headline(original) and window.banner.details_text() == original["verdict"]["text"]
    assert window.plots.point_count("rf") == len(original["models"]["rf"]["curve"])
    assert window.results.table.rowCount() == 2
    assert not window.cards["mlp"].isChecked() and window.cards["rf"].isChecked()
    assert window.dataset_panel.seed.value() == original["split"]["seed"]
    again = tmp_path / "again.json"
    assert window.save_results(again)
    assert again.read_text() == saved_result.read_text()


def test_opening_bad_files_shows_a_message(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    for content in ("{broken", '{"schema": 42, "models": {}}', "[1, 2]"):
        path = tmp_path / "bad.json"
        path.write_text(content)
        assert not window.open_results(path)
    assert len(shown) == 3
    assert "not valid JSON" in shown[0] and "newer modelrace" in shown[1] and "not a modelrace result" in shown[2]


def test_compare_with_overlays_dashed_curves(qtbot, window: MainWindow, saved_result: Path) -> None:
    assert window.open_results(saved_result)
    assert window.compare_with(saved_result)
    assert window.plots.comparison_count() == 4  # accuracy and loss for rf and xgb
    assert any(entry.startswith("dashed = ") for entry in window.plots.legend_entries()), "the legend says what dashes are"
    window.plots.set_x_mode("steps")
    assert window.plots.comparison_count() == 4
    window.plots.set_comparison(None)
    assert window.plots.comparison_count() == 0


def test_export_dialog_writes_every_format(qtbot, window: MainWindow, saved_result: Path, tmp_path: Path) -> None:
    from modelrace.gui.window.export_dialog import ExportDialog

    window.open_results(saved_result)
    dialog = ExportDialog(window.result, tmp_path / "out", window)
    (tmp_path / "out").mkdir()
    qtbot.addWidget(dialog)
    for box in dialog._checks.values():
        box.setChecked(True)
    dialog.base.setText("lesson")
    assert "RandomForest" in dialog.preview.toPlainText()
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        dialog.export()
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["lesson-csv", "lesson.html", "lesson.json", "lesson.pdf"]
    assert load_result(tmp_path / "out" / "lesson.json") == load_result(saved_result)


def test_repeats_draw_bands_and_evidence(qtbot, window: MainWindow) -> None:
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(2500)
    window.controls.repeats.setValue(3)
    for key in ("mlp",):
        window.cards[key].setChecked(False)
    repeats_seen: list[int] = []
    window.session.event.connect(lambda e: isinstance(e, RepeatFinished) and repeats_seen.append(e.index))
    result = run_and_wait(qtbot, window)
    assert repeats_seen == [0, 1, 2]
    assert result["repeats"]["count"] == 3
    from modelrace.models.judging.bands import mean_band

    # rf and xgb, each where its seeds' curves share a stretch of training time (a busy machine can
    # spread one seed's half-second forest far from another's)
    curves = {k: [run["models"][k]["curve"] for run in result["repeats"]["runs"]] for k in ("rf", "xgb")}
    assert window.plots.band_count() == sum(mean_band(c) is not None for c in curves.values()) >= 1
    titles = [t.rowCount() for t in window.evidence.tables]
    # McNemar (1 pair), mean ± CI (2 models), corrected t-test (1 pair), then time to every target and budgets
    assert titles[:3] == [1, 2, 1] and titles[4] == 2
    assert window.banner.text() == "No verdict: the MLP did not race."
    assert "cannot be judged: the MLP did not race" in window.banner.details_text()


def test_sizes_fill_the_data_size_tab(qtbot, window: MainWindow) -> None:
    window.apply_preset("quick")
    window.cards["mlp"].setChecked(False)
    window.controls.sizes.setText("500, 1000")
    result = run_and_wait(qtbot, window)
    assert result["size_curve"]["sizes"] == [500, 1000]
    assert window.size_curve.points == 2
    assert "training rows" in window.banner.text()


def test_reference_lines_toggle(qtbot, window: MainWindow) -> None:
    window.plots.show_references(True)
    labels = [line.label.format for line in window.plots._references]
    assert any("70%" in text for text in labels) and any("96%" in text for text in labels)
    assert all(line.scene() is not None for line in window.plots._references)
    assert "581,012" in window.plots._references[0].toolTip()
    window.plots.show_references(False)
    assert all(line.scene() is None for line in window.plots._references)


def test_results_table_shows_means_over_repeats(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from modelrace.gui.terminal.main import main

    path = tmp_path / "repeats.json"
    assert main(["race", "--data", "covtype_rows_1-20000", "--models", "rf,xgb", "--preset", "quick", "--rows", "2000",
                 "--repeats", "3", "--json", str(path)]) == 0
    assert window.open_results(path)
    result = load_result(path)
    mean = result["repeats"]["summary"]["rf"]["test_accuracy"]
    cell = window.results.table.item(0, 2).text()
    assert cell == f"{mean['mean']:.3f} ±\u00a0{(mean['high'] - mean['low']) / 2:.3f}"
    assert window.results.caption.text().startswith("Mean ± 95% CI over 3 seeds")
    assert "mean ± 95% CI over 3 seeds" in window.results.table.horizontalHeaderItem(2).toolTip()
    assert window.plots.band_count() == 2
    import pyqtgraph as pg

    items = window.results.bars.getPlotItem().items
    bars = next(i for i in items if isinstance(i, pg.BarGraphItem))
    summary = result["repeats"]["summary"]
    assert list(bars.opts["width"]) == pytest.approx([summary[k]["test_accuracy"]["mean"] for k in ("rf", "xgb")])
    assert any(isinstance(i, pg.ErrorBarItem) for i in items), "the bars carry their 95% CI whiskers"
    tip = window.results.table.item(0, 0).toolTip()
    assert f"seed {result['split']['seed']}" in tip and "CPU s" in tip, "single-run costs say which seed they are"


def test_a_first_start_selects_the_bundled_rows_and_races_them(qtbot) -> None:
    win = MainWindow()  # a new home: nothing cached, no settings
    qtbot.addWidget(win)
    assert win.dataset_panel.selected() == "covtype-16k"
    assert "16,000 rows" in win.dataset_panel.info.text() and "bundled with modelrace" in win.dataset_panel.info.text()
    win.apply_preset("quick")
    win.dataset_panel.rows.setValue(2000)
    for key in ("mlp", "xgb"):
        win.cards[key].setChecked(False)
    with qtbot.waitSignal(win.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result["dataset"]["name"] == "covtype-16k" and result["models"]["rf"]["status"] == "finished"


def test_opening_results_again_and_again_reuses_the_same_widgets(qtbot, window: MainWindow, saved_result: Path,
                                                                   tmp_path: Path) -> None:
    """A class opening result after result all day: the panels refill their tables, never pile up new ones."""
    from PySide6.QtWidgets import QTableWidget

    from modelrace.gui.terminal.main import main

    repeats = tmp_path / "repeats.json"
    assert main(["race", "--data", "covtype_rows_1-20000", "--models", "rf,xgb", "--preset", "quick", "--rows", "2000",
                 "--repeats", "2", "--json", str(repeats)]) == 0

    def census() -> tuple[int, int, int]:
        return (len(window.confusion.findChildren(QTableWidget)), len(window.evidence.findChildren(QTableWidget)),
                len(window.findChildren(QTableWidget)))

    assert window.open_results(repeats) and window.open_results(saved_result)
    first = census()
    for _ in range(3):
        assert window.open_results(repeats)
        assert [t.rowCount() for t in window.evidence.tables][:3] == [1, 2, 1]
        assert len(window.confusion.visible_tables()) == 2
        assert window.open_results(saved_result)
        assert census() == first
