"""The model cards: built from the settings' specs beside the configs, with values, presets, checks and status."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from modelrace.gui.window.model_card import ModelCard
from modelrace.models.race.presets import load_preset
from modelrace.models.system.errors import ConfigError
from modelrace.models.trainers.configs import settings_of
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import MODEL_KEYS, config_class

KINDS = {"int": QSpinBox, "float": QDoubleSpinBox, "choice": QComboBox, "bool": QCheckBox, "layers": QLineEdit}


@pytest.mark.parametrize("key", MODEL_KEYS)
def test_every_setting_gets_the_editor_its_spec_describes(qtbot, key: str) -> None:
    card = ModelCard(key)
    qtbot.addWidget(card)
    for setting in settings_of(config_class(key)):
        editor = card.editor(setting.name)
        assert isinstance(editor, KINDS[setting.kind]), setting.name
        assert editor.toolTip() == setting.spec.tooltip
        if setting.kind in ("int", "float"):
            assert (editor.minimum(), editor.maximum()) == (setting.spec.minimum, setting.spec.maximum)
        if setting.kind == "choice":
            assert [editor.itemText(i) for i in range(editor.count())] == list(setting.spec.choices)


@pytest.mark.parametrize("preset", ["tutorial", "quick", "strong"])
def test_a_preset_shown_on_a_card_comes_back_as_the_same_config(qtbot, preset: str) -> None:
    for key in MODEL_KEYS:
        card = ModelCard(key)
        qtbot.addWidget(card)
        config = load_preset(preset).models[key]
        card.show_preset(preset, config)
        assert card.preset.currentText() == preset
        assert card.config() == config


def test_values_state_and_restore(qtbot) -> None:
    card = ModelCard("mlp")
    qtbot.addWidget(card)
    card.show_preset("tutorial", load_preset("tutorial").models["mlp"])
    card.editor("hidden").setText("128, 64, 32")
    card.editor("epochs").setValue(7)
    card.setChecked(False)
    state = card.state()
    other = ModelCard("mlp")
    qtbot.addWidget(other)
    other.restore({"enabled": "false", "values": state["values"]})
    assert not other.isChecked() and other.config().hidden == (128, 64, 32) and other.config().epochs == 7
    other.restore({"enabled": "true", "values": {"epochs": "many", "unknown": 3}})  # bad values change nothing
    assert other.isChecked() and other.config().epochs == 7


def test_an_impossible_setting_names_the_model(qtbot) -> None:
    card = ModelCard("mlp")
    qtbot.addWidget(card)
    card.editor("hidden").setText("")
    with pytest.raises(ConfigError, match="Keras MLP: .*hidden"):
        card.config()


def test_status_progress_and_eta(qtbot) -> None:
    card = ModelCard("rf")
    qtbot.addWidget(card)
    card.set_state("training")
    card.show_step(Step("rf", 25, "tree", 100, 1.0, 2.0, 0.8123, 0.5))
    assert card.progress.value() == 250
    assert card.progress.format() == "25/100 trees · acc 0.812 · ETA 6.0 s"
    entry = {"status": "failed", "error": "RandomForest ran out of memory", "test_accuracy": None}
    card.show_entry(entry)
    assert card.status.text() == "failed: RandomForest ran out of memory"
    card.show_entry({"status": "finished", "test_accuracy": 0.8654, "train_seconds": 1.234, "steps_done": 100,
                     "planned_steps": 100})
    assert card.status.text() == "finished: test accuracy 0.865 in 1.23\u00a0s" and card.progress.value() == 1000


def test_card_configs_are_the_engine_configs() -> None:
    """The card shows a dataclass field for every setting the engine has, and no other."""
    for key in MODEL_KEYS:
        assert [s.name for s in settings_of(config_class(key))] == [f.name for f in dataclasses.fields(config_class(key))]


def test_the_preset_box_names_the_values_shown_or_says_custom(qtbot) -> None:
    card = ModelCard("mlp")
    qtbot.addWidget(card)
    card.apply_preset("quick")
    assert card.preset_name() == "quick"
    card.editor("epochs").setValue(card.editor("epochs").value() + 1)
    assert card.preset_name() == "custom", "edited values are no preset's"
    card.editor("epochs").setValue(card.editor("epochs").value() - 1)
    assert card.preset_name() == "quick", "back to the preset's values"
    # Values set from elsewhere (a saved result, remembered settings) are named by what they are.
    card.show_preset("tutorial", load_preset("quick").models["mlp"])
    assert card.preset_name() == "quick"
    card.set_values({"hidden": [128, 64], "epochs": 3})
    assert card.preset_name() == "custom"
    card.set_config(load_preset("tutorial").models["mlp"])
    assert card.preset_name() == "tutorial"
    card.apply_preset("custom")  # choosing 'custom' keeps the values
    assert card.config() == load_preset("tutorial").models["mlp"] and card.preset_name() == "tutorial"
