"""Help → Workshop check…: the pre-class self-test, run from the window (see models.workshop.check)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from modelrace.workers.jobs import start_stream


def _checks(kit: Path | None):  # noqa: ANN202 - a generator of CheckResult, for the worker thread
    from modelrace.models.workshop.check import CheckResult, run_checks

    yield from run_checks(kit, window=lambda: CheckResult("window", True, "this window is open"))


class WorkshopCheckDialog(QDialog):
    """Runs the checks in the background and lists each PASS or FAIL, with its fix, as it comes."""

    def __init__(self, kit: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workshop check")
        self.resize(760, 420)
        self.kit = kit
        self.results: list = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.again = QPushButton("Check again")
        self.again.clicked.connect(self.start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Kit: {kit}" if kit else "No workshop kit chosen: the data check looks at the cache."))
        layout.addWidget(self.output)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def start(self) -> None:
        """Run every check (the window check passes as such: this window is open)."""
        self.results = []
        self.again.setEnabled(False)
        self.output.clear()
        self.summary.setText("Checking… (the last check trains small models, about 10 seconds)")
        start_stream(_checks, self.kit, on_item=self._add, on_error=self._failed, on_finished=self._done)

    def _add(self, result: object) -> None:
        self.results.append(result)
        self.output.appendPlainText(result.line())  # type: ignore[attr-defined]

    def _failed(self, exc: BaseException) -> None:
        self.output.appendPlainText(f"FAIL  the check itself stopped: {type(exc).__name__}: {exc}")

    def _done(self) -> None:
        self.again.setEnabled(True)
        failed = sum(not r.ok for r in self.results)
        self.summary.setText("All checks passed: ready for class." if self.results and not failed
                             else f"{failed} check(s) failed; apply the fixes shown.")


def open_workshop_check(parent: QWidget, racing: bool, kit: object) -> WorkshopCheckDialog | None:
    """Open the pre-class self-test (packages, backend, data, a mini race) and start it; ``kit`` is the folder
    remembered from the last kit import, if any.

    Not during a race (``racing``): its mini race would compete for the CPU and skew the race's times.
    The dialog is modal, so no race starts while it runs.
    """
    if racing:
        QMessageBox.information(parent, "Workshop check", "Stop the race (or let it finish) first: the check "
                                "trains small models of its own.")
        return None
    folder = Path(str(kit)) if kit and Path(str(kit)).is_dir() else None
    dialog = WorkshopCheckDialog(folder, parent)
    dialog.setModal(True)
    dialog.show()
    dialog.start()
    return dialog
