"""The left-hand panel: notices, dataset, race controls and the model cards, in a column that scrolls down, never
sideways."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from modelrace.models.trainers import registry


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


def notice(name: str) -> QLabel:
    """A framed note at the top of the column, in plain text (it names files and plugins: text from outside),
    hidden until it has something to say."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setStyleSheet(f"QLabel#{name} {{ border: 1px solid palette(mid); border-radius: 4px; padding: 4px; }}")
    return label


def plugins_left_out() -> QLabel:
    """The note naming each plugin the registry left out and why (registry.problems), shown when there is one."""
    label = notice("plugins_note")
    lines = registry.problems()
    if lines:
        label.setText("\n".join(lines) + "\nThe other models race as usual.")
        label.setVisible(True)
    return label
