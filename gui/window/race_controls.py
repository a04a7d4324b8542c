"""The Race box: preset, mode, target, repeats, sizes, Keras backend, the GPU choice, and Run / Stop."""

from __future__ import annotations

import os
import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QWidget,
)

from modelrace.gui.window.model_words import gpu_models, keras_sentence_name, neural_catches_up
from modelrace.gui.window.number_inputs import PlainDoubleSpinBox
from modelrace.models.race.presets import MODES, preset_names
from modelrace.models.trainers.devices import gpu_advice
from modelrace.models.trainers.keras_setup import BACKENDS
from modelrace.models.trainers.registry import short_label


class RaceControls(QGroupBox):
    """What kind of race to run, and the buttons that start and stop it."""

    presetChosen = Signal(str)  # the user picked a preset (apply it everywhere)
    backendChosen = Signal(str)  # the user picked a Keras backend
    targetChanged = Signal(object)  # the target accuracy (float), or None for auto
    runClicked = Signal()
    stopClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Race", parent)
        self.preset = QComboBox()
        self.preset.addItems(preset_names())
        self.preset.setToolTip("Apply a preset to every model card and to the split")
        self.preset.activated.connect(lambda _: self.presetChosen.emit(self.preset.currentText()))
        self.mode = QComboBox()
        self.mode.addItems(list(MODES))
        self.mode.setToolTip("fair: one model at a time with every core; simultaneous: all at once, cores divided")
        self.target = PlainDoubleSpinBox()
        self.target.setRange(0.0, 1.0)
        self.target.setDecimals(3)
        self.target.setSingleStep(0.01)
        self.target.setSpecialValueText("auto (95% of the best)")
        self.target.setToolTip("Validation accuracy whose time-to-target decides the verdict (auto: 95% of the best final)")
        self.target.valueChanged.connect(lambda value: self.targetChanged.emit(value or None))
        self.repeats = QSpinBox()
        self.repeats.setRange(1, 50)
        self.repeats.setToolTip("Race this many times with seeds seed, seed+1, …: new split and models each time; "
                                "means, 95% confidence bands and significance tests")
        self.sizes = QLineEdit()
        self.sizes.setPlaceholderText("off (e.g. 1000, 2000, 4000)")
        self.sizes.setValidator(QRegularExpressionValidator(r"^\s*(\d{1,9}\s*(,\s*\d{1,9}\s*)*)?$"))
        self.sizes.setToolTip(f"Race at these training-set sizes (stratified samples) to see where {neural_catches_up()}")
        self.backend = QComboBox()
        self.backend.addItems(list(BACKENDS))
        keras = keras_sentence_name()
        self.backend.setToolTip(f"Keras backend for {keras}. TensorFlow is the tutorial's; JAX is often 2-4x faster "
                                f"per epoch on a CPU. A change applies at once if {keras} has not run yet, else at the "
                                "next start.")
        self.backend.setCurrentText(os.environ.get("KERAS_BACKEND", "tensorflow"))
        self.backend.activated.connect(lambda _: self.backendChosen.emit(self.backend.currentText()))
        # "MLP and XGB": the models that can train on a GPU
        self._gpu_models = " and ".join(short_label(key) for key in gpu_models()) or "no model can use one"
        self.use_gpu = QCheckBox(self._gpu_models)
        self.use_gpu.setEnabled(False)
        self.use_gpu.setToolTip("Looking for an NVIDIA GPU…")
        self._gpu_wanted = False  # remembered choice, applied once a GPU is found
        self.run_button = QPushButton("Run  (Ctrl+R)")
        self.run_button.setObjectName("run")
        self.run_button.clicked.connect(self.runClicked)
        self.stop_button = QPushButton("Stop  (Esc)")
        self.stop_button.setObjectName("stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stopClicked)

        form = QFormLayout(self)
        form.addRow("Preset", self.preset)
        form.addRow("Mode", self.mode)
        form.addRow("Target", self.target)
        form.addRow("Repeats", self.repeats)
        form.addRow("Sizes", self.sizes)
        form.addRow("Keras backend", self.backend)
        form.addRow("Use the GPU", self.use_gpu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        form.addRow(buttons)

    # ------------------------------------------------------------------------------ values
    def preset_name(self) -> str:
        """The preset the race starts from (the cards may have changed its settings)."""
        return self.preset.currentText()

    def mode_name(self) -> str:
        """fair or simultaneous."""
        return self.mode.currentText()

    def repeat_count(self) -> int:
        """Seeds to race (1: a single race)."""
        return self.repeats.value()

    def target_value(self) -> float | None:
        """The target accuracy, or None for the preset's fraction of the best."""
        return self.target.value() or None

    def race_sizes(self) -> tuple[int, ...]:
        """The training-set sizes to race at (empty: no size curve)."""
        return tuple(sorted({int(v) for v in re.findall(r"\d+", self.sizes.text()) if int(v) > 0}))

    def device(self) -> str:
        """"gpu" when a GPU was found and chosen, else "cpu"."""
        return "gpu" if self.use_gpu.isEnabled() and self.use_gpu.isChecked() else "cpu"

    def show_preset(self, name: str, mode: str) -> None:
        """Show that a preset applies (its name, if it is one of the bundled ones, and its race mode)."""
        if self.preset.findText(name) >= 0:
            self.preset.setCurrentText(name)
        self.mode.setCurrentText(mode)

    def show_gpus(self, gpus: tuple[str, ...]) -> None:
        """Offer the GPU choice if a GPU was found (the CPU stays the default; see devices.gpu_advice)."""
        self.use_gpu.setEnabled(bool(gpus) and bool(gpu_models()))
        if gpus:
            self.use_gpu.setText(f"{self._gpu_models} ({gpus[0]})")
            self.use_gpu.setToolTip(gpu_advice())
            self.use_gpu.setChecked(self._gpu_wanted)
        else:
            self.use_gpu.setToolTip("No NVIDIA GPU was found on this machine; everything trains on the CPU.")

    def set_running(self, running: bool) -> None:
        """While a race runs: Stop is enabled and Run becomes Restart (it stops this race and starts again)."""
        self.stop_button.setEnabled(running)
        self.run_button.setText("Restart  (Ctrl+R)" if running else "Run  (Ctrl+R)")
        self.run_button.setToolTip("Stop this race and start it again with the settings shown" if running
                                   else "Race the enabled models with the settings shown")

    # ------------------------------------------------------------------------- remembered state
    def state(self) -> dict[str, Any]:
        """What the window remembers of this box between sessions."""
        state: dict[str, Any] = {"preset": self.preset.currentText(), "mode": self.mode.currentText(),
                                 "target": self.target.value(), "repeats": self.repeats.value(), "sizes": self.sizes.text()}
        if self.use_gpu.isEnabled():
            state["use_gpu"] = self.use_gpu.isChecked()
        return state

    def restore(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state` (missing or bad values keep the current ones); the preset is applied elsewhere."""
        if "mode" in state:
            self.mode.setCurrentText(str(state["mode"]))
        if "target" in state:
            self.target.setValue(_number(state["target"], self.target.value()))
        if "repeats" in state:
            self.repeats.setValue(int(_number(state["repeats"], self.repeats.value())))
        if "sizes" in state:
            self.sizes.setText(str(state["sizes"] or ""))
        if "use_gpu" in state:
            self._gpu_wanted = str(state["use_gpu"]).lower() == "true"
            if self.use_gpu.isEnabled():
                self.use_gpu.setChecked(self._gpu_wanted)


def _number(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
