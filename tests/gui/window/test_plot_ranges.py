"""The live plots' axes grow in steps: every point stays in view, the axes move rarely, and a user's zoom is kept."""

from __future__ import annotations

import math

import pytest

from modelrace.gui.window.live_plot import LivePlots
from modelrace.gui.window.plot_ranges import nice_end, stepped_accuracy, stepped_log, stepped_x
from modelrace.models.trainers.protocol import Step


@pytest.mark.parametrize(("value", "end"), [
    (0.0009, 0.001), (0.001, 0.001), (0.0011, 0.0012), (0.7, 0.7), (0.75, 0.8), (1.0, 1.0), (1.01, 1.2), (2.6, 3.0),
    (3.2, 3.5), (9.0, 10.0), (10.5, 12.0), (41.0, 50.0), (61.0, 70.0), (0.0, 1.0), (-3.0, 1.0), (float("nan"), 1.0),
])
def test_the_time_axis_ends_at_a_round_number_at_or_above_the_last_point(value: float, end: float) -> None:
    assert nice_end(value) == pytest.approx(end)


def test_steps_are_small_enough_to_leave_little_empty_room() -> None:
    for i in range(1, 400):
        value = 10 ** (i / 100 - 2)  # 0.01 s to 100 s
        assert value <= nice_end(value) <= 4 / 3 * value + 1e-12  # the widest step is 1.5 to 2
        low, high = stepped_x(value)
        assert low == 0 and high >= 1.02 * value


def test_a_race_s_first_second_does_not_move_the_time_axis() -> None:
    assert {stepped_x(t) for t in (0.0, 0.01, 0.2, 0.5, 0.97)} == {(0.0, 1.0)}
    assert stepped_x(1.0) == (0.0, 1.2)


@pytest.mark.parametrize(("low", "high"), [(0.31, 0.86), (0.0, 0.0), (1.0, 1.0), (0.5, 0.5), (0.049, 0.951)])
def test_the_accuracy_axis_moves_in_five_point_steps_inside_zero_and_one(low: float, high: float) -> None:
    start, end = stepped_accuracy(low, high)
    assert 0.0 <= start <= low and high <= end <= 1.0 and end - start >= 0.05 - 1e-9
    assert math.isclose(start * 20, round(start * 20), abs_tol=1e-9)
    assert math.isclose(end * 20, round(end * 20), abs_tol=1e-9)


def test_the_log_axis_moves_in_quarter_decades() -> None:
    start, end = stepped_log(-1.3, 0.42)
    assert start <= -1.3 and end >= 0.42 and (start * 4).is_integer() and (end * 4).is_integer()


def _grow(plots: LivePlots, count: int, start: int = 1) -> None:
    for i in range(start, start + count):
        plots.add_steps([Step("rf", i, "tree", 500, 0.004 * i, 0.005 * i, min(0.97, 0.40 + 0.002 * i), 2.0 / i)])
        plots.redraw()


def test_every_point_stays_in_view_while_the_axes_change_rarely(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots._timer.stop()  # redraw by hand here, once per point: the worst case
    changes = []
    plots.accuracy.getViewBox().sigRangeChanged.connect(lambda *_: changes.append(1))
    _grow(plots, 400)
    (x0, x1), (y0, y1) = plots.accuracy.getViewBox().viewRange()
    assert x0 <= 0 and x1 >= 0.004 * 400 and y0 <= 0.402 and y1 >= 0.97
    (_lx0, lx1), (ly0, ly1) = plots.loss.getViewBox().viewRange()
    assert lx1 >= 1.6 and ly0 <= math.log10(2.0 / 400) and ly1 >= math.log10(2.0)
    assert len(changes) <= 40, f"the accuracy view moved {len(changes)} times for 400 points"


def test_a_zoom_by_the_user_is_kept_until_the_next_race(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots._timer.stop()
    _grow(plots, 50)
    box = plots.accuracy.getViewBox()
    box.setRange(xRange=(0.05, 0.1), yRange=(0.45, 0.5), padding=0)
    box.sigRangeChangedManually.emit(box.state["mouseEnabled"])  # as a mouse drag or wheel does
    _grow(plots, 200, start=51)
    (x0, x1), _ = box.viewRange()
    assert (x0, x1) == pytest.approx((0.05, 0.1)), "the user's zoom stays"
    plots.clear()  # a new race
    _grow(plots, 20)
    (x0, x1), _ = box.viewRange()
    assert x0 == 0 and x1 >= 0.08, "a new race follows its curves again"


def test_auto_range_chosen_by_the_user_is_left_to_pyqtgraph(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots._timer.stop()
    box = plots.accuracy.getViewBox()
    box.enableAutoRange()  # pyqtgraph's "A" button
    _grow(plots, 100)
    box.updateAutoRange()
    (_x0, x1), _ = box.viewRange()
    assert x1 < nice_end(0.4 * 1.02) or math.isclose(x1, 0.4, rel_tol=0.05), "pyqtgraph's tight range, not a step"


def test_on_a_log_time_axis_every_point_stays_in_view_and_the_axis_moves_rarely(qtbot) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots._timer.stop()
    plots.set_x_mode("log")
    changes = []
    plots.accuracy.getViewBox().sigRangeChanged.connect(lambda *_: changes.append(1))
    _grow(plots, 400)  # 0.004 s to 1.6 s: more than two decades
    (x0, x1), _ = plots.accuracy.getViewBox().viewRange()
    assert x0 <= math.log10(0.004) and x1 >= math.log10(1.6)
    assert x1 - x0 <= 3.5, "the log axis spans about the data's decades"
    assert len(changes) <= 40, f"the accuracy view moved {len(changes)} times for 400 points"


@pytest.mark.parametrize("mode", ["time", "log", "steps"])
def test_a_finished_race_s_axis_ends_close_to_its_data(qtbot, mode: str) -> None:
    plots = LivePlots()
    qtbot.addWidget(plots)
    plots._timer.stop()
    plots.set_x_mode(mode)
    _grow(plots, 305)  # the last point at 1.22 s (step 305): a live axis would end at 1.5 s (step 400)
    live_end = plots.accuracy.getViewBox().viewRange()[0][1]
    plots.settle()
    (x0, x1), _ = plots.accuracy.getViewBox().viewRange()
    last = 305 if mode == "steps" else 0.004 * 305
    last = math.log10(last) if mode == "log" else last
    assert x1 >= last and x1 < live_end
    assert x1 - last <= 0.05 * abs(last) + 0.02, f"the axis ends at {x1} for data ending at {last}"
    plots.set_x_mode("time" if mode != "time" else "steps")  # another axis keeps the close fit
    (_, x1), _ = plots.accuracy.getViewBox().viewRange()
    last = 305 if plots.x_mode == "steps" else 0.004 * 305
    assert last <= x1 <= last * 1.05
