"""Statistics for the verdict: confidence intervals, McNemar's exact test, the corrected resampled t-test.

All distributions come from scipy. The corrected resampled t-test is Nadeau & Bengio's (2003): with
J repeated random train/test splits, the variance of the score differences is inflated by
(1/J + n_test/n_train) because the splits overlap; it is the test Weka's Experimenter uses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, TypedDict

import numpy as np
from scipy import stats

from modelrace.models.results.document import Interval
from modelrace.models.system.formatting import FEWEST_FOR_CI, p_text
from modelrace.models.system.formatting import points as format_points


class McNemarCounts(TypedDict):
    """McNemar's exact test of two models' predictions on the same rows (see :func:`mcnemar_exact`)."""

    only_a: int
    only_b: int
    p_value: float
    rows: int


class ResampledTTest(TypedDict):
    """The corrected resampled t-test of two models' per-repeat scores (see :func:`corrected_resampled_ttest`)."""

    mean_difference: float
    t: float | None
    df: int
    p_value: float | None
    prob_a_better: float | None
    repeats: int


def mean_ci(values: Sequence[float | None], confidence: float = 0.95, kind: str = "accuracy") -> Interval:
    """The centre of ``values`` and an interval around it that stays inside what the quantity can be.

    ``kind`` is "accuracy" (any fraction in [0, 1]: accuracy, macro-F1) or "seconds" (a duration,
    never negative). Returns ``{"mean", "low", "high", "n", "interval", "centre"}``:

    - n >= 3, accuracy: the arithmetic mean with the Student-t interval, clamped to [0, 1]
      (``interval`` "t", ``centre`` "mean");
    - n >= 3, seconds: the geometric mean with the t-interval of the logarithms, turned back into
      seconds: positive and asymmetric, as durations that vary by a factor are (``interval``
      "log-t", ``centre`` "geometric mean"). A value of 0 or less has no logarithm: then the
      arithmetic mean with the t-interval clamped at 0;
    - n == 2: ``low`` and ``high`` are the two values (``interval`` "range"), the centre as above;
    - n == 1: the value, no bounds; n == 0: nothing (``interval`` None).

    ``mean`` always holds the centre that ``centre`` names, and it lies in [low, high].
    """
    data = np.asarray([v for v in values if v is not None], dtype=float)
    n = int(data.size)
    if n == 0:
        return {"mean": None, "low": None, "high": None, "n": 0, "interval": None, "centre": None}
    logged = kind == "seconds" and bool(np.all(data > 0))
    centre = float(np.exp(np.log(data).mean())) if logged else float(data.mean())
    name: Literal["mean", "geometric mean"] = "geometric mean" if logged else "mean"
    if n < 2:
        return {"mean": float(data[0]), "low": None, "high": None, "n": 1, "interval": None, "centre": name}
    if n < FEWEST_FOR_CI:
        low, high = float(data.min()), float(data.max())
        return {"mean": min(max(centre, low), high), "low": low, "high": high, "n": n, "interval": "range",
                "centre": name}
    t = float(stats.t.ppf(0.5 + confidence / 2, n - 1))
    if logged:
        logs = np.log(data)
        half = t * float(logs.std(ddof=1)) / math.sqrt(n)
        low, high = float(np.exp(logs.mean() - half)), float(np.exp(logs.mean() + half))
        return {"mean": min(max(centre, low), high), "low": low, "high": high, "n": n, "interval": "log-t",
                "centre": name}
    half = t * float(data.std(ddof=1)) / math.sqrt(n)
    floor, ceiling = (0.0, 1.0) if kind == "accuracy" else (0.0, math.inf)
    return {"mean": centre, "low": max(floor, centre - half), "high": min(ceiling, centre + half), "n": n,
            "interval": "t", "centre": name}


def mcnemar_exact(correct_a: np.ndarray, correct_b: np.ndarray) -> McNemarCounts:
    """McNemar's exact test on paired predictions: do A and B err on the test rows at different rates?

    ``only_a`` counts rows A got right and B wrong, ``only_b`` the reverse; under the null hypothesis
    each discordant row is a fair coin, so the two-sided p-value is a binomial test.
    """
    correct_a = np.asarray(correct_a, dtype=bool)
    correct_b = np.asarray(correct_b, dtype=bool)
    only_a = int(np.sum(correct_a & ~correct_b))
    only_b = int(np.sum(~correct_a & correct_b))
    discordant = only_a + only_b
    p_value = 1.0 if discordant == 0 else float(stats.binomtest(min(only_a, only_b), discordant, 0.5).pvalue)
    return {"only_a": only_a, "only_b": only_b, "p_value": min(1.0, p_value), "rows": int(correct_a.size)}


def corrected_resampled_ttest(scores_a: Sequence[float], scores_b: Sequence[float], n_train: int, n_test: int) -> ResampledTTest:
    """Nadeau & Bengio's corrected resampled t-test on paired per-repeat scores of A and B.

    Also returns ``prob_a_better``: the probability that A's true mean score exceeds B's, reading
    the same corrected t distribution as a posterior of the mean difference.
    """
    a = np.asarray(scores_a, dtype=float)
    b = np.asarray(scores_b, dtype=float)
    diff = a - b
    j = int(diff.size)
    mean = float(diff.mean()) if j else 0.0
    if j < 2:
        return {"mean_difference": mean, "t": None, "df": max(0, j - 1), "p_value": None, "prob_a_better": None, "repeats": j}
    variance = float(diff.var(ddof=1)) * (1.0 / j + n_test / n_train)
    df = j - 1
    if variance == 0.0:
        same = mean == 0.0
        return {"mean_difference": mean, "t": None, "df": df, "p_value": 1.0 if same else 0.0,
                "prob_a_better": 0.5 if same else float(mean > 0), "repeats": j}
    t = mean / math.sqrt(variance)
    return {
        "mean_difference": mean,
        "t": t,
        "df": df,
        "p_value": float(2 * stats.t.sf(abs(t), df)),
        "prob_a_better": float(stats.t.cdf(t, df)),
        "repeats": j,
    }


def effect_words(difference: float, p_value: float | None) -> str:
    """A plain description of an accuracy difference and how sure we can be of it."""
    points = abs(difference) * 100
    size = "negligible" if points < 0.5 else "small" if points < 2 else "moderate" if points < 5 else "large"
    if p_value is None:
        sure = "too few repeats to test"
    elif p_value < 0.01:
        sure = "very unlikely to be chance"
    elif p_value < 0.05:
        sure = "unlikely to be chance"
    else:
        sure = "could well be chance"
    return f"{format_points(difference, signed=False)} ({size}; {p_text(p_value)}, {sure})"
