"""The dataset panel: choose a dataset, import a file or a workshop kit, download Covertype; rows, seed and split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox,
    QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from modelrace.models.data import bundled
from modelrace.models.data.dataset import COVTYPE_NAME, Dataset
from modelrace.models.data.download import fetch_covtype
from modelrace.models.data.importing import import_file
from modelrace.models.data.opening import dataset_names, default_name, describe
from modelrace.models.data.split_config import SplitConfig
from modelrace.gui.window.messages import window_text
from modelrace.gui.window.number_inputs import PlainDoubleSpinBox
from modelrace.models.system.errors import DataError, NeedsLabelColumn
from modelrace.models.workshop.kit import find_kit_data
from modelrace.workers.jobs import start_job

DOWNLOAD_ITEM = "covtype (download, about 11 MB)"


class DatasetPanel(QGroupBox):
    """Where the rows come from and how they are split."""

    datasetsChanged = Signal()
    message = Signal(str)  # a line for the log
    kitChosen = Signal(str)  # the folder of a workshop kit the user imported from

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Dataset", parent)
        self._busy_jobs = 0
        self.source = QComboBox()
        self.source.setToolTip("A dataset from the cache, the Covertype sample bundled with modelrace, or Covertype "
                               "to download once")
        self.source.currentTextChanged.connect(self._describe)
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Import covtype.data(.gz), a Covertype CSV or any CSV table into the cache")
        self.import_button.clicked.connect(self.choose_file)
        self.kit_button = QPushButton("Import from workshop kit…")
        self.kit_button.setToolTip("Choose the workshop kit folder your teacher handed out: its data is imported "
                                   "and checked against its checksum (no network needed)")
        self.kit_button.clicked.connect(self.choose_kit)
        self.download_button = QPushButton("Download")
        self.download_button.setToolTip("Fetch the full 581,012-row Covertype data (scikit-learn's cache or UCI)")
        self.download_button.clicked.connect(self.download_covtype)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)

        self.rows = QSpinBox()
        self.rows.setRange(0, 100_000_000)
        self.rows.setSingleStep(1000)
        self.rows.setSpecialValueText("all rows")
        self.rows.setToolTip("Race on a stratified sample of this many rows (all rows: the preset decides)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip("Seed of the split and of every model")
        self.test_fraction = PlainDoubleSpinBox()
        self.test_fraction.setRange(0.05, 0.5)
        self.test_fraction.setSingleStep(0.05)
        self.test_fraction.setValue(0.2)
        self.test_fraction.setToolTip("Share of rows held out for the final test scores")
        self.validation_fraction = PlainDoubleSpinBox()
        self.validation_fraction.setRange(0.05, 0.5)
        self.validation_fraction.setSingleStep(0.05)
        self.validation_fraction.setValue(0.2)
        self.validation_fraction.setToolTip("Share of the remaining rows that draws the live validation curves")

        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.download_button)
        form = QFormLayout()
        form.addRow("Source", self.source)
        form.addRow("Rows", self.rows)
        form.addRow("Seed", self.seed)
        form.addRow("Test share", self.test_fraction)
        form.addRow("Validation share", self.validation_fraction)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.kit_button)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.busy)
        self.refresh()

    # ------------------------------------------------------------------------------ sources
    def refresh(self, select: str | None = None) -> None:
        """Re-list the datasets, keeping (or changing to) a selection; with none, the engine's default."""
        current = select or self.source.currentText() or default_name()
        names = dataset_names()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItems(names)
        if COVTYPE_NAME not in names:
            self.source.addItem(DOWNLOAD_ITEM)
        index = self.source.findText(current)
        self.source.setCurrentIndex(index if index >= 0 else self.source.findText(default_name()))
        self.source.blockSignals(False)
        self._describe(self.source.currentText())

    def selected(self) -> str:
        """The chosen dataset's name ('covtype' for the download entry)."""
        text = self.source.currentText()
        return COVTYPE_NAME if text == DOWNLOAD_ITEM else text

    def _describe(self, name: str) -> None:
        if not name or name == DOWNLOAD_ITEM:
            self.info.setText("Covertype is not cached yet: Run downloads it once (or import a copy).")
            return
        try:
            meta = describe(name)
        except DataError as exc:
            self.info.setText(window_text(exc))
            return
        source = "bundled with modelrace (read-only)" if meta.get("read_only") else f"from {Path(meta['source']).name or meta['source']}"
        self.info.setText(f"{meta['rows']:,} rows · {len(meta['feature_names'])} features · "
                          f"{len(meta['classes'])} classes · {source}")
        self.info.setToolTip(bundled.NOTE if meta.get("read_only") else meta["source"])

    # ------------------------------------------------------------------------------ split
    def split_config(self, stratify: bool) -> SplitConfig:
        """The split the controls describe (``stratify`` comes from the preset)."""
        return SplitConfig(test=self.test_fraction.value(), validation=self.validation_fraction.value(),
                           seed=self.seed.value(), stratify=stratify)

    def show_split(self, split: SplitConfig) -> None:
        """Show a split's fractions and seed (from a preset or a saved result)."""
        self.seed.setValue(split.seed)
        self.test_fraction.setValue(split.test)
        self.validation_fraction.setValue(split.validation)

    def sample_rows(self) -> int | None:
        """The stratified sample size, or None for all rows."""
        return self.rows.value() or None

    def state(self) -> dict[str, Any]:
        """What the window remembers of this panel between sessions."""
        return {"dataset": self.selected(), "rows": self.rows.value(), "seed": self.seed.value(),
                "test": self.test_fraction.value(), "validation": self.validation_fraction.value()}

    def restore(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state`; missing or bad values keep the current ones."""
        self.refresh(select=str(state.get("dataset") or ""))
        for spin, key in ((self.rows, "rows"), (self.seed, "seed"), (self.test_fraction, "test"),
                          (self.validation_fraction, "validation")):
            try:
                value = float(state[key])
            except (KeyError, TypeError, ValueError):
                continue
            spin.setValue(int(value) if isinstance(spin, QSpinBox) else value)

    # ------------------------------------------------------------------------------- jobs
    def set_busy(self, busy: bool) -> None:
        """Show the busy bar and lock the buttons while an import or download runs."""
        self._busy_jobs += 1 if busy else -1
        active = self._busy_jobs > 0
        self.busy.setVisible(active)
        self.import_button.setEnabled(not active)
        self.download_button.setEnabled(not active)
        self.kit_button.setEnabled(not active)

    def choose_file(self) -> None:
        """Ask for a file and import it in the background."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a dataset", str(Path.home()), "Data files (*.csv *.csv.gz *.data *.data.gz *.gz *.txt *.modelrace.npz);;All files (*)"
        )
        if path:
            self.import_path(Path(path))

    def choose_kit(self) -> None:
        """Ask for a workshop kit folder and import its data."""
        folder = QFileDialog.getExistingDirectory(self, "Import from workshop kit", str(Path.home()))
        if folder:
            self.import_kit(Path(folder))

    def import_kit(self, folder: Path) -> None:
        """Import every dataset of a workshop kit folder in the background (and remember the kit)."""
        try:
            files = find_kit_data(folder)
        except DataError as exc:
            QMessageBox.warning(self, "Not a workshop kit", window_text(exc))
            return
        self.kitChosen.emit(str(folder))
        for path in files:
            self.import_path(path)

    def import_path(self, path: Path, target: str | None = None) -> None:
        """Import ``path`` in the background; a table that is not Covertype's asks for its label column."""
        self.set_busy(True)
        self.message.emit(f"Importing {path}…")
        start_job(
            import_file, path, target,
            on_result=self._imported,
            on_error=lambda exc: self._import_failed(path, exc),
            on_finished=lambda: self.set_busy(False),
        )

    def _imported(self, dataset: Dataset) -> None:
        self.message.emit(f"Imported '{dataset.name}': {dataset.rows:,} rows, {len(dataset.classes)} classes ({dataset.format})")
        self.refresh(select=dataset.name)
        self.datasetsChanged.emit()

    def _import_failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, NeedsLabelColumn):
            column = self._ask_label_column(exc)
            if column:
                self.import_path(path, column)
            return
        self.message.emit(f"Import failed: {exc}")
        QMessageBox.warning(self, "Cannot import this file", window_text(exc))

    def _ask_label_column(self, need: NeedsLabelColumn) -> str | None:
        if not need.columns:
            return None
        column, ok = QInputDialog.getItem(
            self, "Which column holds the labels?",
            f"{need.path.name} is not Covertype. Choose the column with the class labels:", need.columns,
            len(need.columns) - 1, False,
        )
        return column if ok else None

    def download_covtype(self) -> None:
        """Fetch Covertype in the background."""
        self.set_busy(True)
        self.message.emit("Getting Covertype (scikit-learn's cache, or a download of about 11 MB)…")
        start_job(
            fetch_covtype,
            on_result=self._imported,
            on_error=lambda exc: (self.message.emit(f"Download failed: {exc}"),
                                  QMessageBox.warning(self, "Covertype is not available", window_text(exc))),
            on_finished=lambda: self.set_busy(False),
        )
