"""One number format for the window, the reports and the terminal."""

from __future__ import annotations

import math

import pytest

from modelrace.models.system import formatting as fmt

NBSP = "\u00a0"


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize("value, shown", [(0.815937, "0.816"), (0.8114, "0.811"), (1.0, "1.000"), (0.0, "0.000"),
                                          (None, "—")])
def test_accuracies_have_three_decimals(value: float | None, shown: str) -> None:
    assert fmt.accuracy(value) == shown


@pytest.mark.parametrize("value, shown", [(0.83, "83.0%"), (0.8456, "84.6%"), (0.744449, "74.4%"), (None, "—")])
def test_percentages_have_one_decimal(value: float | None, shown: str) -> None:
    assert fmt.percent(value) == shown


@pytest.mark.parametrize("value, shown", [(7.132e-22, "< 0.001"), (0.00099, "< 0.001"), (0.001, "0.0010"),
                                          (0.007878, "0.0079"), (0.3893, "0.39"), (0.3, "0.30"), (0.0999, "0.10"),
                                          (0.05, "0.050"), (1.0, "1.0"), (None, "—")])
def test_p_values_are_below_a_thousandth_or_two_significant_figures(value: float | None, shown: str) -> None:
    assert plain(fmt.p_value(value)) == shown


def test_p_in_a_sentence() -> None:
    assert plain(fmt.p_text(0.0001)) == "p < 0.001" and plain(fmt.p_text(0.0312)) == "p = 0.031"
    assert fmt.p_text(None) == "p not available"


@pytest.mark.parametrize("value, shown", [(0.004, "0.004 s"), (0.0612, "0.06 s"), (0.16, "0.16 s"), (9.994, "9.99 s"),
                                          (12.44, "12.4 s"), (305.2, "305 s"), (None, "—")])
def test_seconds_keep_their_unit_on_the_same_line(value: float | None, shown: str) -> None:
    text = fmt.seconds(value)
    assert plain(text) == shown
    assert value is None or " " not in text, "a line must never break between a number and its unit"


def test_intervals_use_the_same_digits_as_single_values() -> None:
    interval = {"mean": 0.8114, "low": 0.7930, "high": 0.8298, "n": 5}
    assert plain(fmt.ci(interval)) == "0.811 ± 0.018"
    assert plain(fmt.ci({"mean": 0.16, "low": 0.09, "high": 0.23, "n": 3}, "seconds")) == "0.16 ± 0.07 s"
    assert plain(fmt.ci({"mean": 0.05, "low": 0.045, "high": 0.055, "n": 3}, "seconds")) == "0.05 ± 0.01 s"
    assert plain(fmt.ci({"mean": 41.0, "low": 38.0, "high": 44.0, "n": 3}, "seconds")) == "41.0 ± 3.0 s"
    assert fmt.ci({"mean": 0.5, "low": None, "high": None, "n": 1}) == "0.500"
    assert fmt.ci({"mean": None, "low": None, "high": None, "n": 0}, "seconds", missing=fmt.NEVER) == "never"


@pytest.mark.parametrize("value, shown", [(-0.0606, "-6.1 points"), (0.061, "+6.1 points"), (0.0, "+0.0 points")])
def test_points_have_one_decimal(value: float, shown: str) -> None:
    assert plain(fmt.points(value)) == shown
    assert plain(fmt.points(value, signed=False)) == shown.lstrip("+-")


@pytest.mark.parametrize("done, total, unit, shown", [(5.00312, 20, "epoch", "5/20 epochs"), (1, None, "tree", "1 tree"),
                                                       (3.9999999999, 4, "round", "4/4 rounds"), (3.75, 4, "round", "3/4 rounds"), (0, 1, "epoch", "0/1 epoch"),
                                                       (100, 100, "tree", "100/100 trees")])
def test_steps_are_whole(done: float, total: int | None, unit: str, shown: str) -> None:
    assert fmt.steps(done, total, unit) == shown


@pytest.mark.parametrize("value, shown", [(0.001, "0.001"), (0.9, "0.9"), (1e-05, "1e-05"), (300.0, "300"), (0.0, "0"),
                                          (0.123456789, "0.123457"), (0.05, "0.05"), (2.5, "2.5")])
def test_inputs_have_no_trailing_zeros(value: float, shown: str) -> None:
    assert fmt.input_number(value) == shown
    assert math.isclose(float(shown), value, rel_tol=1e-5, abs_tol=1e-12)


@pytest.mark.parametrize("value, decimals, shown", [(0.00001, 6, "0.00001"), (0.001, 6, "0.001"), (0.9, 3, "0.9"),
                                                    (0.0, 5, "0"), (300.0, 2, "300"), (0.1234567, 6, "0.123457")])
def test_spin_box_text_never_uses_an_exponent(value: float, decimals: int, shown: str) -> None:
    assert fmt.input_number(value, decimals) == shown


def test_one_word_per_state() -> None:
    assert fmt.status_word("skipped") == "not run" and fmt.status_word("finished") == "finished"
    assert len(set(fmt.STATUS_WORDS.values())) == len(fmt.STATUS_WORDS)


def test_sizes() -> None:
    assert plain(fmt.format_size(512)) == "512 B" and plain(fmt.format_size(2_500_000)) == "2.5 MB"
    assert fmt.format_size(None) == "—"


def test_statistics_stay_readable_when_runs_differ_by_the_same_amount() -> None:
    assert fmt.statistic(3.9213) == "3.92" and fmt.statistic(None) == "—"
    assert plain(fmt.statistic(-918557695254854.25)) == "< -1000" and plain(fmt.statistic(2e6)) == "> 1000"
