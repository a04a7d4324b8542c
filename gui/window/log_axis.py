"""A log axis for pyqtgraph whose tick labels never collide: decades, then 2× and 5×, then finer only when needed."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class OneTwoFiveLogAxis(pg.AxisItem):
    """A log axis with ticks at 1-2-5 steps only; pyqtgraph labels every minor 2..9 tick, which collide."""

    def logTickValues(self, minVal: float, maxVal: float, size: float, stdTicks: list) -> list:  # noqa: N802, N803
        """Decades as major ticks, 2x and 5x as minor ones (values are log10 of the data).

        A narrow range (a loss between 0.6 and 0.9 mid-race) holds no 1-2-5 value or only one: then
        every 1..9 multiple, and if that still gives fewer than two, round values inside the range.
        """
        return [(None, values) for values in log_ticks(minVal, maxVal)]


def log_ticks(low: float, high: float) -> list[list[float]]:
    """Major and minor tick positions (log10 values) for a log axis from ``low`` to ``high`` (log10 too)."""
    if not np.isfinite(low) or not np.isfinite(high) or high <= low:
        return [[], []]
    first, last = int(np.floor(low)), int(np.ceil(high))
    decades = [float(v) for v in range(first, last + 1) if low <= v <= high]
    halves = [v + float(np.log10(m)) for v in range(first, last + 1) for m in (2, 5)]
    halves = [v for v in halves if low <= v <= high]
    if len(decades) + len(halves) >= 2:
        return [decades, halves]
    units = [v + float(np.log10(m)) for v in range(first, last + 1) for m in range(1, 10)]
    units = [v for v in units if low <= v <= high]
    if len(units) >= 2:
        return [units, []]
    # Less than one 1..9 step across: label round values at the range's own scale.
    lo, hi = 10 ** low, 10 ** high
    step = 10 ** np.floor(np.log10(hi - lo))
    values = np.arange(np.ceil(lo / step) * step, hi + step / 2, step)
    if values.size < 2:
        step /= 2
        values = np.arange(np.ceil(lo / step) * step, hi + step / 2, step)
    return [[float(np.log10(v)) for v in values if lo <= v <= hi and v > 0], []]
