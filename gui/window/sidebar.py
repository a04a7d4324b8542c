"""The left-hand panel: dataset, race controls and the model cards, in a column that scrolls down, never sideways."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QScrollArea, QVBoxLayout, QWidget


def build_sidebar(panels: Iterable[QWidget], minimum_width: int = 300) -> QScrollArea:
    """Stack ``panels`` top to bottom in a scroll area that narrow laptops scroll down, never sideways."""
    left = QWidget()
    layout = QVBoxLayout(left)
    for panel in panels:
        layout.addWidget(panel)
    layout.addStretch(1)
    # Combo boxes may shrink below their longest entry, and a form puts a long label above its
    # field rather than widen the panel.
    for combo in left.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
    for form in left.findChildren(QFormLayout):
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    scroll = QScrollArea()
    scroll.setWidget(left)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setMinimumWidth(minimum_width)
    return scroll
