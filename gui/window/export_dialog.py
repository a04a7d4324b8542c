"""Export (Ctrl+E): choose formats and a destination, preview the HTML report, write in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)

from modelrace.gui.window.messages import window_text
from modelrace.gui.window.report_preview import ReportView
from modelrace.models.system.atomic import check_writable
from modelrace.models.system.errors import UserError
from modelrace.models.output.csv_export import csv_file_names, write_csv
from modelrace.models.output.html_report import html_report
from modelrace.models.output.reports import write_report
from modelrace.models.results.document import Result
from modelrace.workers.jobs import start_job

FORMATS = (("html", "HTML report (self-contained)"), ("pdf", "PDF report"), ("json", "Result JSON"), ("csv", "CSV"))


def format_label(kind: str, result: Result) -> str:
    """A format's check-box text; the CSV one names exactly the files the export writes for ``result``."""
    label = dict(FORMATS)[kind]
    if kind == "csv":
        names = csv_file_names(result)
        return f"CSV, {len(names)} files: {', '.join(names)}"
    return label


def export_files(result: Result, folder: Path, base: str, formats: list[str]) -> list[Path]:
    """Write each chosen format into ``folder`` (names start with ``base``); return the written paths."""
    written: list[Path] = []
    for kind in formats:
        if kind == "csv":
            written += write_csv(result, folder / f"{base}-csv")
        else:
            path = folder / f"{base}.{kind}"
            write_report(result, path)
            written.append(path)
    return written


class ExportDialog(QDialog):
    """Formats, destination and a preview of the HTML report."""

    def __init__(self, result: Result, start_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the comparison")
        self.resize(980, 720)
        self.result = result
        self.written: list[Path] = []
        self._checks = {}
        formats = QHBoxLayout()
        for kind, _ in FORMATS:
            box = QCheckBox(format_label(kind, result))
            box.setChecked(kind in ("html", "pdf"))
            self._checks[kind] = box
            formats.addWidget(box)
        self.folder = QLineEdit(str(start_folder))
        browse = QPushButton("Folder…")
        browse.clicked.connect(self._choose_folder)
        self.base = QLineEdit(f"modelrace-{result['dataset'].get('name', 'race')}-{result.get('preset', '')}".rstrip("-"))
        where = QHBoxLayout()
        where.addWidget(QLabel("Folder"))
        where.addWidget(self.folder, 3)
        where.addWidget(browse)
        where.addWidget(QLabel("Name"))
        where.addWidget(self.base, 2)
        self.preview = ReportView()
        self.preview.show_report(html_report(result))
        self.status = QLabel("Preview of the HTML report (the PDF holds the same content, paginated).")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(formats)
        layout.addLayout(where)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export into", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def chosen_formats(self) -> list[str]:
        """The ticked formats."""
        return [kind for kind, box in self._checks.items() if box.isChecked()]

    def export(self) -> None:
        """Check the destination now, then write the files in the background."""
        formats = self.chosen_formats()
        folder = Path(self.folder.text()).expanduser()
        base = self.base.text().strip() or "modelrace"
        try:
            if not formats:
                raise UserError("Tick at least one format to export.")
            check_writable(folder / f"{base}.probe")
        except UserError as exc:
            QMessageBox.warning(self, "Cannot export here", window_text(exc))
            return
        self.export_button.setEnabled(False)
        self.status.setText("Writing…")
        start_job(export_files, self.result, folder, base, formats, on_result=self._done, on_error=self._failed)

    def _done(self, written: list[Path]) -> None:
        self.written = written
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText("Nothing was exported.")
        QMessageBox.warning(self, "Export failed", window_text(exc))
