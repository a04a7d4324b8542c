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

#: Mantissas the time (or step) axis may end at, each at most 4/3 times the one before (61 s ends at 70, not 80).
NICE_ENDS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0)
#: A settled view (a finished race, an opened result) ends this far past the data.
SETTLED_ROOM = 0.03
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


def stepped_log_x(low: float, high: float) -> tuple[float, float]:
    """A log time axis (log10 view coordinates): from the quarter decade below ``low`` to the nice end above ``high``."""
    start = math.floor(low / LOG_LOSS_STEP) * LOG_LOSS_STEP
    end = math.log10(nice_end(max(10 ** high * 1.02, 10 ** start * 1.5)))
    return start, end


def settled_x(low: float, high: float, log: bool) -> tuple[float, float]:
    """A finished view's time (or step) axis: just past the data (from 0, or from the data's start on a log axis)."""
    if log:
        room = math.log10(1 + SETTLED_ROOM)
        return low - room, high + room
    return 0.0, max(high * (1 + SETTLED_ROOM), 1e-9)


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
        self.x_log = False
        self.settled = False  # the curves are complete: fit them closely instead of in live steps
        self._box.sigRangeChangedManually.connect(self._taken_over)
        self._box.disableAutoRange()

    def _taken_over(self, *_args: object) -> None:
        self.following = False

    def resume(self) -> None:
        """Follow the curves again (a new race, another x axis)."""
        self.following = True
        self.settled = False
        self._shown = None
        self._box.disableAutoRange()

    def set_x_log(self, log: bool) -> None:
        """The x axis is now log10 of the data (True) or linear."""
        self.x_log = log
        self._shown = None

    def settle(self) -> None:
        """The curves will not grow: fit the time axis closely to them (a finished race, an opened result)."""
        self.settled = True
        self._shown = None
        self.update()

    def update(self) -> None:
        """Move the view if a curve crossed a step; nothing when the user zoomed or chose auto-range."""
        if not self.following or any(self._box.autoRangeEnabled()):
            return
        bounds = self._box.childrenBounds()
        if bounds is None or bounds[0] is None or bounds[1] is None:
            return
        (x_low, x_high), (y_low, y_high) = bounds
        if self.settled:
            x_range = settled_x(x_low, x_high, self.x_log)
        else:
            x_range = stepped_log_x(x_low, x_high) if self.x_log else stepped_x(x_high)
        wanted = (x_range, self._y(y_low, y_high))
        if wanted != self._shown:
            self._shown = wanted
            self._box.setRange(xRange=wanted[0], yRange=wanted[1], padding=0)
