"""Summary intervals stay inside what their quantity can be: accuracies in [0, 1], times above 0 s."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modelrace.models.judging.bands import mean_band
from modelrace.models.judging.stats import mean_ci

T_975 = {2: 4.302652729749464, 4: 2.7764451051977987}  # Student's t at 97.5% by degrees of freedom


def _accuracies(rng: np.random.Generator, n: int) -> list[float]:
    """Accuracies spread widely, some at or next to 0 and 1 (the MLP that swings from 0.2 to 1.0)."""
    pick = rng.integers(0, 3)
    if pick == 0:
        return list(rng.uniform(0.0, 1.0, n))
    if pick == 1:
        return list(np.clip(rng.normal(0.98, 0.05, n), 0.0, 1.0))
    return list(np.clip(rng.normal(0.03, 0.05, n), 0.0, 1.0))


def _seconds(rng: np.random.Generator, n: int) -> list[float]:
    """Times that vary by a factor, as times to a target do (XGBoost's 7.28 s with a 'CI' reaching -4.59 s)."""
    return list(np.exp(rng.normal(rng.uniform(-4, 4), rng.uniform(0.01, 2.5), n)))


@pytest.mark.parametrize("kind, draw", [("accuracy", _accuracies), ("seconds", _seconds)])
def test_every_interval_lies_in_its_range_and_holds_its_centre(kind: str, draw) -> None:
    rng = np.random.default_rng(22)
    for _ in range(400):
        n = int(rng.integers(0, 9))
        values = draw(rng, n)
        ci = mean_ci(values, kind=kind)
        assert ci["n"] == n
        if n == 0:
            assert ci["mean"] is None and ci["interval"] is None
            continue
        if n == 1:
            assert (ci["low"], ci["high"], ci["interval"]) == (None, None, None) and ci["mean"] == values[0]
            continue
        assert ci["low"] <= ci["mean"] <= ci["high"], (values, ci)
        assert ci["low"] >= 0.0
        if kind == "accuracy":
            assert ci["high"] <= 1.0
            assert ci["centre"] == "mean" and ci["mean"] == pytest.approx(float(np.mean(values)))
        else:
            assert ci["low"] > 0.0, "a time's interval stays above 0 s"
            assert ci["centre"] == "geometric mean"
            assert ci["mean"] == pytest.approx(float(np.exp(np.mean(np.log(values)))))
        if n == 2:
            assert ci["interval"] == "range" and (ci["low"], ci["high"]) == (min(values), max(values))
        else:
            assert ci["interval"] == ("t" if kind == "accuracy" else "log-t")


def test_an_accuracy_interval_is_the_t_interval_clamped_to_one() -> None:
    values = [0.99, 1.0, 0.90]
    ci = mean_ci(values, kind="accuracy")
    half = T_975[2] * np.std(values, ddof=1) / math.sqrt(3)
    assert ci["mean"] - half == pytest.approx(ci["low"])
    assert ci["mean"] + half > 1.0 and ci["high"] == 1.0


def test_a_time_interval_is_the_t_interval_of_the_logarithms() -> None:
    values = [0.5, 1.2, 20.1]  # the unclamped t-interval around the mean, 7.27 ± 27.6 s, runs far below 0
    ci = mean_ci(values, kind="seconds")
    logs = np.log(values)
    half = T_975[2] * np.std(logs, ddof=1) / math.sqrt(3)
    assert ci["interval"] == "log-t" and ci["centre"] == "geometric mean"
    assert ci["mean"] == pytest.approx(math.exp(logs.mean()))
    assert (ci["low"], ci["high"]) == pytest.approx((math.exp(logs.mean() - half), math.exp(logs.mean() + half)))
    assert ci["high"] / ci["mean"] == pytest.approx(ci["mean"] / ci["low"]), "symmetric on the log scale"


def test_a_time_of_zero_falls_back_to_the_mean_clamped_at_zero() -> None:
    ci = mean_ci([0.0, 0.1, 0.2, 0.4, 0.05], kind="seconds")
    assert ci["interval"] == "t" and ci["centre"] == "mean"
    assert ci["mean"] == pytest.approx(0.15) and ci["low"] == 0.0 and ci["high"] > ci["mean"]


def test_equal_values_give_an_interval_of_no_width() -> None:
    for kind in ("accuracy", "seconds"):
        for n in (2, 3, 5):
            ci = mean_ci([0.3] * n, kind=kind)
            assert ci["low"] <= ci["mean"] <= ci["high"] and ci["high"] - ci["low"] == pytest.approx(0.0, abs=1e-12)


def _curve(offset: float, slope: float, end: float = 10.0) -> list[dict]:
    return [{"t": t, "val_accuracy": min(1.0, offset + slope * t)} for t in np.linspace(0.1, end, 25)]


def test_a_band_from_two_runs_is_their_range() -> None:
    runs = [_curve(0.2, 0.09), _curve(0.6, 0.01)]
    band = mean_band(runs)
    assert band["interval"] == "range" and band["runs"] == 2
    grid = np.array(band["t"])
    each = [np.interp(grid, [p["t"] for p in c], [p["val_accuracy"] for p in c]) for c in runs]
    assert band["low"] == pytest.approx(list(np.minimum(*each)))
    assert band["high"] == pytest.approx(list(np.maximum(*each)))


def test_a_band_from_three_or_more_runs_is_a_clipped_t_band() -> None:
    rng = np.random.default_rng(5)
    for runs in (3, 5):
        curves = [_curve(float(rng.uniform(0.1, 0.9)), float(rng.uniform(0.0, 0.1))) for _ in range(runs)]
        band = mean_band(curves)
        assert band["interval"] == "t" and band["runs"] == runs
        low, mean, high = (np.array(band[k]) for k in ("low", "mean", "high"))
        assert np.all(low >= 0.0) and np.all(high <= 1.0) and np.all((low <= mean) & (mean <= high))
