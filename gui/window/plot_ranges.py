"""Axis ranges that grow in steps while the curves grow, so the axes are redrawn a few times a race, not every frame.

With pyqtgraph's auto-range every new point moved both axes, and each move re-rendered the axes'
ticks and text: measured on 2 cores, painting the live plots then cost about 0.3 s of the GUI thread
(and the GIL) per half-second forest fit, which slowed that fit by a quarter in the window. Here the
time axis ends at the next of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k seconds, accuracy moves
in 0.05 steps and the log-loss axis in quarter decades; the axes change only when a curve crosses
such a step. A range the user zooms or pans is left alone until the next race; pyqtgraph's "A"
button gives its own auto-range back.
"""

from __future__ import annotations

import math

import pyqtgraph as pg

#: Mantissas the time (or step) axis may end at, each 1.2 to 1.33 times the one before.
NICE_ENDS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
ACCURACY_STEP = 0.05
LOG_LOSS_STEP = 0.25  # a quarter decade


def nice_end(value: float) -> float:
    """The smallest ``m × 10^k`` (m in NICE_ENDS) that is at least ``value``; 1.0 for values <= 0."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for mantissa in NICE_ENDS:
        end = mantissa * power
        if end >= value * (1 - 1e-12):
            return end
    return 10.0 * power


def _snap(low: float, high: float, step: float, margin: float) -> tuple[float, float]:
    start = math.floor((low - margin) / step) * step
    end = math.ceil((high + margin) / step) * step
    return start, max(end, start + step)


#: The time (or step) axis shows at least this much: a race's first second would otherwise move it ~10 times.
MIN_X_END = 1.0


def stepped_x(high: float) -> tuple[float, float]:
    """The time (or step) axis: from 0 to the nice end above ``high``, with 2% of room (at least MIN_X_END)."""
    return 0.0, nice_end(max(high * 1.02, MIN_X_END))


def stepped_accuracy(low: float, high: float) -> tuple[float, float]:
    """The accuracy axis on 0.05 steps, inside [0, 1]."""
    start, end = _snap(low, high, ACCURACY_STEP, 0.005)
    return max(0.0, start), min(1.0, end)


def stepped_log(low: float, high: float) -> tuple[float, float]:
    """A log axis (view coordinates are log10 values) on quarter decades."""
    return _snap(low, high, LOG_LOSS_STEP, 0.02)


class SteppedRanges:
    """Keeps one plot's view on stepped ranges around everything drawn in it, until the user takes over."""

    def __init__(self, plot: pg.PlotWidget, y_axis: str) -> None:
        self._box = plot.getViewBox()
        self._y = stepped_log if y_axis == "log" else stepped_accuracy
        self._shown: tuple[tuple[float, float], tuple[float, float]] | None = None
        self.following = True
        self._box.sigRangeChangedManually.connect(self._taken_over)
        self._box.disableAutoRange()

    def _taken_over(self, *_args: object) -> None:
        self.following = False

    def resume(self) -> None:
        """Follow the curves again (a new race, another x axis)."""
        self.following = True
        self._shown = None
        self._box.disableAutoRange()

    def update(self) -> None:
        """Move the view if a curve crossed a step; nothing when the user zoomed or chose auto-range."""
        if not self.following or any(self._box.autoRangeEnabled()):
            return
        bounds = self._box.childrenBounds()
        if bounds is None or bounds[0] is None or bounds[1] is None:
            return
        (_x_low, x_high), (y_low, y_high) = bounds
        wanted = (stepped_x(x_high), self._y(y_low, y_high))
        if wanted != self._shown:
            self._shown = wanted
            self._box.setRange(xRange=wanted[0], yRange=wanted[1], padding=0)
