"""What a class sees at laptop and projector sizes: nothing decisive hidden, one legend entry per model.

The window is laid out offscreen at the sizes a workshop meets (1366×768 in normal and presenter
150%, 1024×768), with a saved 2-seed race of the tutorial's three models shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from modelrace.gui.window.main_window import MainWindow
from modelrace.gui.window.theme import PRESENTER_SCALES
from modelrace.models.judging.headline import headline
from modelrace.models.results.files import load_result
from modelrace.models.trainers.registry import label


def laid_out(qtbot, size: tuple[int, int], scale: float, result: Path) -> MainWindow:
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    assert win.open_results(result)
    win.set_scale_index(PRESENTER_SCALES.index(scale))
    win.show_tab("results")
    QApplication.processEvents()
    qtbot.wait(50)
    return win


@pytest.fixture(autouse=True)
def normal_font():
    """Presenter mode scales the application font; put it back for the next test."""
    font = QApplication.font()
    yield
    QApplication.setFont(font)


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_at_1366x768_the_deciding_columns_fit_without_scrolling(qtbot, saved_repeats: Path, scale: float) -> None:
    win = laid_out(qtbot, (1366, 768), scale, saved_repeats)
    table = win.results.table
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert header[0] == "Model" and header[1].startswith("To target"), "the column that decides the race comes first"
    needed = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert table.verticalScrollBar().maximum() == 0, "every model's row is on screen"
    # The columns that decide the race (model, time to target, test accuracy) are always in view. At 150% with
    # the settings shown, 2 seeds' ranges ("0.793 (0.788–0.799)") may push the least decisive last column
    # out; Present (F5, settings hidden) shows them all.
    deciding = table.columnViewportPosition(2) + table.columnWidth(2)
    assert deciding <= table.viewport().width(), f"{deciding} px of deciding columns in a {table.viewport().width()} px table"
    if scale == 1.0:
        assert table.horizontalScrollBar().maximum() == 0, f"{needed} px of columns in a {table.viewport().width()} px table"
    win.sidebar.setVisible(False)  # as Present (F5) does, on a laptop's 1366×768 screen
    win.fit_panels()
    QApplication.processEvents()
    qtbot.wait(50)
    needed = sum(table.columnWidth(c) for c in range(table.columnCount()))
    assert table.horizontalScrollBar().maximum() == 0, f"presenting: {needed} px of columns in {table.viewport().width()} px"
    assert table.verticalScrollBar().maximum() == 0


@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_the_plots_keep_half_the_height_and_one_legend_entry_per_model(qtbot, saved_repeats: Path, scale: float) -> None:
    win = laid_out(qtbot, (1366, 768), scale, saved_repeats)
    assert win.plots.accuracy.height() >= 0.5 * win.height() * 0.6, "the curves stay the biggest thing on screen"
    assert win.plots.height() >= 0.5 * win.height() - 40
    entries = win.plots.legend_entries()
    models = [e for e in entries if e in {label(k) for k in win.cards}]
    targets = [e for e in entries if e.startswith("target")]
    notes = [e for e in entries if e not in models and e not in targets]
    assert len(models) == len(set(models)) == 3 and len(targets) == 1
    # 2 seeds: the mean only, no 95% band (a t band from 2 runs is 12.7 standard errors wide), said once
    assert notes == ["thick line = mean of 2 seeds (too few for a 95% band)"], "the mean explained once"
    assert win.plots.legend.geometry().bottom() <= win.plots.accuracy.geometry().top(), "the legend is not on the data"


def test_the_headline_is_one_sentence_and_the_evidence_waits_behind_details(qtbot, saved_repeats: Path) -> None:
    win = laid_out(qtbot, (1366, 768), 1.0, saved_repeats)
    result = load_result(saved_repeats)
    text = win.banner.text()
    assert text == headline(result) and text.endswith(".") and ". " not in text and "\n" not in text
    assert not win.banner.details.isVisible() and win.banner.toggle.isVisible()
    win.banner.toggle.click()
    assert win.banner.details.isVisible() and win.banner.details_text() == result["verdict"]["text"]


def test_at_1024x768_nothing_in_the_settings_scrolls_sideways(qtbot, saved_repeats: Path) -> None:
    win = laid_out(qtbot, (1024, 768), 1.0, saved_repeats)
    assert win.sidebar.horizontalScrollBar().maximum() == 0
    for button in (win.controls.run_button, win.controls.stop_button):
        right = button.mapTo(win.sidebar.viewport(), button.rect().topRight()).x()
        assert right <= win.sidebar.viewport().width(), f"{button.text()} is cut off"
    assert win.progress_strip.isVisible(), "the progress of each model stays on screen"


def test_after_a_stop_every_view_says_stopped(qtbot, saved_repeats: Path, tmp_path: Path) -> None:
    import json

    result = load_result(saved_repeats)
    single = {k: v for k, v in result.items() if k != "repeats"}
    mlp = single["models"]["mlp"]
    mlp["status"], mlp["steps_done"] = "stopped", 5.00312
    single["race"] = {**single.get("race", {}), "stopped": True}
    single["verdict"] = {**single["verdict"], "claim_holds": None, "reason": "the MLP was stopped"}
    path = tmp_path / "stopped.json"
    path.write_text(json.dumps(single))
    win = laid_out(qtbot, (1366, 768), 1.0, path)
    planned = mlp["planned_steps"]
    assert win.banner.text() == f"Stopped: the MLP after 5/{planned} epochs; no verdict."
    assert f"after 5/{planned} epochs" in win.cards["mlp"].status.text()
    assert win.progress_strip.text("mlp") == f"stopped at 5/{planned}"
    assert "5.00312" not in win.cards["mlp"].progress.format()
    statuses = {win.results.table.item(r, win.results.table.columnCount() - 1).text()
                for r in range(win.results.table.rowCount())}
    assert "stopped" in statuses


def test_the_size_tab_marks_sizes_where_a_model_never_reached_the_target(qtbot) -> None:
    from modelrace.gui.window.evidence_panel import SizeCurvePanel

    def point(size: int, mlp_time: float | None) -> dict:
        return {"size": size, "models": {
            "mlp": {"test_accuracy": {"mean": 0.7, "low": 0.2, "high": 1.3}, "time_to_target": {"mean": mlp_time}},
            "rf": {"test_accuracy": {"mean": 0.8, "low": 0.75, "high": 0.85}, "time_to_target": {"mean": 0.1}}}}

    panel = SizeCurvePanel()
    qtbot.addWidget(panel)
    panel.show_result(None)
    assert not panel._row.isVisibleTo(panel), "no empty log axes at idle"
    panel.show_result({"size_curve": {"points": [point(1000, None), point(2000, 3.0), point(4000, None)]}})
    assert panel.points == 3 and panel.never_marks == 2
    assert "never" in panel.legend.text()
    whiskers = [i for i in panel.accuracy.getPlotItem().items if type(i).__name__ == "ErrorBarItem"]
    tops = [float((w.opts["y"] + w.opts["top"]).max()) for w in whiskers]
    assert max(tops) <= 1.0, "a confidence interval is clipped to what an accuracy can be"
