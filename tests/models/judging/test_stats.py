"""The statistics against worked examples with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modelrace.models.judging.stats import corrected_resampled_ttest, effect_words, mcnemar_exact, mean_ci, p_text


def test_mcnemar_on_a_hand_made_table() -> None:
    # 100 test rows: 80 both right, 10 only A right, 2 only B right, 8 both wrong.
    a = np.array([1] * 80 + [1] * 10 + [0] * 2 + [0] * 8, dtype=bool)
    b = np.array([1] * 80 + [0] * 10 + [1] * 2 + [0] * 8, dtype=bool)
    result = mcnemar_exact(a, b)
    assert (result["only_a"], result["only_b"]) == (10, 2)
    # exact two-sided binomial: 2 * P(X <= 2 | n = 12, p = 1/2) = 2 * (1 + 12 + 66) / 4096
    assert result["p_value"] == pytest.approx(2 * (1 + 12 + 66) / 4096)


def test_mcnemar_without_disagreement_is_one() -> None:
    same = np.array([1, 0, 1, 1], dtype=bool)
    assert mcnemar_exact(same, same)["p_value"] == 1.0


def test_corrected_resampled_ttest_on_fixed_numbers() -> None:
    a = [0.81, 0.82, 0.815, 0.83, 0.825]
    b = [0.80, 0.80, 0.800, 0.80, 0.800]
    result = corrected_resampled_ttest(a, b, n_train=800, n_test=200)
    # by hand: d = [.01 .02 .015 .03 .025], mean .02, var(ddof=1) = 2.5e-4 / 4 = 6.25e-5
    # corrected var = (1/5 + 200/800) * 6.25e-5 = 2.8125e-5; t = .02 / sqrt(2.8125e-5) = 3.7712
    assert result["mean_difference"] == pytest.approx(0.02)
    assert result["t"] == pytest.approx(0.02 / math.sqrt(2.8125e-5), rel=1e-6)
    assert result["df"] == 4
    # two-sided p for t = 3.7712 with 4 degrees of freedom (from a t table: 0.0196)
    assert result["p_value"] == pytest.approx(0.0196, abs=2e-4)
    assert result["prob_a_better"] == pytest.approx(1 - result["p_value"] / 2)


def test_the_correction_makes_the_test_more_cautious() -> None:
    a, b = [0.81, 0.82, 0.815, 0.83, 0.825], [0.8] * 5
    naive = corrected_resampled_ttest(a, b, n_train=10**9, n_test=1)  # correction term ~0: plain paired t-test
    corrected = corrected_resampled_ttest(a, b, n_train=800, n_test=200)
    assert corrected["p_value"] > naive["p_value"]


def test_mean_ci_matches_the_t_formula() -> None:
    values = [0.70, 0.72, 0.74]
    ci = mean_ci(values)
    half = 4.302652729749464 * np.std(values, ddof=1) / math.sqrt(3)  # t(0.975, 2)
    assert ci["mean"] == pytest.approx(0.72)
    assert (ci["low"], ci["high"]) == pytest.approx((0.72 - half, 0.72 + half))
    assert mean_ci([0.5])["low"] is None and mean_ci([])["mean"] is None


def test_words() -> None:
    def plain(text: str) -> str:
        return text.replace("\xa0", " ")  # numbers are joined to their units by no-break spaces

    assert plain(p_text(0.0004)) == "p < 0.001" and plain(p_text(0.0312)) == "p = 0.031"
    assert plain(p_text(0.004)) == "p = 0.0040"
    assert plain(effect_words(0.142, 0.0001)).startswith("14.2 points (large; p < 0.001")
    assert "could well be chance" in effect_words(0.003, 0.4)
