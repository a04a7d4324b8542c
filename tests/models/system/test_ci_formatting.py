"""How a summary over seeds is written: symmetric, asymmetric, a range, and what files before intervals held."""

from __future__ import annotations

import numpy as np
import pytest

from modelrace.models.judging.stats import mean_ci
from modelrace.models.system import formatting as fmt


def plain(text: str) -> str:
    return text.replace("\xa0", " ")  # numbers are joined to their units by no-break spaces


def test_a_t_interval_inside_its_range_is_written_plus_minus() -> None:
    ci = mean_ci([0.70, 0.72, 0.74], kind="accuracy")
    assert plain(fmt.ci(ci)) == "0.720 ± 0.050"


def test_a_clamped_accuracy_interval_shows_both_bounds() -> None:
    ci = mean_ci([0.99, 1.0, 0.90], kind="accuracy")
    assert plain(fmt.ci(ci)) == f"0.963 ({ci['low']:.3f}–1.000)"
    assert plain(fmt.ci(ci, words=True)) == f"0.963 (95% CI {ci['low']:.3f}–1.000)"


def test_a_time_is_its_geometric_mean_with_an_asymmetric_interval() -> None:
    ci = mean_ci([0.5, 1.2, 20.1], kind="seconds")
    low, high = fmt.seconds(ci["low"]), fmt.seconds(ci["high"])
    assert plain(fmt.ci(ci, "seconds")) == f"2.29 s ({plain(low)[:-2]}–{plain(high)})"
    assert plain(fmt.ci(ci, "seconds", words=True)) == f"2.29 s (95% CI {plain(low)[:-2]}–{plain(high)})"
    assert plain(fmt.ci(ci, "seconds", words=True, centre=True)).startswith("2.29 s (geometric mean; 95% CI ")
    assert "-" not in fmt.ci(ci, "seconds"), "no negative bound"


def test_two_seeds_give_the_range_and_say_so() -> None:
    accuracy = mean_ci([0.70, 0.85], kind="accuracy")
    assert plain(fmt.ci(accuracy)) == "0.775 (range 0.700–0.850)"
    times = mean_ci([0.05, 0.08], kind="seconds")
    assert plain(fmt.ci(times, "seconds")) == "0.06 s (range 0.05–0.08 s)"
    assert plain(fmt.ci(times, "seconds", words=True, centre=True)) == "0.06 s (geometric mean; range 0.05–0.08 s)"
    assert plain(fmt.ci(accuracy, range_said=True)) == "0.775 (0.700–0.850)", "a caption says the table's are ranges"
    assert fmt.ci(mean_ci([0.7, 0.8, 0.9]), range_said=True) == fmt.ci(mean_ci([0.7, 0.8, 0.9])), "only ranges"


def test_one_value_and_none_are_written_alone() -> None:
    assert fmt.ci(mean_ci([0.5])) == "0.500"
    assert plain(fmt.ci(mean_ci([1.77], kind="seconds"), "seconds")) == "1.77 s"
    assert fmt.ci(mean_ci([], kind="seconds"), "seconds", missing=fmt.NEVER) == "never"
    assert fmt.ci(None) == fmt.MISSING


def test_a_number_never_parts_from_its_unit() -> None:
    for values in ([0.05, 0.08], [0.5, 1.2, 20.1], [3.0]):
        text = fmt.ci(mean_ci(values, kind="seconds"), "seconds", words=True, centre=True)
        assert "\xa0s" in text and " s)" not in text and not text.endswith(" s")


def test_cells_stay_short_enough_for_a_table() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 8))
        accuracy = fmt.ci(mean_ci(list(rng.uniform(0, 1, n)), kind="accuracy"))
        seconds = fmt.ci(mean_ci(list(np.exp(rng.normal(0, 3, n))), kind="seconds"), "seconds")
        assert len(accuracy) <= 25 and len(seconds) <= 28, (accuracy, seconds)


def test_files_from_before_intervals_read_in_range() -> None:
    # Written by the old mean_ci: a t-interval for 2 values (12.7 half-ranges each side) and no "interval" key.
    old_two = {"mean": 0.1333435, "low": -0.11510727430879186, "high": 0.38179427430879187, "n": 2}
    read = fmt.read_interval(old_two, "seconds")
    assert read["interval"] == "range" and read["centre"] == "mean"
    half = (old_two["high"] - old_two["mean"]) / 12.706204736174694
    assert (read["low"], read["high"]) == pytest.approx((0.1333435 - half, 0.1333435 + half))
    assert read["low"] > 0
    assert plain(fmt.ci(old_two, "seconds")) == "0.13 s (range 0.11–0.15 s)"
    old_accuracy = {"mean": 0.779, "low": 0.474, "high": 1.084, "n": 3}
    read = fmt.read_interval(old_accuracy, "accuracy")
    assert (read["low"], read["high"], read["interval"]) == (0.474, 1.0, "t")
    assert plain(fmt.ci(old_accuracy)) == "0.779 (0.474–1.000)"
    old_time = {"mean": 7.28, "low": -4.59, "high": 19.15, "n": 3}
    assert plain(fmt.ci(old_time, "seconds")) == "7.28 s (0.00–19.1 s)"
    assert fmt.read_interval({"mean": 0.5, "low": None, "high": None, "n": 1})["interval"] is None
    new = mean_ci([0.1, 0.2, 0.3], kind="seconds")
    assert fmt.read_interval(new, "seconds") is new, "a new interval is read as it is"


def test_the_legend_says_what_the_numbers_are() -> None:
    assert fmt.ci_legend(3) == "mean ± 95% CI; times: geometric mean (95% CI)"
    assert "range" in fmt.ci_legend(2) and "95% CI" in fmt.ci_legend(2)
