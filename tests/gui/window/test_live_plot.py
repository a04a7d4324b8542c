"""The live plots: growable numpy buffers, redraws of only what changed, targets and markers, the x axis."""

from __future__ import annotations

import numpy as np
import pytest

from modelrace.gui.window.curve_buffer import CurveBuffer
from modelrace.gui.window.live_plot import LivePlots
from modelrace.models.trainers.protocol import Step


def _steps(model: str, count: int, start: int = 1) -> list[Step]:
    return [Step(model, i, "tree", 100, 0.01 * i, 0.012 * i, min(0.99, 0.5 + 0.004 * i), 1.0 / i)
            for i in range(start, start + count)]


def test_a_buffer_grows_past_its_capacity_and_keeps_every_point() -> None:
    buffer = CurveBuffer(capacity=4)
    for i in range(1000):
        buffer.append(0.1 * i, i, i / 1000, 1 - i / 1000)
    assert buffer.size == 1000
    assert np.array_equal(buffer.column(1), np.arange(1000))
    assert np.allclose(buffer.column(0), 0.1 * np.arange(1000))
    view = buffer.column(2)
    buffer.clear()
    assert buffer.size == 0 and buffer.column(2).size == 0 and view.size == 1000


def test_only_curves_that_received_points_are_redrawn(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots._timer.stop()  # redraw by hand here
    calls: dict[str, int] = {key: 0 for key in plots._curves}
    for key, curves in plots._curves.items():
        original = curves["acc"].setData

        def counting(*args, key=key, original=original, **kwargs):
            calls[key] += 1
            return original(*args, **kwargs)

        curves["acc"].setData = counting
    untouched = {key: 0 for key in calls}
    plots.add_steps(_steps("rf", 30))
    plots.redraw()
    assert calls == {**untouched, "rf": 1}
    plots.redraw()
    assert calls["rf"] == 1, "nothing new, nothing redrawn"
    plots.add_steps(_steps("xgb", 5) + _steps("rf", 5, start=31))
    plots.redraw()
    assert calls == {**untouched, "rf": 2, "xgb": 1}
    x, y = plots._curves["rf"]["acc"].getData()
    assert len(x) == plots.point_count("rf") == 35 and np.isclose(x[-1], 0.35)


def test_the_target_line_and_the_first_point_that_reached_it(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.add_steps(_steps("rf", 50))  # accuracy 0.504 … 0.7 in steps of 0.004
    plots.redraw()
    plots.set_target(0.6)
    assert plots.target_line.isVisible() and np.isclose(plots.target_line.value(), 0.6)
    spots = plots.marker_positions()
    assert len(spots) == 1 and np.isclose(spots[0][0], 0.25)  # step 25: 0.5 + 0.004 * 25 = 0.6
    plots.set_target(None)
    assert not plots.target_line.isVisible() and plots.marker_positions() == []
    assert np.isclose(plots.best_accuracy(), 0.7)


def test_the_x_axis_switches_between_seconds_and_native_steps(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.add_steps(_steps("xgb", 10))
    plots.set_x_mode("steps")
    x, _ = plots._curves["xgb"]["acc"].getData()
    assert list(x) == list(range(1, 11))
    assert "step" in plots.accuracy.getAxis("bottom").labelText
    plots.set_x_mode("time")
    x, _ = plots._curves["xgb"]["acc"].getData()
    assert np.allclose(x, 0.01 * np.arange(1, 11))
    plots.clear()
    assert plots.point_count("xgb") == 0


def test_an_automatic_target_is_provisional_while_the_race_runs(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.set_provisional_target(0.95)
    assert not plots.target_line.isVisible(), "no curve yet, no line"
    plots.add_steps(_steps("rf", 50))  # the latest validation accuracy is 0.7
    plots.redraw()
    assert plots.target_line.isVisible() and plots.target == pytest.approx(0.95 * 0.7)
    assert any("target so far" in entry and "provisional" in entry for entry in plots.legend_entries())
    assert "target so far" in plots.target_line.label.toPlainText()
    assert len(plots.marker_positions()) == 1, "the forest has crossed the provisional line"
    plots.set_target(0.6)  # the race's final target
    assert not plots.target_is_provisional() and plots.target == 0.6
    assert "target 60.0%" in plots.legend_entries() and "so far" not in plots.target_line.label.toPlainText()


@pytest.mark.parametrize(("runs", "banded"), [(2, False), (3, True)])
def test_two_seeds_draw_a_mean_without_a_band_and_say_so(qtbot, runs: int, banded: bool) -> None:
    import pyqtgraph as pg

    plots = LivePlots()
    qtbot.addWidget(plots)
    curves = [[{"t": 0.1 * i, "step": i, "val_accuracy": 0.5 + 0.01 * i + 0.02 * seed, "val_loss": 1.0}
               for i in range(1, 20)] for seed in range(runs)]
    plots.set_bands({"rf": curves})
    fills = [i for i in plots.accuracy.getPlotItem().items if isinstance(i, pg.FillBetweenItem)]
    assert plots.band_count() == 1 and bool(fills) == banded
    note = " ".join(plots.legend_entries())
    assert ("band = 95% CI" in note) == banded and (f"mean of {runs} seeds" in note) == (not banded)
