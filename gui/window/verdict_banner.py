"""The verdict at a glance, above the curves: one headline sentence coloured by the answer, the evidence behind Details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from modelrace.gui.window.theme import VERDICT_COLORS
from modelrace.models.judging.headline import headline
from modelrace.models.results.document import Result


class VerdictBanner(QFrame):
    """The verdict at a glance: one headline sentence, coloured by the answer, and the evidence behind *Details*."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict")
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # a verdict or an error message, never markup
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toggle = QToolButton()
        self.toggle.setObjectName("details")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Show or hide the evidence behind the verdict (the How sure? tab has it all)")
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.toggled.connect(self._show_details)
        self.badge = QLabel("⚠ busy machine")  # other programs took the CPU: the times may be unfair
        self.badge.setObjectName("badge")
        self.badge.setVisible(False)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)  # a verdict or an error message, never markup
        self.details.setObjectName("evidence")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.headline, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.details)
        self.show_idle()

    def text(self) -> str:
        """The headline shown now."""
        return self.headline.text()

    def details_text(self) -> str:
        """The evidence behind the headline (empty when there is none)."""
        return self.details.text()

    def show_idle(self, text: str = "Press Run (Ctrl+R) to race the models ticked.") -> None:
        """A neutral banner with no details."""
        self.badge.setVisible(False)
        self._paint(VERDICT_COLORS[None], text, "")

    def show_verdict(self, result: Result) -> None:
        """Show a finished race's headline, with its full verdict text as the details."""
        verdict = result["verdict"]
        warning = verdict.get("timing_warning")
        self.badge.setVisible(bool(warning))
        self.badge.setToolTip(warning or "")
        self._paint(VERDICT_COLORS[verdict.get("claim_holds")], headline(result), verdict["text"])

    def _paint(self, color: str, text: str, details: str) -> None:
        self.headline.setText(text)
        self.details.setText(details)
        self.toggle.setVisible(bool(details))
        self._show_details(self.toggle.isChecked())
        self.setStyleSheet(
            f"QFrame#verdict {{ background: {color}; border-radius: 6px; }}"
            "QLabel#headline { color: white; font-weight: bold; }"
            "QLabel#evidence { color: white; }"
            "QLabel#badge { color: white; font-weight: bold; border: 1px solid white; border-radius: 4px; padding: 1px 6px; }"
            "QToolButton#details { color: white; border: 1px solid rgba(255,255,255,0.6); border-radius: 4px;"
            " padding: 1px 6px; background: transparent; }"
        )

    def _show_details(self, shown: bool) -> None:
        self.toggle.setText("Details ▴" if shown else "Details ▾")
        self.details.setVisible(shown and bool(self.details.text()))
