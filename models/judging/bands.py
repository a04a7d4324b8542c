"""Mean curves with confidence bands across repeated runs (numpy; scipy only when drawing a band)."""

from __future__ import annotations

import numpy as np


def mean_band(curves: list[list[dict]], points: int = 120, confidence: float = 0.95) -> dict | None:
    """Mean validation accuracy over several runs' curves against time, with a confidence band.

    Each curve is read on a common time grid (linear interpolation, holding its last value after it
    ends, nothing before its first point); where fewer than two runs have data the band is the mean.
    """
    curves = [c for c in curves if c]
    if not curves:
        return None
    end = max(c[-1]["t"] for c in curves)
    grid = np.linspace(0.0, end, points)
    values = np.full((len(curves), points), np.nan)
    for i, curve in enumerate(curves):
        t = np.array([p["t"] for p in curve])
        acc = np.array([p["val_accuracy"] for p in curve])
        inside = grid >= t[0]
        values[i, inside] = np.interp(grid[inside], t, acc)
    counts = np.sum(~np.isnan(values), axis=0)
    keep = counts > 0
    grid, values, counts = grid[keep], values[:, keep], counts[keep]
    mean = np.nanmean(values, axis=0)
    spread = np.sqrt(np.nansum((values - mean) ** 2, axis=0) / np.maximum(counts - 1, 1))
    half = np.zeros_like(mean)
    several = counts > 1
    if several.any():
        from scipy import stats  # here, not at the top: the window imports this module at start-up

        half[several] = stats.t.ppf(0.5 + confidence / 2, counts[several] - 1) * spread[several] / np.sqrt(counts[several])
    return {"t": grid.tolist(), "mean": mean.tolist(), "low": (mean - half).tolist(), "high": (mean + half).tolist(),
            "runs": len(curves)}
