"""Number inputs that show values as people type them: 0.001, not 0.001000."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from modelrace.models.system.formatting import input_number


class PlainDoubleSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox without trailing zeros; its decimals still bound what can be typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        """The value with the box's decimals, without trailing zeros: 0.001, 0.00001, 300."""
        return input_number(value, self.decimals())
