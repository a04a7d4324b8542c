"""The How sure? tab opens with a line that fits the result, and the size tab's whiskers keep to their axes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from modelrace.gui.window.evidence_panel import EvidencePanel, SizeCurvePanel, evidence_intro
from modelrace.models.judging.stats import mean_ci
from modelrace.models.results.files import load_result


def _panel(qtbot, result: dict, width: int = 600) -> EvidencePanel:
    panel = EvidencePanel()
    qtbot.addWidget(panel)
    panel.resize(width, 700)
    panel.show()
    panel.show_result(result)
    QApplication.processEvents()
    return panel


def test_the_opening_is_short_and_the_verdict_waits_behind_a_toggle(qtbot, saved_repeats: Path) -> None:
    result = load_result(saved_repeats)
    panel = _panel(qtbot, result)
    intro = panel.intro
    lines = intro.heightForWidth(intro.width()) / intro.fontMetrics().lineSpacing()
    assert lines <= 2.2, f"the opening takes {lines:.1f} lines"
    assert intro.text().startswith("Over 2 seeds") and "range" in intro.text() and "95% CI" not in intro.text()
    assert not panel.verdict.isVisible(), "the verdict in full is behind the toggle"
    panel.toggle.click()
    assert panel.verdict.isVisible() and panel.verdict.text() == result["verdict"]["text"]
    panel.toggle.click()
    assert not panel.verdict.isVisible()


def test_a_single_run_says_nothing_about_seeds(qtbot, saved_repeats: Path) -> None:
    result = load_result(saved_repeats)
    single = {k: v for k, v in result.items() if k != "repeats"}
    text = evidence_intro(single)
    assert text.startswith("One run") and "seed" not in text.lower()
    stopped = {**single, "race": {**single.get("race", {}), "stopped": True}}
    assert evidence_intro(stopped).startswith("One run, stopped early")
    assert "seed" not in evidence_intro({**single, "significance": None}).lower()


def test_the_tables_fit_the_tab_without_scrolling_sideways(qtbot, saved_repeats: Path) -> None:
    panel = _panel(qtbot, load_result(saved_repeats), width=620)
    assert len(panel.tables) >= 3
    for table in panel.tables[:3]:  # McNemar, the seeds' summaries, the t-test
        assert table.horizontalScrollBar().maximum() == 0, [table.horizontalHeaderItem(c).text()
                                                            for c in range(table.columnCount())]
        assert table.verticalScrollBar().maximum() == 0, "each table is as tall as its rows"


def _size_point(size: int, seeds: int, rng: np.random.Generator) -> dict:
    def model(accuracy: float, seconds: float) -> dict:
        return {"test_accuracy": mean_ci(list(np.clip(rng.normal(accuracy, 0.05, seeds), 0, 1)), kind="accuracy"),
                "time_to_target": mean_ci(list(np.exp(rng.normal(np.log(seconds), 1.0, seeds))), kind="seconds"),
                "reached": seeds}
    return {"size": size, "models": {"mlp": model(0.97, 3.0), "rf": model(0.8, 0.05)}}


@pytest.mark.parametrize("seeds, note", [(2, "whiskers = range of the 2 seeds"), (3, "whiskers = 95% CI")])
def test_size_whiskers_sit_on_the_log_time_axis_and_say_what_they_are(qtbot, seeds: int, note: str) -> None:
    rng = np.random.default_rng(seeds)
    curve = {"repeats": seeds, "points": [_size_point(s, seeds, rng) for s in (1000, 2000, 4000)]}
    panel = SizeCurvePanel()
    qtbot.addWidget(panel)
    panel.show_result({"size_curve": curve})
    assert note in panel.legend.text()
    assert panel.whiskers == 2 * 3 * 2  # 2 models x 3 sizes x (accuracy, time)
    bars = [i for i in panel.time.getPlotItem().items if type(i).__name__ == "ErrorBarItem"]
    tops = np.concatenate([b.opts["y"] + b.opts["top"] for b in bars])
    bottoms = np.concatenate([b.opts["y"] - b.opts["bottom"] for b in bars])
    highs = [p["models"][k]["time_to_target"]["high"] for k in ("mlp", "rf") for p in curve["points"]]
    lows = [p["models"][k]["time_to_target"]["low"] for k in ("mlp", "rf") for p in curve["points"]]
    assert sorted(tops) == pytest.approx(sorted(np.log10(highs))), "drawn in the log axis's own units"
    assert sorted(bottoms) == pytest.approx(sorted(np.log10(lows)))
    accuracy = [i for i in panel.accuracy.getPlotItem().items if type(i).__name__ == "ErrorBarItem"]
    assert max(float((b.opts["y"] + b.opts["top"]).max()) for b in accuracy) <= 1.0


def test_an_old_size_file_draws_its_two_seeds_as_a_range(qtbot, saved_repeats: Path) -> None:
    result = json.loads(Path(saved_repeats).read_text())
    summary = result["repeats"]["summary"]
    # A size point as files before the interval key held it: a t-interval of 2 values, below 0 and above 1.
    old = {k: {"test_accuracy": {"mean": 0.78, "low": 0.47, "high": 1.08, "n": 2},
               "time_to_target": {"mean": 0.13, "low": -0.12, "high": 0.38, "n": 2}, "reached": 2} for k in summary}
    panel = SizeCurvePanel()
    qtbot.addWidget(panel)
    panel.show_result({"size_curve": {"repeats": 2, "points": [{"size": 1000, "models": old}, {"size": 2000, "models": old}]}})
    assert "range of the 2 seeds" in panel.legend.text()
    bars = [i for i in panel.time.getPlotItem().items if type(i).__name__ == "ErrorBarItem"]
    assert bars and all(np.all(np.isfinite(b.opts["y"] - b.opts["bottom"])) for b in bars), "no bound at or below 0 s"
