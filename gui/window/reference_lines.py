"""Published accuracies on the full Covertype data, as labelled lines on the accuracy plot (View menu)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from modelrace.gui.window.plot_items import label_fill
from modelrace.gui.window.theme import REFERENCE_COLOR, line_width, text_color

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
