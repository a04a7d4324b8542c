"""One card per model: enable box, preset, validated hyperparameters, status line and progress with ETA.

The editors are built from the settings' specs beside the config dataclasses
(``modelrace.models.trainers.configs``): label, range, choices, tooltip and section are defined there once.
"""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QProgressBar, QSizePolicy,
    QSpinBox, QVBoxLayout, QWidget,
)
from superqt import QCollapsible

from modelrace.gui.window.number_inputs import PlainDoubleSpinBox
from modelrace.gui.window.theme import STATE_COLORS, model_text_color, text_color
from modelrace.models.race.presets import load_preset, preset_names
from modelrace.models.results.document import ModelEntry
from modelrace.models.system.errors import ConfigError
from modelrace.models.system.formatting import STATUS_WORDS, accuracy, seconds, steps
from modelrace.models.trainers.configs import SettingInfo, config_from_dict, setting_applies, settings_of
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import DEFAULT_MODELS, config_class, label, unit

STATUS_TEXT = {"idle": "ready", **STATUS_WORDS, "training": "training…"}
#: The preset box's entry when the card's values are no preset's (edited, or from an opened result).
CUSTOM = "custom"


class ModelCard(QGroupBox):
    """Settings and live status of one model."""

    changed = Signal()

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(label(key), parent)
        self.key = key
        self.unit = unit(key)
        self.setCheckable(True)
        self.setChecked(key in DEFAULT_MODELS)  # the default race is the tutorial's; other models wait to be ticked
        self.setObjectName(f"card_{key}")
        self.apply_theme()
        self._settings = settings_of(config_class(key))
        self._editors: dict[str, QWidget] = {}
        self._started = 0.0
        self._filling = False  # set_config is changing the editors: name the preset once, at the end
        self._preset_values = {name: dataclasses.asdict(load_preset(name).models[key]) for name in preset_names()}

        layout = QVBoxLayout(self)
        main = QFormLayout()
        self.preset = QComboBox()
        self.preset.addItems([*preset_names(), CUSTOM])
        self.preset.setToolTip("Fill this card with a preset's settings for this model. It reads 'custom' when the "
                               "values shown are no preset's.")
        self.preset.activated.connect(lambda _: self.apply_preset(self.preset.currentText()))
        main.addRow("Preset", self.preset)
        advanced_form = QFormLayout()
        self._forms: dict[str, QFormLayout] = {}
        for setting in self._settings:
            editor = self._make_editor(setting)
            self._editors[setting.name] = editor
            form = advanced_form if setting.spec.advanced else main
            form.addRow(setting.spec.label, editor)
            self._forms[setting.name] = form
            row_label = form.labelForField(editor)
            if row_label is not None:
                row_label.setToolTip(setting.spec.tooltip)
        layout.addLayout(main)
        self.advanced = _advanced_section(advanced_form)
        layout.addWidget(self.advanced)

        self.status = QLabel(STATUS_TEXT["idle"])
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it may carry a model's error message
        self.status.setWordWrap(True)
        self.status.setObjectName(f"status_{key}")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("")
        self.progress.setTextVisible(True)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        self.changed.connect(self._show_relevant_settings)
        self.changed.connect(self._name_preset)
        self.apply_preset(self.preset.currentText())
        self._show_relevant_settings()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """A new text size (presenter mode): the open Advanced section takes the height its rows need now."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self._refit_advanced)

    def _refit_advanced(self) -> None:
        if self.advanced.isExpanded():
            self.advanced.expand(animate=False)  # sets its height from the content's size hint again

    def apply_theme(self) -> None:
        """Colour the title with the model's colour, readable on the current theme's panels."""
        self.setStyleSheet(f"QGroupBox#card_{self.key}::title {{ color: {model_text_color(self.key)}; font-weight: bold; }}")
        if hasattr(self, "status"):
            self._colour_status(str(self.status.property("state") or "idle"))

    # ------------------------------------------------------------------------------ settings
    def _make_editor(self, setting: SettingInfo) -> QWidget:
        spec = setting.spec
        editor: QWidget
        if setting.kind == "int":
            editor = QSpinBox()
            editor.setRange(int(spec.minimum), int(spec.maximum))
            editor.setSingleStep(int(spec.step))
            if spec.zero_text:
                editor.setSpecialValueText(spec.zero_text)
            editor.valueChanged.connect(self.changed)
        elif setting.kind == "float":
            editor = PlainDoubleSpinBox()
            editor.setDecimals(spec.decimals)
            editor.setRange(spec.minimum, spec.maximum)
            editor.setSingleStep(spec.step)
            editor.valueChanged.connect(self.changed)
        elif setting.kind == "choice":
            editor = QComboBox()
            editor.addItems(list(spec.choices))
            editor.currentTextChanged.connect(self.changed)
        elif setting.kind == "bool":
            editor = QCheckBox()
            editor.toggled.connect(self.changed)
        else:  # layers: "64, 32"
            digits = len(str(int(spec.maximum)))
            editor = QLineEdit()
            editor.setValidator(QRegularExpressionValidator(rf"^\s*\d{{1,{digits}}}(\s*,\s*\d{{1,{digits}}}){{0,9}}\s*$"))
            editor.setPlaceholderText("e.g. 64, 32")
            editor.textChanged.connect(self.changed)
        editor.setToolTip(spec.tooltip)
        editor.setObjectName(f"{self.key}_{setting.name}")
        return editor

    def apply_preset(self, name: str) -> None:
        """Load this model's settings from a bundled preset ('custom' keeps the values shown)."""
        if name in self._preset_values:
            self.show_preset(name, load_preset(name).models[self.key])
        else:
            self._name_preset()

    def show_preset(self, name: str, config: Any) -> None:
        """Show ``config`` (this model's settings from preset ``name``), named as the preset its values are."""
        self.preset.setCurrentText(name)
        self.set_config(config)

    def set_config(self, config: Any) -> None:
        """Show ``config`` (this model's config dataclass) in the editors; the preset box names the values' preset."""
        self._filling = True
        try:
            for setting in self._settings:
                value = getattr(config, setting.name)
                editor = self._editors[setting.name]
                if isinstance(editor, QSpinBox | QDoubleSpinBox):
                    editor.setValue(value)
                elif isinstance(editor, QComboBox):
                    editor.setCurrentText(str(value))
                elif isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                else:
                    editor.setText(", ".join(str(v) for v in value))
        finally:
            self._filling = False
        self._name_preset()

    def preset_name(self) -> str:
        """The preset whose values the card shows, or 'custom'."""
        return self.preset.currentText()

    def _name_preset(self) -> None:
        """Say which preset the values shown are: the one chosen if they still match it, another that matches, or custom."""
        if self._filling:
            return
        try:
            values = dataclasses.asdict(self.config())
        except (ConfigError, TypeError, ValueError):
            values = None
        chosen = self.preset.currentText()
        matching = [name for name, preset in self._preset_values.items() if preset == values]
        name = chosen if chosen in matching else matching[0] if matching else CUSTOM
        if name != chosen:
            self.preset.setCurrentText(name)

    def values(self) -> dict[str, Any]:
        """The editors' values, keyed by config field."""
        values: dict[str, Any] = {}
        for setting in self._settings:
            editor = self._editors[setting.name]
            if isinstance(editor, QSpinBox | QDoubleSpinBox):
                values[setting.name] = editor.value()
            elif isinstance(editor, QComboBox):
                values[setting.name] = editor.currentText()
            elif isinstance(editor, QCheckBox):
                values[setting.name] = editor.isChecked()
            else:
                values[setting.name] = [int(v) for v in re.findall(r"\d+", editor.text())]
        return values

    def _show_relevant_settings(self) -> None:
        """Hide settings that do not apply to the current choices (SGD's momentum when Adam is chosen)."""
        current = self.values()
        for setting in self._settings:
            self._forms[setting.name].setRowVisible(self._editors[setting.name], setting_applies(setting, current))

    def setting_shown(self, name: str) -> bool:
        """True if setting ``name``'s row is shown for the current choices."""
        return setting_applies(next(s for s in self._settings if s.name == name), self.values())

    def editor(self, name: str) -> QWidget:
        """The editor of setting ``name`` (for tests and keyboard focus)."""
        return self._editors[name]

    def config(self) -> Any:
        """This card's config dataclass; raises ConfigError naming the model and the bad setting."""
        try:
            return config_from_dict(config_class(self.key), self.values(), self.key)
        except ConfigError as exc:
            raise ConfigError(f"{self.title()}: {exc}") from exc

    def set_values(self, values: dict[str, Any]) -> None:
        """Restore remembered values (unknown or invalid ones are ignored)."""
        try:
            base = dataclasses.asdict(self.config())
            base.update({k: v for k, v in values.items() if k in base})
            self.set_config(config_from_dict(config_class(self.key), base, self.key))
        except (ConfigError, TypeError, ValueError):
            pass

    def state(self) -> dict[str, Any]:
        """What the window remembers of this card between sessions: enabled, and the values."""
        return {"enabled": self.isChecked(), "values": self.values()}

    def restore(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state`; missing or bad values keep the current ones (a card never remembered keeps its default)."""
        if "enabled" in state:
            self.setChecked(str(state["enabled"]).lower() == "true")
        values = state.get("values")
        if isinstance(values, dict):
            self.set_values(values)

    # -------------------------------------------------------------------------------- status
    def set_state(self, state: str, detail: str = "") -> None:
        """Show a status: idle, queued, training, finished, stopped, failed or skipped."""
        text = STATUS_TEXT.get(state, state)
        self.status.setText(f"{text}: {detail}" if detail else text)
        self.status.setProperty("state", state)
        self._colour_status(state)
        if state == "training":
            self._started = time.monotonic()
        if state in ("queued", "idle"):
            self.progress.setValue(0)
            self.progress.setFormat("")

    def _colour_status(self, state: str) -> None:
        color = text_color(STATE_COLORS[state]) if state in STATE_COLORS else ""
        self.status.setStyleSheet(f"color: {color}; font-weight: bold;" if color else "")

    def show_step(self, step: Step) -> None:
        """Advance the progress bar and its ETA text."""
        fraction = min(1.0, step.step / step.total) if step.total else 0.0
        self.progress.setValue(int(1000 * fraction))
        remaining = step.wall / step.step * (step.total - step.step) if step.step else 0.0
        eta = _duration(remaining)
        self.progress.setFormat(f"{steps(step.step, step.total, self.unit)} · acc {accuracy(step.val_accuracy)} · ETA {eta}")

    def show_entry(self, entry: ModelEntry) -> None:
        """Show the end state of a model from its result entry."""
        status = entry["status"]
        if status == "failed":
            self.set_state("failed", entry.get("error") or "")
            return
        if entry.get("test_accuracy") is None:
            self.set_state(status)
            return
        done = entry.get("steps_done") or 0
        planned = entry.get("planned_steps") or 0
        where = f" after {steps(done, planned or None, self.unit)}" if status == "stopped" else ""
        self.set_state(status, f"test accuracy {accuracy(entry['test_accuracy'])} in "
                               f"{seconds(entry['train_seconds'])}{where}")
        if planned:
            self.progress.setValue(int(1000 * min(1.0, done / planned)))
            self.progress.setFormat(steps(done, planned, self.unit))


def _duration(left: float) -> str:
    if left < 60:
        return f"{left:.0f} s" if left >= 10 else f"{left:.1f} s"
    return f"{left // 60:.0f} min {left % 60:.0f} s"


def _advanced_section(form: QFormLayout) -> QCollapsible:
    """A collapsed "Advanced" section holding ``form``, which it opens to the form's full height."""
    section = QCollapsible("Advanced", expandedIcon="▾", collapsedIcon="▸")
    holder = _FormHolder()
    holder.setLayout(form)
    # The form is the section's content itself (not inside superqt's default content widget, whose layout would
    # ask the form for its height once and keep it): the section then sizes itself from the form's own hint.
    default = section.content()
    section.layout().removeWidget(default)
    default.deleteLater()
    holder.setMaximumHeight(0)
    section.setContent(holder)
    holder.installEventFilter(section)  # as superqt's addWidget does: a resize of the form refits the section
    # superqt's "at most its size hint" would cap the section at its height for its hint's (wider) width.
    section.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    section.toggled.connect(lambda _open: holder.updateGeometry())  # the layouts above ask for its height anew
    return section


class _FormHolder(QWidget):
    """The Advanced section's form. Its size hint is its height at its width: the settings column puts a long
    label above its field when narrow (or at a large text size), and the collapsible sizes itself from the hint,
    which without this would squash those rows."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Another width: the layouts above ask for the height at it (they keep a hint until told)."""
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Another text size: likewise."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """The form's height at the width it has (at least the plain hint)."""
        hint = super().sizeHint()
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth() and self.width() > 0:
            return QSize(hint.width(), max(hint.height(), layout.totalHeightForWidth(self.width())))
        return hint
