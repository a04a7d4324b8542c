"""Lines of reference on the accuracy plot: the grid, the target with its markers, and the published accuracies
on the full Covertype data (View menu), each labelled."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from modelrace.gui.window.plot_items import label_fill
from modelrace.gui.window.theme import REFERENCE_COLOR, TARGET_COLOR, line_width, plot_colors, text_color

#: Published accuracies on the full Covertype data (accuracy, label, citation).
REFERENCES = (
    (0.70, "1998 neural net 70%", "Blackard & Dean (1999), Computers and Electronics in Agriculture 24(3):131-151"),
    (0.89, "XGBoost, 500 rounds ≈89%", "XGBoost with default depth and 500 rounds, as reported on the full data"),
    (0.96, "tuned MLP ≈96%", "Gorishniy et al. (2021), Revisiting Deep Learning Models for Tabular Data, NeurIPS"),
)


def reference_lines(background: str, hue: str = REFERENCE_COLOR) -> list[pg.InfiniteLine]:
    """A dotted, labelled line per published accuracy in ``hue``; each label hangs below its line (the top one
    stays inside the plot) on a backing the curves pass behind, and its tooltip gives the citation."""
    lines = []
    for accuracy, text, citation in REFERENCES:
        line = pg.InfiniteLine(pos=accuracy, angle=0, movable=False,
                               pen=pg.mkPen(hue, width=line_width(1.5), style=Qt.PenStyle.DotLine),
                               label=text, labelOpts={"position": 0.5, "color": text_color(hue, background),
                                                      "fill": label_fill(background), "anchors": [(0.5, 0), (0.5, 0)]})
        line.label.setZValue(20)
        line.setToolTip(f"{citation}. Measured on the full 581,012-row Covertype data, not this sample.")
        lines.append(line)
    return lines


def target_line(background: str) -> pg.InfiniteLine:
    """The target accuracy's dashed line, labelled at its right end above the curves (hidden until there is one)."""
    line = pg.InfiniteLine(angle=0, pen=pg.mkPen(TARGET_COLOR, width=line_width(2), style=Qt.PenStyle.DashLine),
                           label="target {value:.1%}",
                           labelOpts={"position": 0.97, "color": text_color(TARGET_COLOR, background),
                                      "fill": label_fill(background), "anchors": [(1, 1), (1, 1)]})
    line.label.setZValue(20)
    line.setVisible(False)
    return line


def target_markers() -> pg.PlotDataItem:
    """Circles where each curve first reaches the target (a data item, not a scatter item: it follows the plot's
    log modes, a log time axis)."""
    markers = pg.PlotDataItem([], [], pen=None, symbol="o", symbolSize=13,
                              symbolPen=pg.mkPen(TARGET_COLOR, width=line_width(2)))
    markers.setZValue(10)
    return markers


def style_lines(target: pg.InfiniteLine, markers: pg.PlotDataItem, references: list[pg.InfiniteLine],
                target_hue: str, reference_hue: str) -> None:
    """Colour the target line, its markers and the published accuracies, and their labels for the current theme."""
    background = plot_colors()[0]
    target.setPen(pg.mkPen(target_hue, width=line_width(2), style=Qt.PenStyle.DashLine))
    markers.setSymbolPen(pg.mkPen(target_hue, width=line_width(2)))
    for line in references:
        line.setPen(pg.mkPen(reference_hue, width=line_width(1.5), style=Qt.PenStyle.DotLine))
    for line, hue in [(target, target_hue)] + [(line, reference_hue) for line in references]:
        line.label.setColor(text_color(hue, background))
        line.label.fill = pg.mkBrush(label_fill(background))
        line.label.update()


def grid_lines(plot: pg.PlotWidget) -> list[pg.InfiniteLine]:
    """Light horizontal lines every 5% on ``plot``, instead of pyqtgraph's grid: the grid re-renders with the axes
    on every range change and measured ~28 ms a frame on a 2-core laptop; these lines cost well under 1 ms."""
    lines = []
    for level in np.arange(0.0, 1.0001, 0.05):
        line = pg.InfiniteLine(pos=float(level), angle=0, movable=False)
        plot.addItem(line, ignoreBounds=True)
        lines.append(line)
    style_grid(lines)
    return lines


def style_grid(lines: list[pg.InfiniteLine]) -> None:
    """Colour the grid's lines for the current theme."""
    grid = plot_colors()[2]
    for line in lines:
        line.setPen(pg.mkPen(grid, width=line_width(1)))
