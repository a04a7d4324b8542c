"""Mean curves with confidence bands across repeated runs (numpy; scipy only when drawing a band)."""

from __future__ import annotations

import numpy as np


def mean_band(curves: list[list[dict]], points: int = 120, confidence: float = 0.95) -> dict | None:
    """Mean validation accuracy over several runs' curves against time, with a confidence band.

    The band covers only the time every run has data for (from the latest first point to the
    earliest last point), so it neither dips where one run has just started nor ends in a block
    where runs that finished early are held at their last value; it is clipped to [0, 1].
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
    half = np.zeros_like(mean)
    if n > 1:
        from scipy import stats  # here, not at the top: the window imports this module at start-up

        half = stats.t.ppf(0.5 + confidence / 2, n - 1) * values.std(axis=0, ddof=1) / np.sqrt(n)
    return {"t": grid.tolist(), "mean": mean.tolist(), "low": np.clip(mean - half, 0.0, 1.0).tolist(),
            "high": np.clip(mean + half, 0.0, 1.0).tolist(), "runs": n}
