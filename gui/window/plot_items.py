"""Plot items that obey their plot's axis modes (linear or log), whenever those modes are set.

pyqtgraph maps a ``PlotDataItem``'s data to log10 when its plot is in log mode, but some items do not
follow: a ``FillBetweenItem`` keeps the path of its curves from before the mode was applied (its
curves' ``setLogMode`` does not announce a change), so a confidence band on a log axis was drawn in
linear seconds, far above its median line, and stretched the axis over ten decades; a
``ScatterPlotItem`` has no log mode at all. The bands and markers of the live curves and the Time to target
tab come from here; the Data size tab, whose axes are always log, places its whiskers in log10 itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QColor


class LogAwareFill(pg.FillBetweenItem):
    """A filled band between two curves that is redrawn whenever the plot's log modes change."""

    def setLogMode(self, x: bool, y: bool) -> None:  # noqa: N802 - pyqtgraph's name, called by PlotItem
        """Apply the plot's log modes to both edges, then redraw the fill from their mapped paths."""
        for curve in self.curves or ():
            curve.setLogMode(x, y)
        self.updatePath()


def add_band(plot: pg.PlotWidget | pg.PlotItem, x: Sequence[float], low: Sequence[float], high: Sequence[float],
             color: QColor, alpha: int = 60) -> list[pg.GraphicsObject]:
    """Add a filled band from ``low`` to ``high`` over ``x`` to ``plot``; returns its items (to remove later).

    The edges are added before the fill, so the fill is built from paths already in the plot's axis modes.
    """
    lower = pg.PlotDataItem(list(x), list(low), pen=pg.mkPen(None))
    upper = pg.PlotDataItem(list(x), list(high), pen=pg.mkPen(None))
    fill_color = QColor(color)
    fill_color.setAlpha(alpha)
    plot.addItem(lower)
    plot.addItem(upper)
    fill = LogAwareFill(lower, upper, brush=pg.mkBrush(fill_color))
    plot.addItem(fill)
    return [lower, upper, fill]


def set_markers(item: pg.PlotDataItem, spots: Sequence[tuple[float, float, str]]) -> None:
    """Show a marker at each ``(x, y, colour)`` of ``spots`` (an empty list hides them all)."""
    if not spots:
        item.setData([], [])
        return
    xs, ys, colors = zip(*spots)
    item.setData(list(xs), list(ys), symbolBrush=[pg.mkBrush(c) for c in colors])


def label_fill(background: str) -> QColor:
    """A backing for line labels: the plot's background, slightly see-through, so curves pass behind the text."""
    fill = QColor(background)
    fill.setAlpha(215)
    return fill


def drawn_y_range(item: pg.GraphicsObject) -> tuple[float, float] | None:
    """The vertical extent of what ``item`` draws, in its plot's view coordinates (log10 on a log axis).

    For tests and checks: a band, a curve and a marker drawn from the same data must land in the same place.
    """
    return _drawn_range(item, 1)


def drawn_x_range(item: pg.GraphicsObject) -> tuple[float, float] | None:
    """The horizontal extent of what ``item`` draws, in its plot's view coordinates (log10 on a log axis)."""
    return _drawn_range(item, 0)


def _drawn_range(item: pg.GraphicsObject, axis: int) -> tuple[float, float] | None:
    """What ``item`` spans along ``axis`` (0: x, 1: y): a data item's mapped data, else its drawn shape."""
    if isinstance(item, pg.PlotDataItem):
        low, high = item.dataBounds(axis)
        return None if low is None else (float(low), float(high))
    rect = item.boundingRect()
    if rect.isNull():
        return None
    return (float(rect.left()), float(rect.right())) if axis == 0 else (float(rect.top()), float(rect.bottom()))
