"""The window's files: open and save results, export reports, the reproduction script, and compare runs.

Each action asks where (remembering the last folder), does the work, and reports a problem in a
message box in the window's words; nothing the window shows is lost when a file is bad or a write fails.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from modelrace.gui.window.export_dialog import ExportDialog
from modelrace.gui.window.messages import window_text
from modelrace.models.output.repro_script import write_script
from modelrace.models.results.document import Result
from modelrace.models.results.files import load_result, save_result
from modelrace.models.system.errors import UserError

RESULT_FILTER = "modelrace results (*.json)"


class ResultFiles(QObject):
    """File actions on the result the window shows (``current()``); results opened are emitted."""

    opened = Signal(object, object)  # a result read from a file, and its path
    comparisonChosen = Signal(object, str)  # a saved result to overlay, and its label
    message = Signal(str)  # a line for the log
    status = Signal(str)  # a short note for the status bar

    def __init__(self, parent: QWidget, current: Callable[[], Result | None], store: Callable[[], QSettings]) -> None:
        super().__init__(parent)
        self._parent = parent
        self._current = current
        self._store = store

    # ------------------------------------------------------------------------------ reading
    def choose_to_open(self) -> None:
        """Ask for a result file and open it."""
        path, _ = QFileDialog.getOpenFileName(self._parent, "Open results", self.last_folder(), RESULT_FILTER)
        if path:
            self._remember(path)
            self.open(Path(path))

    def open(self, path: Path) -> bool:
        """Read a saved result and emit it; a bad file gets a message and changes nothing."""
        result = self._load(path, "Cannot open these results")
        if result is None:
            return False
        self.opened.emit(result, path)
        self.message.emit(f"Opened {path}")
        self.status.emit(f"Opened {path}")
        return True

    def choose_comparison(self) -> None:
        """Ask for a saved run whose curves to overlay (dashed)."""
        path, _ = QFileDialog.getOpenFileName(self._parent, "Compare with", self.last_folder(), RESULT_FILTER)
        if path:
            self.compare_with(Path(path))

    def compare_with(self, path: Path) -> bool:
        """Emit the result at ``path`` for overlaying; a bad file gets a message."""
        result = self._load(path, "Cannot compare with this file")
        if result is None:
            return False
        self.comparisonChosen.emit(result, Path(path).stem)
        self.message.emit(f"Comparing with {path} (dashed)")
        return True

    def _load(self, path: Path, title: str) -> Result | None:
        try:
            return load_result(path)
        except UserError as exc:
            QMessageBox.warning(self._parent, title, window_text(exc))
            self.message.emit(f"{title}: {exc}")
            return None

    # ------------------------------------------------------------------------------ writing
    def choose_where_to_save(self) -> None:
        """Ask where to save the shown result, then save it."""
        if not self._have_result():
            return
        path, _ = QFileDialog.getSaveFileName(self._parent, "Save results", str(Path(self.last_folder()) / "result.json"),
                                              RESULT_FILTER)
        if path:
            self._remember(path)
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        """Save the shown result as JSON (atomically); report a failure without losing anything."""
        result = self._current()
        if result is None:
            return False
        try:
            save_result(result, path)
        except UserError as exc:
            QMessageBox.warning(self._parent, "Cannot save the results", window_text(exc))
            self.message.emit(f"Save failed: {exc}")
            return False
        self.message.emit(f"Saved {path}")
        self.status.emit(f"Saved {path}")
        return True

    def export(self) -> None:
        """Open the Export dialog (every format, with a preview of the HTML report)."""
        if not self._have_result():
            return
        dialog = ExportDialog(self._current(), Path(self.last_folder()), self._parent)
        if dialog.exec() and dialog.written:
            self.message.emit("Exported " + ", ".join(str(p) for p in dialog.written))
            self.status.emit(f"Exported {len(dialog.written)} file(s) to {dialog.written[0].parent}")

    def export_script(self) -> None:
        """Write the standalone reproduction script of the shown result."""
        if not self._have_result():
            return
        path, _ = QFileDialog.getSaveFileName(self._parent, "Export reproduction script",
                                              str(Path(self.last_folder()) / "reproduce_race.py"), "Python (*.py)")
        if not path:
            return
        try:
            write_script(self._current(), Path(path))
        except UserError as exc:
            QMessageBox.warning(self._parent, "Cannot write the script", window_text(exc))
            return
        self.message.emit(f"Reproduction script written to {path}")

    # ------------------------------------------------------------------------------ helpers
    def last_folder(self) -> str:
        """The folder of the last file opened or saved (home at first)."""
        return str(self._store().value("last_folder", str(Path.home())))

    def _remember(self, path: str) -> None:
        self._store().setValue("last_folder", str(Path(path).parent))

    def _have_result(self) -> bool:
        if self._current() is None:
            QMessageBox.information(self._parent, "Nothing to save yet", "Run a race or open a saved result first.")
            return False
        return True
