"""Mean curves with confidence bands across repeated runs (numpy; scipy only when drawing a band)."""

from __future__ import annotations

import numpy as np

from modelrace.models.system.formatting import FEWEST_FOR_CI


def mean_band(curves: list[list[dict]], points: int = 120, confidence: float = 0.95) -> dict | None:
    """Mean validation accuracy over several runs' curves against time, with a band around it.

    The band covers only the time every run has data for (from the latest first point to the
    earliest last point), so it neither dips where one run has just started nor ends in a block
    where runs that finished early are held at their last value. From 3 runs it is the Student-t
    confidence band, clipped to [0, 1] (``interval`` "t"); with fewer, ``low`` and ``high`` are the
    lowest and highest run at each time (``interval`` "range"), which a chart should not draw as a
    95% band: a t band from 2 runs is 12.7 standard errors wide and swamps the plot.
    """
    curves = [c for c in curves if c]
    if not curves:
        return None
    start = max(c[0]["t"] for c in curves)
    end = min(c[-1]["t"] for c in curves)
    if end < start:  # the runs share no stretch of time
        return None
    grid = np.linspace(start, end, points) if end > start else np.array([start])
    values = np.empty((len(curves), grid.size))
    for i, curve in enumerate(curves):
        t = np.array([p["t"] for p in curve])
        values[i] = np.interp(grid, t, np.array([p["val_accuracy"] for p in curve]))
    n = len(curves)
    mean = values.mean(axis=0)
    if n < FEWEST_FOR_CI:
        return {"t": grid.tolist(), "mean": mean.tolist(), "low": values.min(axis=0).tolist(),
                "high": values.max(axis=0).tolist(), "runs": n, "interval": "range"}
    from scipy import stats  # here, not at the top: the window imports this module at start-up

    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * values.std(axis=0, ddof=1) / np.sqrt(n)
    return {"t": grid.tolist(), "mean": mean.tolist(), "low": np.clip(mean - half, 0.0, 1.0).tolist(),
            "high": np.clip(mean + half, 0.0, 1.0).tolist(), "runs": n, "interval": "t"}
