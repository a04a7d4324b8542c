"""The models' settings: one spec per setting (label, range or choices, tooltip) that also validates every value."""

from __future__ import annotations

import math

import pytest

from modelrace.models.race.presets import load_preset, preset_from_dict, preset_names
from modelrace.models.system.errors import ConfigError
from modelrace.models.trainers.configs import config_from_dict, settings_of
from modelrace.models.trainers.registry import specs

CONFIGS = {key: spec.config for key, spec in specs().items()}  # every registered model's settings


@pytest.mark.parametrize("key", sorted(CONFIGS))
def test_every_setting_has_a_spec_and_its_default_is_valid(key: str) -> None:
    settings = settings_of(CONFIGS[key])
    assert settings and all(s.spec.label and s.spec.tooltip for s in settings)
    for setting in settings:
        if setting.kind in ("int", "float"):
            assert setting.spec.minimum is not None and setting.spec.maximum is not None, setting.name
        if setting.kind == "choice":
            assert setting.spec.choices, setting.name
    CONFIGS[key]()  # the defaults pass their own checks


@pytest.mark.parametrize("name", ["tutorial", "quick", "strong"])
def test_the_presets_are_within_every_range(name: str) -> None:
    assert name in preset_names()
    load_preset(name)


@pytest.mark.parametrize("key, setting, value, words", [
    ("mlp", "learning_rate", math.nan, "learning_rate must be between"),
    ("mlp", "learning_rate", math.inf, "learning_rate must be between"),
    ("mlp", "dropout", 0.99, "dropout must be between 0 and 0.95"),
    ("mlp", "epochs", 0, "epochs must be between 1 and 10000"),
    ("mlp", "activation", "softsign", "activation must be one of relu"),
    ("mlp", "hidden", [], "hidden must list 1 to 10 layer sizes"),
    ("mlp", "hidden", [64] * 11, "hidden must list 1 to 10 layer sizes"),
    ("rf", "min_samples_split", 1, "min_samples_split must be between 2"),
    ("rf", "max_features", "half", "max_features must be one of sqrt, log2, all"),
    ("xgb", "subsample", 0.0, "subsample must be between 0.05 and 1"),
    ("xgb", "max_bin", 1, "max_bin must be between 2 and 4096"),
    ("xgb", "tree_method", "gpu_hist", "tree_method must be one of hist, approx, exact"),
])
def test_a_value_outside_its_spec_is_refused_with_the_range(key: str, setting: str, value: object, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        config_from_dict(CONFIGS[key], {setting: value}, key)


def test_a_preset_with_a_bad_value_names_its_table() -> None:
    with pytest.raises(ConfigError, match=r"\[xgb\] learning_rate must be between 0.001 and 1, got 5.0"):
        preset_from_dict("mine", {"xgb": {"learning_rate": 5}})
