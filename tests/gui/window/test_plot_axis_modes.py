"""Every item of every chart in the window obeys its plot's axis modes: bands, curves and markers drawn from
the same data land in the same place, on linear and log axes, and the view fits them.

Found: on the Time to target tab with 3 seeds, the 25-75% bands were drawn in linear seconds on the log
axis, far above their median lines, and stretched the axis over ten decades (its labels piled up).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest

from modelrace.gui.window.plot_items import LogAwareFill, drawn_x_range, drawn_y_range
from modelrace.models.output.profile_tables import result_profile
from modelrace.models.results.files import load_result


@pytest.fixture(scope="module")
def three_seeds(saved_race) -> Path:
    """A saved 3-seed quick race of the tutorial's three models on 2,000 real rows."""
    return saved_race("--preset", "quick", "--rows", "2000", "--repeats", "3")


def fills(plot: pg.PlotWidget) -> list[LogAwareFill]:
    return [item for item in plot.getPlotItem().items if isinstance(item, pg.FillBetweenItem)]


def assert_fills_sit_on_their_edges(plot: pg.PlotWidget) -> None:
    """A band's fill covers exactly what its two edge curves span, in the plot's own (mapped) coordinates."""
    for fill in fills(plot):
        assert isinstance(fill, LogAwareFill), "a band made outside plot_items would not follow log modes"
        edges = [drawn_y_range(curve) for curve in fill.curves]
        low, high = min(e[0] for e in edges), max(e[1] for e in edges)
        top, bottom = drawn_y_range(fill)
        assert top == pytest.approx(low, abs=1e-6) and bottom == pytest.approx(high, abs=1e-6)
        x_edges = [drawn_x_range(curve) for curve in fill.curves]
        left, right = drawn_x_range(fill)
        assert left == pytest.approx(min(e[0] for e in x_edges), abs=1e-6)
        assert right == pytest.approx(max(e[1] for e in x_edges), abs=1e-6)


def test_the_time_to_target_bands_lie_on_the_log_axis_with_their_medians(qtbot, three_seeds: Path) -> None:
    from modelrace.gui.window.main_window import MainWindow

    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.show()
    assert window.open_results(three_seeds)
    window.show_tab("profile")
    qtbot.wait(50)
    plot = window.profile.plot
    block = result_profile(load_result(three_seeds))
    assert block and block.get("seeds"), "a 3-seed result has a profile over seeds"
    bands = fills(plot)
    assert bands, "the seeds' 25-75% bands are drawn"
    assert_fills_sit_on_their_edges(plot)
    # The drawn band of each model spans the log10 of its quartile times, not the seconds themselves.
    for key, seeds in block["seeds"].items():
        # Where both quartiles exist (a band needs both edges).
        values = [v for pair in zip(seeds["low"], seeds["high"]) if None not in pair for v in pair]
        if not values:
            continue
        expected = (math.log10(min(values)), math.log10(max(values)))
        drawn = [drawn_y_range(f) for f in bands]
        assert any(lo == pytest.approx(expected[0], abs=1e-6) and hi == pytest.approx(expected[1], abs=1e-6)
                   for lo, hi in drawn), (key, expected, drawn)
    # Every median line lies inside the span of the bands, and the view covers the data within a decade.
    lines = [i for i in plot.getPlotItem().items if isinstance(i, pg.PlotDataItem) and i.opts.get("stepMode")]
    data_low = min(drawn_y_range(i)[0] for i in lines + bands)
    data_high = max(drawn_y_range(i)[1] for i in lines + bands)
    view_low, view_high = plot.getViewBox().viewRange()[1]
    assert view_low <= data_low and view_high >= data_high
    assert view_high - view_low <= (data_high - data_low) + 1.0, "the axis spans far more decades than the data"
    times = [t for steps in block["steps"].values() for _, t in steps]
    assert data_low >= math.log10(min(times)) - 1 and data_high <= math.log10(max(t for t in times)) + 3


def test_a_band_follows_a_log_mode_set_after_it_was_drawn(qtbot) -> None:
    from PySide6.QtGui import QColor

    from modelrace.gui.window.plot_items import add_band

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    x = np.array([1.0, 10.0, 100.0])
    add_band(plot, x, [0.1, 1.0, 10.0], [1.0, 10.0, 100.0], QColor("#0072B2"))
    assert drawn_y_range(fills(plot)[0]) == pytest.approx((0.1, 100.0))
    plot.setLogMode(x=True, y=True)
    assert drawn_y_range(fills(plot)[0]) == pytest.approx((-1.0, 2.0))
    assert drawn_x_range(fills(plot)[0]) == pytest.approx((0.0, 2.0))
    plot.setLogMode(x=False, y=False)
    assert drawn_y_range(fills(plot)[0]) == pytest.approx((0.1, 100.0))


@pytest.mark.parametrize("mode", ["time", "log", "steps"])
def test_the_live_curves_bands_and_markers_obey_each_x_axis(qtbot, three_seeds: Path, mode: str) -> None:
    from modelrace.gui.window.main_window import MainWindow
    from modelrace.models.judging.verdict import time_to_target

    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.show()
    assert window.open_results(three_seeds)
    plots = window.plots
    plots.set_x_mode(mode)
    qtbot.wait(50)
    result = load_result(three_seeds)
    accuracy = plots.accuracy
    assert_fills_sit_on_their_edges(accuracy)
    assert bool(fills(accuracy)) == (mode != "steps"), "3 seeds: 95% bands against seconds only"
    # Each marker sits where its model's curve first reached the target, in the axis's own coordinates.
    target = result["verdict"]["target"]
    expected = []
    for model in result["models"].values():
        first = next((p for p in model["curve"] if p["val_accuracy"] >= target), None)
        if first is not None:
            expected.append(first["step"] if mode == "steps" else first["t"])
            if mode != "steps":
                assert time_to_target(model["curve"], target) == first["t"]
    assert sorted(x for x, _ in plots.marker_positions()) == pytest.approx(sorted(expected))
    mapped = sorted(drawn_x_range(plots.markers))
    to_view = (lambda v: math.log10(v)) if mode == "log" else (lambda v: v)
    assert mapped == pytest.approx([to_view(min(expected)), to_view(max(expected))])
    # The view holds every curve and ends close to the data.
    (x0, x1), _ = accuracy.getViewBox().viewRange()
    ends = [drawn_x_range(i)[1] for i in accuracy.getPlotItem().items
            if isinstance(i, pg.PlotDataItem) and drawn_x_range(i) is not None]
    assert x1 >= max(ends) and x1 - max(ends) <= 0.05 * abs(max(ends)) + 0.02
    starts = [drawn_x_range(i)[0] for i in accuracy.getPlotItem().items
              if isinstance(i, pg.PlotDataItem) and drawn_x_range(i) is not None]
    assert x0 <= min(starts)
