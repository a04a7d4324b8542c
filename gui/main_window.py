"""The main window: dataset, race controls and model cards on the left; verdict, live curves and results on the right."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QMainWindow,
    QMessageBox, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from modelrace.gui.dataset_panel import DatasetPanel
from modelrace.gui.evidence_panel import EvidencePanel, SizeCurvePanel
from modelrace.gui.export_dialog import ExportDialog
from modelrace.gui.live_plot import LivePlots
from modelrace.gui.model_card import ModelCard
from modelrace.gui.results_panel import ConfusionPanel, ResultsPanel, VerdictBanner
from modelrace.gui.theme import PRESENTER_SCALES
from modelrace.gui.workshop_dialog import WorkshopCheckDialog
from modelrace.models import datasets
from modelrace.models.download import fetch_covtype
from modelrace.models.errors import UserError
from modelrace.models.gpu import GPU_ADVICE, detect_gpus
from modelrace.models.keras_setup import BACKENDS, choose_backend
from modelrace.models.paths import data_home
from modelrace.models.presets import Preset, load_preset, preset_names
from modelrace.models.race_settings import RaceSettings
from modelrace.models.registry import MODEL_KEYS, label
from modelrace.models.repro_script import write_script
from modelrace.models.results import load_result, save_result
from modelrace.models.split_config import SplitConfig
from modelrace.workers.race_bridge import RaceBridge
from modelrace.workers.tasks import start_job, start_race

CLOSE_WAIT_MS = 2500
LEFT_PANEL_WIDTH = 400  # at normal text size


def settings_store() -> QSettings:
    """The window's remembered settings, kept beside the dataset cache (an INI file)."""
    return QSettings(str(data_home() / "settings.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """The race a class can watch."""

    raceFinished = Signal(dict)  # the result of a completed (or stopped) race
    raceFailed = Signal(str)  # the message of a race that could not run at all

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("modelrace — Keras MLP vs RandomForest vs XGBoost")
        self.result: dict | None = None
        self._bridge: RaceBridge | None = None
        self._run_id = 0
        self._running = False
        self._repeat_curves: dict[str, list[list[dict]]] = {}  # finished repeats' curves, for the bands
        self._scale_index = 0
        self._base_point_size = QApplication.font().pointSizeF()
        # The window's Python slots wait for the GIL behind the trainers' Python loops (Keras batches,
        # callbacks); a 1 ms switch interval instead of 5 ms keeps those waits below a frame.
        sys.setswitchinterval(0.001)
        # A race holds one pool thread (its models run in their own threads); imports hold others.
        QThreadPool.globalInstance().setMaxThreadCount(max(8, QThreadPool.globalInstance().maxThreadCount()))

        self.dataset_panel = DatasetPanel()
        self.dataset_panel.message.connect(self.log)
        self.dataset_panel.kitChosen.connect(lambda folder: settings_store().setValue("kit_folder", folder))
        self.cards = {key: ModelCard(key) for key in MODEL_KEYS}
        self.preset = QComboBox()
        self.preset.addItems(preset_names())
        self.preset.setToolTip("Apply a preset to every model card and to the split")
        self.preset.activated.connect(lambda _: self.apply_preset(self.preset.currentText()))
        self.mode = QComboBox()
        self.mode.addItems(["fair", "simultaneous"])
        self.mode.setToolTip("fair: one model at a time with every core; simultaneous: all at once, cores divided")
        self.target = QDoubleSpinBox()
        self.target.setRange(0.0, 1.0)
        self.target.setDecimals(3)
        self.target.setSingleStep(0.01)
        self.target.setSpecialValueText("auto (95% of the best)")
        self.target.setToolTip("Validation accuracy whose time-to-target decides the verdict (auto: 95% of the best final)")
        self.target.valueChanged.connect(lambda value: self.plots.set_target(value or None))
        self.repeats = QSpinBox()
        self.repeats.setRange(1, 50)
        self.repeats.setToolTip("Race this many times with seeds seed, seed+1, …: new split and models each time; "
                                "means, 95% confidence bands and significance tests")
        self.sizes = QLineEdit()
        self.sizes.setPlaceholderText("off (e.g. 1000, 2000, 4000)")
        self.sizes.setValidator(QRegularExpressionValidator(r"^\s*(\d{1,9}\s*(,\s*\d{1,9}\s*)*)?$"))
        self.sizes.setToolTip("Race at these training-set sizes (stratified samples) to see where the MLP catches up")
        self.backend = QComboBox()
        self.backend.addItems(list(BACKENDS))
        self.backend.setToolTip("Keras backend for the MLP. TensorFlow is the tutorial's; JAX is often 2-4x faster per "
                                "epoch on a CPU. A change applies at once if the MLP has not run yet, else at the next start.")
        self.backend.setCurrentText(os.environ.get("KERAS_BACKEND", "tensorflow"))
        self.backend.activated.connect(lambda _: self.set_backend(self.backend.currentText()))
        self.use_gpu = QCheckBox("MLP and XGBoost")
        self.use_gpu.setEnabled(False)
        self.use_gpu.setToolTip("Looking for an NVIDIA GPU…")
        self.run_button = QPushButton("Run  (Ctrl+R)")
        self.run_button.setObjectName("run")
        self.run_button.clicked.connect(self.run_race)
        self.stop_button = QPushButton("Stop  (Esc)")
        self.stop_button.setObjectName("stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_race)

        race_box = QGroupBox("Race")
        race_form = QFormLayout(race_box)
        race_form.addRow("Preset", self.preset)
        race_form.addRow("Mode", self.mode)
        race_form.addRow("Target", self.target)
        race_form.addRow("Repeats", self.repeats)
        race_form.addRow("Sizes", self.sizes)
        race_form.addRow("Keras backend", self.backend)
        race_form.addRow("Use the GPU", self.use_gpu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        race_form.addRow(buttons)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.dataset_panel)
        left_layout.addWidget(race_box)
        for card in self.cards.values():
            left_layout.addWidget(card)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        self.sidebar = scroll

        self.banner = VerdictBanner()
        self.plots = LivePlots()
        self.results = ResultsPanel()
        self.confusion = ConfusionPanel()
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.results, "Results")
        self.tabs.addTab(self.confusion, "Confusion matrices")
        self.evidence = EvidencePanel()
        self.size_curve = SizeCurvePanel()
        self.tabs.addTab(self.evidence, "How sure?")
        self.tabs.addTab(self.size_curve, "Data size")
        self.tabs.addTab(self.log_view, "Log")
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self.plots)
        self.right_split.addWidget(self.tabs)
        self.right_split.setStretchFactor(0, 3)
        self.right_split.setStretchFactor(1, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.right_split, 1)

        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(scroll)
        self.main_split.addWidget(right)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([LEFT_PANEL_WIDTH, 1280 - LEFT_PANEL_WIDTH])
        self.setCentralWidget(self.main_split)
        self._make_actions()
        self.statusBar().showMessage("Ready")
        QApplication.styleHints().colorSchemeChanged.connect(lambda _: self.plots.apply_theme())
        self.restore_settings()
        # nvidia-smi can take a moment: ask off the GUI thread, so the window paints at once.
        start_job(detect_gpus, on_result=self.show_gpus, on_error=lambda _exc: self.show_gpus(()))

    # ----------------------------------------------------------------------------- actions
    def _make_actions(self) -> None:
        def action(text: str, shortcuts: list[QKeySequence | str], slot: Callable[[], None]) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(action("Open results…", [QKeySequence.StandardKey.Open], self.choose_results_to_open))
        file_menu.addAction(action("Save results…", [QKeySequence.StandardKey.Save], self.choose_where_to_save))
        file_menu.addAction(action("Export…", ["Ctrl+E"], self.export))
        file_menu.addAction(action("Export reproduction script…", ["Ctrl+Shift+E"], self.export_script))
        file_menu.addSeparator()
        file_menu.addAction(action("Compare with…", ["Ctrl+K"], self.choose_comparison))
        file_menu.addAction(action("Clear comparison", [], lambda: self.plots.set_comparison(None)))
        race_menu = self.menuBar().addMenu("&Race")
        race_menu.addAction(action("Run", ["Ctrl+R"], self.run_race))
        race_menu.addAction(action("Stop", ["Esc"], self.stop_race))
        race_menu.addSeparator()
        race_menu.addAction(action("Quit", [QKeySequence.StandardKey.Quit], self.close))
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(action("Presenter mode: larger", ["Ctrl+=", "Ctrl++"], lambda: self.set_scale_index(self._scale_index + 1)))
        view_menu.addAction(action("Presenter mode: smaller", ["Ctrl+-"], lambda: self.set_scale_index(self._scale_index - 1)))
        view_menu.addAction(action("Normal size", ["Ctrl+0"], lambda: self.set_scale_index(0)))
        view_menu.addSeparator()
        self.references_action = action("Published full-data accuracies", ["Ctrl+Shift+R"],
                                        lambda: self.plots.show_references(self.references_action.isChecked()))
        self.references_action.setCheckable(True)
        self.references_action.setToolTip("70% (1998 neural net), ≈89% (XGBoost, 500 rounds), ≈96% (tuned MLP): "
                                          "figures for the full 581,012-row data")
        view_menu.addAction(self.references_action)
        view_menu.addAction(action("Show or hide the settings panel", ["Ctrl+B"],
                                   lambda: self.sidebar.setVisible(not self.sidebar.isVisible())))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(action("Workshop check…", [], self.workshop_check))

    def workshop_check(self) -> WorkshopCheckDialog | None:
        """Open the pre-class self-test (packages, backend, data, a mini race) and start it.

        Not during a race: its mini race would compete for the CPU and skew the race's times. The
        dialog is modal, so no race starts while it runs.
        """
        if self._running:
            QMessageBox.information(self, "Workshop check", "Stop the race (or let it finish) first: the check "
                                    "trains three small models of its own.")
            return None
        kit = settings_store().value("kit_folder")
        dialog = WorkshopCheckDialog(Path(str(kit)) if kit and Path(str(kit)).is_dir() else None, self)
        dialog.setModal(True)
        dialog.show()
        dialog.start()
        return dialog

    def log(self, text: str) -> None:
        """Append a time-stamped line to the log tab."""
        self.log_view.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def apply_preset(self, name: str) -> None:
        """Apply a preset to every card and to the split controls."""
        preset = load_preset(name)
        self.preset.setCurrentText(name)
        for key, card in self.cards.items():
            card.preset.setCurrentText(name)
            card.set_config(preset.models[key])
        self.dataset_panel.seed.setValue(preset.split.seed)
        self.dataset_panel.test_fraction.setValue(preset.split.test)
        self.dataset_panel.validation_fraction.setValue(preset.split.validation)
        self.mode.setCurrentText(preset.race.mode)

    def set_scale_index(self, index: int) -> None:
        """Presenter mode: scale every font (and plot lines) by one of PRESENTER_SCALES."""
        self._scale_index = max(0, min(len(PRESENTER_SCALES) - 1, index))
        scale = PRESENTER_SCALES[self._scale_index]
        font = QApplication.font()
        font.setPointSizeF(self._base_point_size * scale)
        QApplication.setFont(font)
        for widget in self.findChildren(QWidget):
            widget.setFont(font)
        self.plots.apply_scale(scale, self._base_point_size)
        self.results.apply_scale(scale, self._base_point_size)
        self.fit_panels()
        self.statusBar().showMessage(f"Text size {scale:.0%}", 2000)

    def fit_panels(self) -> None:
        """Give the settings column the width its (scaled) text needs; the plots get the rest."""
        left = min(int(LEFT_PANEL_WIDTH * PRESENTER_SCALES[self._scale_index]), int(self.width() * 0.36))
        self.main_split.setSizes([left, max(1, self.width() - left)])

    # ------------------------------------------------------------------------------- racing
    def race_settings(self) -> RaceSettings:
        """Settings from the controls; raises UserError if a card is invalid or no model is enabled."""
        models = [key for key, card in self.cards.items() if card.isChecked()]
        if not models:
            raise UserError("Enable at least one model card to race.")
        base = load_preset(self.preset.currentText())
        preset = Preset(
            name=base.name,
            description=base.description,
            split=SplitConfig(test=self.dataset_panel.test_fraction.value(), validation=self.dataset_panel.validation_fraction.value(),
                              seed=self.dataset_panel.seed.value(), stratify=base.split.stratify),
            race=base.race,
            models={key: card.config() for key, card in self.cards.items()},
        )
        rows = self.dataset_panel.rows.value() or None
        if self.race_sizes() and rows:
            raise UserError("Sizes and Rows both choose how many rows to race on: set Rows to 'all rows' or clear Sizes.")
        return RaceSettings(preset=preset, models=models, mode=self.mode.currentText(),
                            target=self.target.value() or None, seed=self.dataset_panel.seed.value(), rows=rows,
                            device="gpu" if self.use_gpu.isEnabled() and self.use_gpu.isChecked() else "cpu")

    def show_gpus(self, gpus: tuple[str, ...]) -> None:
        """Offer the GPU choice if a GPU was found (the CPU stays the default; see models.gpu.GPU_ADVICE)."""
        self.use_gpu.setEnabled(bool(gpus))
        if gpus:
            self.use_gpu.setText(f"MLP and XGBoost ({gpus[0]})")
            self.use_gpu.setToolTip(GPU_ADVICE)
            self.use_gpu.setChecked(str(settings_store().value("use_gpu", "false")).lower() == "true")
        else:
            self.use_gpu.setToolTip("No NVIDIA GPU was found on this machine; everything trains on the CPU.")

    def set_backend(self, backend: str) -> None:
        """Choose the MLP's Keras backend: now if Keras has not loaded yet, else at the next start."""
        settings_store().setValue("keras_backend", backend)
        try:
            choose_backend(backend)
            self.statusBar().showMessage(f"The MLP will run on Keras with {backend}", 4000)
        except UserError as exc:
            self.log(str(exc))
            self.statusBar().showMessage(str(exc), 6000)

    def race_sizes(self) -> list[int] | None:
        """The training-set sizes to race at, or None."""
        sizes = sorted({int(v) for v in re.findall(r"\d+", self.sizes.text()) if int(v) > 0})
        return sizes or None

    def run_race(self) -> None:
        """Start a race (a run still winding down is detached: its late points are dropped)."""
        try:
            settings = self.race_settings()
        except UserError as exc:
            QMessageBox.warning(self, "Cannot start the race", str(exc))
            return
        if self._bridge is not None:
            self._bridge.detach()
        self._run_id += 1
        run_id = self._run_id
        self._bridge = bridge = RaceBridge(run_id, self)
        bridge.planReady.connect(self._on_plan)
        bridge.modelStarted.connect(self._on_model_started)
        bridge.stepsReady.connect(self._on_steps)
        bridge.modelFinished.connect(self._on_model_finished)
        bridge.repeatFinished.connect(self._on_repeat_finished)
        self._repeat_curves = {}
        self.plots.set_bands({})
        self.evidence.show_result(None)
        self.size_curve.show_result(None)
        self._set_running(True)
        self.result = None
        self.plots.clear()
        self.plots.set_target(settings.target)
        self.results.clear()
        self.banner.show_idle("Racing…")
        for key, card in self.cards.items():
            card.set_state("queued" if key in settings.models else "skipped")
        repeats, sizes = self.repeats.value(), self.race_sizes()
        spec = self.dataset_panel.selected()
        self.log(f"Run {run_id}: {', '.join(settings.models)} on '{spec}', {settings.mode} mode, preset {settings.preset.name}")
        loader = fetch_covtype if spec == datasets.COVTYPE_NAME and spec not in datasets.cached_names() else datasets.load_cached
        args = () if loader is fetch_covtype else (spec,)
        if loader is fetch_covtype:
            self.dataset_panel.set_busy(True)
        start_job(
            loader, *args,
            on_result=lambda dataset: self._start_engine(run_id, dataset, settings, repeats, sizes),
            on_error=lambda exc: self._race_error(run_id, exc),
            on_finished=(lambda: self.dataset_panel.set_busy(False)) if loader is fetch_covtype else None,
        )

    def _start_engine(self, run_id: int, dataset: datasets.Dataset, settings: RaceSettings, repeats: int,
                      sizes: list[int] | None) -> None:
        if run_id != self._run_id or self._bridge is None or self._bridge.detached:
            return
        if self._bridge.stop.is_set():
            self._set_running(False)
            self.banner.show_idle("Stopped before the race began.")
            return
        self.dataset_panel.refresh()
        start_race(
            dataset, settings, self._bridge,
            on_result=lambda result: self._on_result(run_id, result),
            on_error=lambda exc: self._race_error(run_id, exc),
            repeats=repeats, sizes=sizes,
        )

    def stop_race(self) -> None:
        """Stop every model at its next step; finished and partial results are kept."""
        if self._bridge is not None and self._running:
            self._bridge.request_stop()
            self.stop_button.setEnabled(False)
            self.statusBar().showMessage("Stopping after the current step…")
            self.log("Stop requested")

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.stop_button.setEnabled(running)
        self.statusBar().showMessage("Racing…" if running else "Ready")

    # ------------------------------------------------------------------------- bridge slots
    def _current(self, run_id: int) -> bool:
        return run_id == self._run_id and self._bridge is not None and not self._bridge.detached

    def _on_plan(self, run_id: int, plan: dict, info: dict) -> None:
        if self._current(run_id):
            self.plots.clear()  # a repeat or size starts: its own live curves (bands stay)
            for key in plan:
                self.cards[key].set_state("queued")
            split = info["split"]
            self.log(f"Split: {split['train']:,} train / {split['validation']:,} validation / {split['test']:,} test rows "
                     f"(seed {split['seed']}); {info['dataset']['rows']:,} rows of '{info['dataset']['name']}'")

    def _on_model_started(self, run_id: int, key: str) -> None:
        if self._current(run_id):
            self.cards[key].set_state("training")
            self.log(f"{label(key)} started")

    def _on_steps(self, run_id: int, steps: list) -> None:
        if not self._current(run_id):
            return
        self.plots.add_steps(steps)
        latest = {}
        for step in steps:
            latest[step.model] = step
        for key, step in latest.items():
            self.cards[key].show_step(step)

    def _on_model_finished(self, run_id: int, key: str, entry: dict) -> None:
        if not self._current(run_id):
            return
        self.cards[key].show_entry(entry)
        if entry["status"] == "failed":
            self.log(f"{label(key)} failed: {entry['error']}")
            if entry.get("traceback"):
                self.log(entry["traceback"].rstrip())
        else:
            self.log(f"{label(key)} {entry['status']}: test accuracy {entry['test_accuracy']:.3f}, "
                     f"{entry['train_seconds']:.2f} s training, {entry['monitor_seconds']:.3f} s monitoring")

    def _on_repeat_finished(self, run_id: int, index: int, run: dict) -> None:
        if not self._current(run_id):
            return
        for key, model in run["models"].items():
            if model.get("curve"):
                self._repeat_curves.setdefault(key, []).append(model["curve"])
        self.plots.set_bands(self._repeat_curves)
        self.log(f"Repeat {index + 1} of {self.repeats.value()} (seed {run['split']['seed']}) done")

    def _on_result(self, run_id: int, result: dict) -> None:
        if run_id != self._run_id:
            return
        self._set_running(False)
        self.show_result(result)
        self.log(f"Verdict: {result['verdict']['text']}")
        self.raceFinished.emit(result)

    def _race_error(self, run_id: int, exc: BaseException) -> None:
        if run_id != self._run_id:
            return
        self._set_running(False)
        message = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
        self.banner.show_idle(f"The race could not run: {message}")
        for card in self.cards.values():
            card.set_state("idle")
        self.log(f"Race failed: {message}")
        self.raceFailed.emit(message)
        if not QApplication.instance().property("headless_capture"):
            QMessageBox.warning(self, "The race could not run", message)

    def show_result(self, result: dict) -> None:
        """Show a result: curves, target and markers, table, bars, verdict and confusion matrices."""
        self.result = result
        for key, model in result["models"].items():
            if key in self.cards:
                self.plots.load_curve(key, model["curve"])
                self.cards[key].show_entry(model)
        self.plots.set_target(result["verdict"].get("target"))
        self.plots.redraw()
        self.results.show_result(result)
        self.confusion.show_result(result)
        self.evidence.show_result(result)
        self.size_curve.show_result(result)
        runs = (result.get("repeats") or {}).get("runs") or []
        self.plots.set_bands({key: [run["models"][key]["curve"] for run in runs if run["models"].get(key, {}).get("curve")]
                              for key in result["models"]} if len(runs) > 1 else {})
        self.banner.show_verdict(result["verdict"])

    # ------------------------------------------------------------------------- files
    def _last_folder(self) -> str:
        return str(settings_store().value("last_folder", str(Path.home())))

    def _remember_folder(self, path: str) -> None:
        settings_store().setValue("last_folder", str(Path(path).parent))

    def _need_result(self) -> bool:
        if self.result is None:
            QMessageBox.information(self, "Nothing to save yet", "Run a race or open a saved result first.")
            return False
        return True

    def choose_results_to_open(self) -> None:
        """Ask for a result file and open it."""
        path, _ = QFileDialog.getOpenFileName(self, "Open results", self._last_folder(), "modelrace results (*.json)")
        if path:
            self._remember_folder(path)
            self.open_results(Path(path))

    def open_results(self, path: Path) -> bool:
        """Show a saved result exactly as it was: curves, table, verdict, matrices and settings (no training)."""
        try:
            result = load_result(path)
        except UserError as exc:
            QMessageBox.warning(self, "Cannot open these results", str(exc))
            self.log(f"Open failed: {exc}")
            return False
        if self._running and self._bridge is not None:
            self._bridge.detach()
            self._set_running(False)
        self._run_id += 1  # anything still arriving belongs to an older run
        self.plots.clear()
        for key, card in self.cards.items():
            model = result["models"].get(key)
            card.setChecked(bool(model) and model.get("note") != "not selected for this race")
            if model and model.get("config"):
                card.set_values(model["config"])
        split = result["split"]
        self.dataset_panel.seed.setValue(int(split.get("seed", 0)))
        self.dataset_panel.test_fraction.setValue(float(split.get("test_fraction", 0.2)))
        self.dataset_panel.validation_fraction.setValue(float(split.get("validation_fraction", 0.2)))
        if result.get("preset") in preset_names():
            self.preset.setCurrentText(result["preset"])
        self.mode.setCurrentText((result.get("race") or {}).get("mode") or result["environment"].get("mode", "fair"))
        self.show_result(result)
        self.log(f"Opened {path}")
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def choose_where_to_save(self) -> None:
        """Ask where to save the shown result, then save it."""
        if not self._need_result():
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save results", str(Path(self._last_folder()) / "result.json"),
                                              "modelrace results (*.json)")
        if path:
            self._remember_folder(path)
            self.save_results(Path(path))

    def save_results(self, path: Path) -> bool:
        """Save the shown result as JSON (atomically); report a failure without losing anything."""
        try:
            save_result(self.result, path)
        except UserError as exc:
            QMessageBox.warning(self, "Cannot save the results", str(exc))
            self.log(f"Save failed: {exc}")
            return False
        self.log(f"Saved {path}")
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def export(self) -> None:
        """Open the Export dialog (all formats, HTML preview)."""
        if not self._need_result():
            return
        dialog = ExportDialog(self.result, Path(self._last_folder()), self)
        if dialog.exec() and dialog.written:
            self.log("Exported " + ", ".join(str(p) for p in dialog.written))
            self.statusBar().showMessage(f"Exported {len(dialog.written)} file(s) to {dialog.written[0].parent}", 5000)

    def export_script(self) -> None:
        """Write the standalone reproduction script of the shown result."""
        if not self._need_result():
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export reproduction script",
                                              str(Path(self._last_folder()) / "reproduce_race.py"), "Python (*.py)")
        if not path:
            return
        try:
            write_script(self.result, Path(path))
        except UserError as exc:
            QMessageBox.warning(self, "Cannot write the script", str(exc))
            return
        self.log(f"Reproduction script written to {path}")

    def choose_comparison(self) -> None:
        """Overlay a saved run's curves (dashed) on the current ones."""
        path, _ = QFileDialog.getOpenFileName(self, "Compare with", self._last_folder(), "modelrace results (*.json)")
        if path:
            self.compare_with(Path(path))

    def compare_with(self, path: Path) -> bool:
        """Overlay the curves of the result at ``path``."""
        try:
            earlier = load_result(path)
        except UserError as exc:
            QMessageBox.warning(self, "Cannot compare with this file", str(exc))
            return False
        self.plots.set_comparison(earlier, run_label=Path(path).stem)
        self.log(f"Comparing with {path} (dashed)")
        return True

    # ------------------------------------------------------------------------ settings & close
    def save_settings(self) -> None:
        """Remember geometry, splitters and every control."""
        store = settings_store()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("main_split", self.main_split.saveState())
        store.setValue("right_split", self.right_split.saveState())
        store.setValue("preset", self.preset.currentText())
        store.setValue("mode", self.mode.currentText())
        store.setValue("target", self.target.value())
        store.setValue("dataset", self.dataset_panel.selected())
        store.setValue("rows", self.dataset_panel.rows.value())
        store.setValue("seed", self.dataset_panel.seed.value())
        store.setValue("test", self.dataset_panel.test_fraction.value())
        store.setValue("validation", self.dataset_panel.validation_fraction.value())
        store.setValue("x_mode", self.plots.x_mode)
        store.setValue("repeats", self.repeats.value())
        store.setValue("sizes", self.sizes.text())
        store.setValue("scale_index", self._scale_index)
        if self.use_gpu.isEnabled():
            store.setValue("use_gpu", self.use_gpu.isChecked())
        for key, card in self.cards.items():
            store.setValue(f"cards/{key}/enabled", card.isChecked())
            store.setValue(f"cards/{key}/values", json.dumps(card.values()))
        store.sync()

    def restore_settings(self) -> None:
        """Restore what save_settings remembered (missing or bad values keep the defaults)."""
        store = settings_store()
        geometry = store.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        for name, splitter in (("main_split", self.main_split), ("right_split", self.right_split)):
            state = store.value(name)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        preset = str(store.value("preset", "tutorial"))
        if preset in preset_names():
            self.apply_preset(preset)
        self.mode.setCurrentText(str(store.value("mode", self.mode.currentText())))
        self.target.setValue(_float(store.value("target"), 0.0))
        self.dataset_panel.refresh(select=str(store.value("dataset", "")))
        self.dataset_panel.rows.setValue(int(_float(store.value("rows"), 0)))
        self.dataset_panel.seed.setValue(int(_float(store.value("seed"), self.dataset_panel.seed.value())))
        self.dataset_panel.test_fraction.setValue(_float(store.value("test"), self.dataset_panel.test_fraction.value()))
        self.dataset_panel.validation_fraction.setValue(
            _float(store.value("validation"), self.dataset_panel.validation_fraction.value()))
        self.plots.set_x_mode("steps" if store.value("x_mode") == "steps" else "time")
        self.repeats.setValue(int(_float(store.value("repeats"), 1)))
        self.sizes.setText(str(store.value("sizes", "") or ""))
        for key, card in self.cards.items():
            card.setChecked(str(store.value(f"cards/{key}/enabled", "true")).lower() == "true")
            try:
                card.set_values(json.loads(str(store.value(f"cards/{key}/values", "{}"))))
            except json.JSONDecodeError:
                pass
        scale_index = int(_float(store.value("scale_index"), 0))
        if scale_index:
            self.set_scale_index(scale_index)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop any race, wait briefly for the workers, remember the settings, close."""
        self.save_settings()
        for dialog in self.findChildren(QDialog):
            dialog.reject()  # an open dialog (Export, say) would otherwise keep the app alive
        if self._bridge is not None:
            self._bridge.detach()
        if not QThreadPool.globalInstance().waitForDone(CLOSE_WAIT_MS):
            # A tree or batch that cannot be interrupted is still running; don't hold the user.
            QApplication.instance().setProperty("abandon_workers", True)
        event.accept()


def _float(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default

