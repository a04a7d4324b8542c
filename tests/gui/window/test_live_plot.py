"""The live plots: growable numpy buffers, redraws of only what changed, targets and markers, the x axis."""

from __future__ import annotations

import numpy as np

from modelrace.gui.window.live_plot import CurveBuffer, LivePlots
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
    plots.add_steps(_steps("rf", 30))
    plots.redraw()
    assert calls == {"mlp": 0, "rf": 1, "xgb": 0}
    plots.redraw()
    assert calls["rf"] == 1, "nothing new, nothing redrawn"
    plots.add_steps(_steps("xgb", 5) + _steps("rf", 5, start=31))
    plots.redraw()
    assert calls == {"mlp": 0, "rf": 2, "xgb": 1}
    x, y = plots._curves["rf"]["acc"].getData()
    assert len(x) == plots.point_count("rf") == 35 and np.isclose(x[-1], 0.35)


def test_the_target_line_and_the_first_point_that_reached_it(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots.add_steps(_steps("rf", 50))  # accuracy 0.504 … 0.7 in steps of 0.004
    plots.redraw()
    plots.set_target(0.6)
    assert plots.target_line.isVisible() and np.isclose(plots.target_line.value(), 0.6)
    spots = plots.markers.data
    assert len(spots) == 1 and np.isclose(spots[0]["x"], 0.25)  # step 25: 0.5 + 0.004 * 25 = 0.6
    plots.set_target(None)
    assert not plots.target_line.isVisible() and len(plots.markers.data) == 0
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
