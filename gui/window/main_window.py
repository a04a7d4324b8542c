"""The main window: dataset, race controls and model cards on the left; verdict, live curves and results on the right.

The window lays out its parts, builds the menus and connects signals. The race's run state lives in
:class:`~modelrace.gui.window.race_session.RaceSession`, the file actions in
:class:`~modelrace.gui.window.result_files.ResultFiles`, and what is remembered between sessions
in :mod:`~modelrace.gui.window.window_settings`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication, QDialog, QMainWindow, QMessageBox, QPlainTextEdit, QSplitter, QTabWidget, QVBoxLayout,
    QWidget,
)

from modelrace.gui.window import TAB_ALIASES, TAB_NAMES, TABS, panel_sizes, screen_fit, theme, window_settings
from modelrace.gui.window.dataset_panel import DatasetPanel
from modelrace.gui.window.evidence_panel import EvidencePanel, SizeCurvePanel
from modelrace.gui.window.grid_table import GridTable
from modelrace.gui.window.library_preload import IdlePreload
from modelrace.gui.window.live_race import LiveRace
from modelrace.gui.window.live_plot import LivePlots
from modelrace.gui.window.menus import build_menus
from modelrace.gui.window.messages import window_text
from modelrace.gui.window.model_card import ModelCard
from modelrace.gui.window.model_words import keras_sentence_name, window_title
from modelrace.gui.window.profile_panel import ProfilePanel
from modelrace.gui.window.progress_strip import ProgressStrip
from modelrace.gui.window.race_controls import RaceControls
from modelrace.gui.window.race_session import RaceSession
from modelrace.gui.window.result_files import ResultFiles
from modelrace.gui.window.opened_controls import show_opened_settings
from modelrace.gui.window.confusion_panel import ConfusionPanel
from modelrace.gui.window.results_panel import ResultsPanel
from modelrace.gui.window.verdict_banner import VerdictBanner
from modelrace.gui.window.run_on_box import RunOnBox
from modelrace.gui.window.sidebar import build_sidebar, notice, plugins_left_out
from modelrace.gui.window.theme import PRESENTER_SCALES
from modelrace.gui.window.view_modes import ViewModes
from modelrace.gui.window.workshop_dialog import WorkshopCheckDialog, open_workshop_check
from modelrace.models.judging.headline import headline
from modelrace.models.race.presets import Preset, load_preset, preset_names
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.document import Result, raced_models
from modelrace.models.system.errors import UserError
from modelrace.models.system.gpus import detect_gpus
from modelrace.models.system.memory import limit_allocator_arenas
from modelrace.models.trainers.keras_setup import choose_backend
from modelrace.models.trainers import registry
from modelrace.models.trainers.registry import MODEL_KEYS
from modelrace.workers.jobs import start_job, wait_for_jobs

CLOSE_WAIT_MS = 2500
LOG_LINES = 2000


class MainWindow(QMainWindow):
    """The race a class can watch."""

    raceFinished = Signal(dict)  # the result of a completed (or stopped) race
    raceFailed = Signal(str)  # the message of a race that could not run at all

    def __init__(self, remember: bool = True) -> None:
        """``remember=False`` (a scripted run) starts from the defaults and leaves the remembered settings alone."""
        super().__init__()
        self.remember = remember
        self.setWindowTitle(window_title())
        self.result: Result | None = None
        self.scale_index = 0
        self._base_point_size = QApplication.font().pointSizeF()
        # The window's Python slots wait for the GIL behind the trainers' Python loops (Keras batches,
        # callbacks); a 1 ms switch interval instead of 5 ms keeps those waits below a frame.
        sys.setswitchinterval(0.001)
        limit_allocator_arenas()  # a window races all day: keep the allocator from scattering its memory
        self.session = RaceSession(self)
        self.files = ResultFiles(self, current=lambda: self.result, store=window_settings.settings_store)

        self.dataset_panel = DatasetPanel()
        self.controls = RaceControls()
        self.run_on = RunOnBox()
        self.cards = {key: ModelCard(key) for key in MODEL_KEYS}
        self.plugin_note = plugins_left_out()  # a line per plugin the registry left out, said once, at the top
        self.settings_note = notice("settings_note")  # after Open results: whose settings, what could not be set
        self.sidebar = build_sidebar([self.plugin_note, self.settings_note, self.dataset_panel, self.controls,
                                      self.run_on, *self.cards.values()])
        self.banner = VerdictBanner()
        self.progress_strip = ProgressStrip()
        self.plots = LivePlots()
        self.results = ResultsPanel()
        self.confusion = ConfusionPanel()
        self.evidence = EvidencePanel()
        self.size_curve = SizeCurvePanel()
        self.profile = ProfilePanel()
        self.grid_table = GridTable()
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(LOG_LINES)  # a day of races keeps the latest lines, not every one
        self.tabs = QTabWidget()
        views = {"results": self.results, "time-to-target": self.profile, "confusion-matrices": self.confusion,
                 "how-sure": self.evidence, "data-size": self.size_curve, "cells": self.grid_table, "log": self.log_view}
        for name, text in TABS:
            self.tabs.addTab(views[name], text)
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self.plots)
        self.right_split.addWidget(self.tabs)
        self.right_split.setStretchFactor(0, 3)
        self.right_split.setStretchFactor(1, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.progress_strip)
        right_layout.addWidget(self.right_split, 1)
        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.addWidget(self.sidebar)
        self.main_split.addWidget(right)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([panel_sizes.LEFT_PANEL_WIDTH, 1280 - panel_sizes.LEFT_PANEL_WIDTH])
        self.setCentralWidget(self.main_split)
        actions = build_menus(self)
        self.run_action, self.references_action = actions["run"], actions["references"]
        self.present_action = actions["present"]
        self.theme_actions = {name: actions[f"theme_{name}"] for name in theme.THEMES}
        self.theme_actions[theme.chosen_theme()].setChecked(True)
        self.view = ViewModes(self)
        self._connect()
        self.live = LiveRace(self)  # the cards, the strip, the curves and the Cells tab during a run
        self.statusBar().showMessage("Ready")
        for line in registry.problems():
            self.log(line)
        if remember:
            window_settings.restore(self)
        else:
            screen_fit.first_start(self)
            self.apply_preset("tutorial")
        self._show_ticked()
        for card in self.cards.values():
            card.toggled.connect(self._show_ticked)
        self.preload = IdlePreload(lambda: self.session.running, self._libraries_loaded, parent=self,
                                   models=lambda: [key for key, card in self.cards.items() if card.isChecked()])
        # nvidia-smi can take a moment: ask off the GUI thread, so the window paints at once.
        start_job(detect_gpus, on_result=self.controls.show_gpus, on_error=lambda _exc: self.controls.show_gpus(()))

    def _connect(self) -> None:
        self.dataset_panel.message.connect(self.log)
        self.dataset_panel.kitChosen.connect(lambda folder: window_settings.settings_store().setValue("kit_folder", folder))
        self.controls.presetChosen.connect(self.apply_preset)
        self.controls.backendChosen.connect(self.set_backend)
        self.controls.targetChanged.connect(self.plots.set_target)
        self.controls.runClicked.connect(self.run_race)
        self.controls.stopClicked.connect(self.stop_race)
        session = self.session
        session.phaseChanged.connect(self._show_phase)
        session.downloading.connect(self.dataset_panel.set_busy)
        session.finished.connect(self._on_result)
        session.stoppedEarly.connect(self._stopped_early)
        session.failed.connect(self._race_error)
        self.files.opened.connect(self.show_opened)
        self.files.comparisonChosen.connect(lambda result, name: self.plots.set_comparison(result, run_label=name))
        self.files.message.connect(self.log)
        self.files.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        QApplication.styleHints().colorSchemeChanged.connect(lambda _: self.apply_theme())

    # ----------------------------------------------------------------------------- actions
    def workshop_check(self) -> WorkshopCheckDialog | None:
        """Open and start the pre-class self-test (not during a race: it would skew the race's times)."""
        return open_workshop_check(self, self.session.running, window_settings.settings_store().value("kit_folder"))

    def _libraries_loaded(self, what: str) -> None:
        self.log(f"Loaded while idle: {what}")
        self.statusBar().showMessage("Ready: the models' libraries are loaded, so the first race starts at once", 10_000)

    def status_message(self, text: str, milliseconds: int = 0) -> None:
        """Show ``text`` in the status bar (for ``milliseconds``, or until the next message)."""
        self.statusBar().showMessage(text, milliseconds)

    def log(self, text: str) -> None:
        """Append a time-stamped line to the log tab."""
        self.log_view.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def show_tab(self, name: str) -> None:
        """Bring a results tab to the front by name (see TAB_NAMES; older names in TAB_ALIASES work too)."""
        self.tabs.setCurrentIndex(TAB_NAMES.index(TAB_ALIASES.get(name, name)))

    def preset_names(self) -> list[str]:
        """The presets the window offers."""
        return preset_names()

    def apply_preset(self, name: str) -> None:
        """Apply a preset to every card, to the split and to the race mode."""
        preset = load_preset(name)
        self.settings_note.setVisible(False)
        self.controls.show_preset(name, preset.race.mode)
        for key, card in self.cards.items():
            card.show_preset(name, preset.models[key])
        self.dataset_panel.show_split(preset.split)

    def _show_ticked(self) -> None:
        """Before the first race (or opened result), the progress strip shows the models ticked: the race to come."""
        if self.result is None and not self.session.running:
            self.progress_strip.show_only(key for key, card in self.cards.items() if card.isChecked())

    def set_backend(self, backend: str) -> None:
        """Choose the Keras models' backend: now if Keras has not loaded yet, else at the next start."""
        window_settings.settings_store().setValue("keras_backend", backend)
        try:
            choose_backend(backend)
            keras = keras_sentence_name()
            self.statusBar().showMessage(f"{keras[0].upper()}{keras[1:]} will run on Keras with {backend}", 4000)
        except UserError as exc:
            self.log(str(exc))
            self.statusBar().showMessage(window_text(exc), 6000)

    # ------------------------------------------------------------------------- theme, presenter
    def apply_theme(self, name: str | None = None) -> None:
        """Use theme ``name`` (system, light, dark; View → Theme), or re-colour for the current one."""
        self.view.apply_theme(name)

    def set_presenting(self, on: bool) -> None:
        """Present (F5): full screen, the settings hidden and text at least 150%; off: back to how it was."""
        self.view.set_presenting(on)

    @property
    def presenting(self) -> bool:
        """True while presenting (F5)."""
        return self.view.presenting

    def set_scale_index(self, index: int) -> None:
        """Presenter mode: scale every font (and plot lines) by one of PRESENTER_SCALES."""
        self.scale_index = max(0, min(len(PRESENTER_SCALES) - 1, index))
        scale = PRESENTER_SCALES[self.scale_index]
        font = QApplication.font()
        font.setPointSizeF(self._base_point_size * scale)
        QApplication.setFont(font)
        for widget in self.findChildren(QWidget):
            widget.setFont(font)
        self.plots.apply_scale(scale, self._base_point_size)
        self.results.apply_scale(scale, self._base_point_size)
        self.profile.apply_scale(scale, self._base_point_size)
        self.fit_panels()
        self.statusBar().showMessage(f"Text size {scale:.0%}", 2000)

    def fit_panels(self) -> None:
        """Give the settings column the width its (scaled) text needs, and the plots most of the height."""
        panel_sizes.fit_panels(self)

    def set_window_size(self, width: int, height: int) -> None:
        """Make the window exactly ``width`` × ``height`` (a capture's size), even where a small screen maximised it."""
        self.setWindowState(Qt.WindowState.WindowNoState)
        self.resize(width, height)
        self.fit_panels()

    def layout_state(self) -> dict[str, object]:
        """Geometry, splitters and text size, for window_settings."""
        return {"geometry": self.saveGeometry(), "main_split": self.main_split.saveState(),
                "right_split": self.right_split.saveState(), "scale_index": self.scale_index}

    def restore_layout(self, state: dict[str, QByteArray]) -> None:
        """Restore :meth:`layout_state`'s geometry and splitters; either way the window fits its screen.

        A first start gets 1280×800, centred, or starts maximised on a smaller screen (a 1024×768 projector).
        """
        if state.get("geometry") is None or state["geometry"].isEmpty() or not self.restoreGeometry(state["geometry"]):
            screen_fit.first_start(self)
        else:
            screen_fit.keep_on_screen(self)
        for name, splitter in (("main_split", self.main_split), ("right_split", self.right_split)):
            if name in state:
                splitter.restoreState(state[name])

    # ------------------------------------------------------------------------------- racing
    def race_settings(self) -> RaceSettings:
        """Settings from the controls; raises UserError if a card is invalid or no model is enabled."""
        models = [key for key, card in self.cards.items() if card.isChecked()]
        if not models:
            raise UserError("Enable at least one model card to race.")
        base = load_preset(self.controls.preset_name())
        split = self.dataset_panel.split_config(stratify=base.split.stratify)
        preset = Preset(name=base.name, description=base.description, split=split, race=base.race,
                        models={key: card.config() for key, card in self.cards.items()})
        return RaceSettings(preset=preset, models=models, mode=self.controls.mode_name(),
                            target=self.controls.target_value(), seed=split.seed, rows=self.dataset_panel.sample_rows(),
                            device=self.controls.device(), repeats=self.controls.repeat_count(),
                            sizes=self.controls.race_sizes())

    def run_race(self) -> None:
        """Start a race (a run still winding down is detached: its late points are dropped)."""
        try:
            settings = self.race_settings()
        except UserError as exc:
            QMessageBox.warning(self, "Cannot start the race", window_text(exc))
            return
        self.live.reset(settings)
        self.settings_note.setVisible(False)  # the controls now describe this race
        self.result = None
        for view in (self.evidence, self.size_curve, self.profile):
            view.show_result(None)
        self.plots.set_bands({})
        self.plots.clear()
        self.plots.set_models(settings.models)
        if settings.target is None:  # the automatic target: a provisional line that moves with the best curve
            self.plots.set_provisional_target(settings.preset.race.target_fraction)
        else:
            self.plots.set_target(settings.target)
        self.results.clear()
        self.banner.show_idle("Racing…")
        for key, card in self.cards.items():
            card.set_state("queued" if key in settings.models else "skipped")
        self.progress_strip.reset({key: key in settings.models for key in self.cards})
        spec = self.dataset_panel.selected()
        options = self.run_on.options()
        self.grid_table.show_grid(None)
        if options is not None:  # the cells appear once the workers are up and the data is sent
            self.grid_table.caption.setText(f"Starting the grid on {self.run_on.describe()}: starting the workers "
                                            "and sending them the data…")
        run_id = self.session.start(spec, settings, options)
        self.log(f"Run {run_id}: {', '.join(settings.models)} on '{spec}', {settings.resolved_mode()} mode, "
                 f"preset {settings.preset.name}, on {self.run_on.describe()}")

    def stop_race(self) -> None:
        """Stop every model at its next step; finished and partial results are kept."""
        if self.session.stop():
            self.statusBar().showMessage("Stopping after the current step…")
            self.log("Stop requested")

    def _show_phase(self, phase: str) -> None:
        running = phase in ("loading", "racing", "stopping")
        self.controls.set_running(running)
        self.run_action.setText("Restart" if running else "Run")
        messages = {"idle": "Ready", "loading": f"Opening '{self.dataset_panel.selected()}' and splitting it…",
                    "racing": "Racing…", "stopping": "Stopping after the current step…"}
        self.statusBar().showMessage(messages[phase])

    def _on_result(self, result: Result) -> None:
        self.show_result(result)
        sentence = headline(result)
        self.log(f"Verdict: {sentence} {result['verdict']['text']}")
        if (result.get("race") or {}).get("stopped"):
            self.statusBar().showMessage(sentence)
        self.raceFinished.emit(result)

    def _stopped_early(self) -> None:
        self.results.clear()  # no "so far" rows or caption from a race that never produced a result
        self.banner.show_idle("Stopped before the race began.")

    def _race_error(self, exc: BaseException) -> None:
        self.results.clear()
        message = window_text(exc)
        self.banner.show_idle(f"The race could not run: {message}")
        for card in self.cards.values():
            card.set_state("idle")
        self.log(f"Race failed: {message}")
        self.raceFailed.emit(message)
        if not QApplication.instance().property("headless_capture"):
            QMessageBox.warning(self, "The race could not run", message)

    # ------------------------------------------------------------------------------ results
    def show_result(self, result: Result) -> None:
        """Show a result: curves, target and markers, table, bars, verdict and confusion matrices."""
        self.result = result
        self.plots.set_models(raced_models(result))
        self.progress_strip.reset({key: key in raced_models(result) for key in self.cards})
        for key, card in self.cards.items():
            if key not in result["models"]:  # a model added since the file was written, or not raced then
                card.set_state("skipped")
        for key, model in result["models"].items():
            self.plots.load_curve(key, model.get("curve") or [])  # one not installed here too: by its key, in grey
            if key in self.cards:
                self.cards[key].show_entry(model)
                self.progress_strip.show_entry(key, model)
        self.plots.set_target(result["verdict"].get("target"))
        self.plots.redraw()
        for view in (self.results, self.profile, self.confusion, self.evidence, self.size_curve):
            view.show_result(result)
        self.grid_table.show_grid(result.get("cluster"))
        runs = (result.get("repeats") or {}).get("runs") or []
        self.plots.set_bands({key: [run["models"][key]["curve"] for run in runs if run["models"].get(key, {}).get("curve")]
                              for key in result["models"]} if len(runs) > 1 else {})
        self.plots.settle()
        self.banner.show_verdict(result)

    def open_results(self, path: Path) -> bool:
        """Show a saved result exactly as it was: curves, table, verdict, matrices and settings (no training)."""
        return self.files.open(path)

    def save_results(self, path: Path) -> bool:
        """Save the shown result as JSON (atomically); a failure is reported and nothing is lost."""
        return self.files.save(path)

    def compare_with(self, path: Path) -> bool:
        """Overlay the curves of the result at ``path`` (dashed)."""
        return self.files.compare_with(path)

    def show_opened(self, result: Result, path: Path) -> None:
        """Show a result opened from ``path``: its curves, tables and verdict, and its settings in the controls."""
        self.session.detach()  # anything still arriving belongs to an older run
        self.plots.clear()
        note = show_opened_settings(self, result, path.name)
        self.settings_note.setText(note)
        self.settings_note.setVisible(True)
        self.log(note)
        self.show_result(result)

    # ------------------------------------------------------------------------------- close
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop any race, wait briefly for the workers, remember the settings, close."""
        if self.presenting:
            self.set_presenting(False)  # remember the window as it is outside a presentation
        if self.remember:
            window_settings.save(self)
        for dialog in self.findChildren(QDialog):
            dialog.reject()  # an open dialog (Export, say) would otherwise keep the app alive
        self.preload.stop()
        began = time.monotonic()
        if (not self.session.shutdown(CLOSE_WAIT_MS) or not self.preload.wait(200)
                or not wait_for_jobs(max(0, CLOSE_WAIT_MS - int(1000 * (time.monotonic() - began))))):
            # A tree, a batch or a library load that cannot be interrupted is still running; don't hold the user.
            QApplication.instance().setProperty("abandon_workers", True)
        event.accept()
