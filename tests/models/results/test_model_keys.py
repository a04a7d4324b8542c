"""A result's model keys: one schema definition, checked against the registry when a result is read.

A result that names a registered model (an installed plugin's too) opens and its settings are checked
with that model's config; one that names a model not installed here also opens (its scores are plain
data the schema has checked) and gets one line naming the file, the key and what to install; a key
that is no model key at all is refused in one line.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from modelrace.models.results.document import NOT_SELECTED, raced_models
from modelrace.models.results.files import load_result, save_result
from modelrace.models.results.installed import in_registry_order, not_installed, not_installed_line, ordered
from modelrace.models.system.errors import DataError
from modelrace.models.trainers import registry
from modelrace.models.trainers.protocol import Trainer
from modelrace.models.trainers.spec import KEY_PATTERN, ModelSpec

from .made import renamed, with_every_model

PLUGIN = "et"  # a plugin's key: registered by a test, or not installed


@pytest.fixture(scope="module")
def result(saved_race) -> dict:
    """A real 2-seed race of the tutorial's three on 2,000 rows (shared with the report and window tests)."""
    return load_result(saved_race("--preset", "quick", "--rows", "2000", "--repeats", "2"))


@dataclass(frozen=True)
class _PluginSettings:
    """A plugin's settings: one whole number."""

    trees: int = 10


def _plugin_spec() -> ModelSpec:
    """A plugin's spec that is registered but never trains (its trainer is a class of its own)."""
    trainer = type("PluginTrainer", (Trainer,), {"planned_steps": lambda self: 1, "fit": lambda self, *args: None})
    return ModelSpec(key=PLUGIN, label="ExtraTrees", short_label="ET", unit="tree", config=_PluginSettings,
                     trainer=trainer, side="simpler", libraries=(), repro=lambda *args: "")


@pytest.fixture
def plugin_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin's model, registered for the test as an installed plugin's entry point would register it."""
    assert not registry.known(PLUGIN), "the test's plugin key is taken by an installed model"
    monkeypatch.setitem(registry._REGISTRY.specs, PLUGIN, _plugin_spec())
    monkeypatch.setitem(registry._REGISTRY.colors, PLUGIN, "#56B4E9")


def _with_plugin(result: dict, config: dict) -> dict:
    """``result`` with its RandomForest raced as the plugin's model, with ``config``."""
    data = renamed(copy.deepcopy(result), "rf", PLUGIN)
    data["models"][PLUGIN]["config"] = config
    data["models"][PLUGIN].pop("params", None)
    return data


def _saved(data: dict, path: Path) -> Path:
    path.write_text(json.dumps(data))
    return path


# ---------------------------------------------------------------------------------------------- the schema
def _schema() -> dict:
    return json.loads(resources.files("modelrace.resources").joinpath("result.schema.json").read_text("utf-8"))


def _refs(node: Any, where: str = "") -> list[str]:
    """Where the schema refers to the model key definition."""
    found = []
    if isinstance(node, dict):
        if node.get("$ref") == "#/$defs/model_key":
            found.append(where)
        for key, value in node.items():
            found += _refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _refs(value, f"{where}/{index}")
    return found


def _enums(node: Any) -> list[list]:
    if isinstance(node, dict):
        return ([node["enum"]] if "enum" in node else []) + [e for value in node.values() for e in _enums(value)]
    if isinstance(node, list):
        return [e for value in node for e in _enums(value)]
    return []


def test_the_schema_names_models_by_one_definition_the_spec_s_key_pattern() -> None:
    schema = _schema()
    assert schema["$defs"]["model_key"]["pattern"] == KEY_PATTERN.pattern
    assert not [e for e in _enums(schema) if set(e) & set(registry.MODEL_KEYS)], "no list of model names is left"
    places = _refs(schema)
    expected = {"/properties/models/propertyNames", "/properties/verdict/properties/time_to_target/propertyNames",
                "/properties/race/properties/models/items", "/$defs/mcnemar/properties/a", "/$defs/mcnemar/properties/b",
                "/$defs/repeats/properties/summary/propertyNames",
                "/$defs/repeats/properties/pairwise/items/properties/a",
                "/$defs/repeats/properties/pairwise/items/properties/b",
                "/$defs/repeats/properties/runs/items/properties/models/propertyNames",
                "/$defs/size_curve/properties/points/items/properties/models/propertyNames",
                "/$defs/cluster/properties/grid/properties/models/items"}
    assert set(places) == expected, "every place that names a model uses the one definition"


@pytest.mark.parametrize("key", ["XGB", "random-forest", "1rf", "a" * 17, ""])
def test_a_malformed_model_key_is_refused_in_one_line(result: dict, tmp_path: Path, key: str) -> None:
    data = renamed(copy.deepcopy(result), "rf", key)
    path = _saved(data, tmp_path / "odd.json")
    with pytest.raises(DataError) as caught:
        load_result(path)
    message = str(caught.value)
    assert str(path) in message and repr(key) in message and "not a model key" in message and "\n" not in message


# ------------------------------------------------------------------------------------ models of the registry
def test_a_result_of_every_registered_model_opens_and_round_trips(result: dict, tmp_path: Path) -> None:
    every = with_every_model(result)
    assert set(every["models"]) >= set(registry.MODEL_KEYS)
    path = tmp_path / "every.json"
    save_result(every, path)
    opened = load_result(path)
    assert opened == every and not_installed(opened) == []
    assert list(raced_models(opened)) == list(registry.MODEL_KEYS), "the registry's order"
    again = tmp_path / "again.json"
    save_result(opened, again)
    assert again.read_bytes() == path.read_bytes()


def test_an_installed_plugin_s_result_opens_and_its_settings_are_checked(result: dict, tmp_path: Path,
                                                                         plugin_installed: None) -> None:
    path = _saved(_with_plugin(result, {"trees": 5}), tmp_path / "plugin.json")
    opened = load_result(path)
    assert opened["models"][PLUGIN]["config"] == {"trees": 5} and not_installed_line(opened, path.name) is None
    bad = _saved(_with_plugin(result, {"trees": "many"}), tmp_path / "bad.json")
    with pytest.raises(DataError) as caught:
        load_result(bad)
    message = str(caught.value)
    assert str(bad) in message and f"models.{PLUGIN}.config" in message and "\n" not in message


def test_a_model_not_installed_here_opens_with_one_line(result: dict, tmp_path: Path) -> None:
    assert not registry.known(PLUGIN)
    path = _saved(_with_plugin(result, {"trees": "whatever its plugin takes"}), tmp_path / "colleague.json")
    opened = load_result(path)  # the plugin's settings cannot be checked here; its scores are plain data
    assert opened["models"][PLUGIN]["test_accuracy"] == result["models"]["rf"]["test_accuracy"]
    assert not_installed(opened) == [PLUGIN]
    assert list(raced_models(opened))[-1] == PLUGIN, "after the installed models"
    line = not_installed_line(opened, path.name)
    assert line is not None and "\n" not in line
    assert line.startswith(f"{path.name}: ") and f"'{PLUGIN}'" in line and "install the plugin that provides it" in line
    assert load_result(path) == opened and not_installed_line(load_result(path), path.name) == line


def test_a_skipped_model_not_installed_here_is_tolerated(result: dict, tmp_path: Path) -> None:
    """Schema 1 writes a skipped entry for each of the tutorial's three a race left out: a skipped entry holds no
    score, so one for a model not installed here opens too; only one the race selected gets the line."""
    data = _with_plugin(result, {})
    data["models"][PLUGIN].update(status="skipped", note=NOT_SELECTED, test_accuracy=None, macro_f1=None,
                                  train_seconds=None, curve=[], confusion_matrix=None, per_class_recall=None)
    data = json.loads(json.dumps(data))
    for block in ("repeats",):
        if data.get(block):
            data[block]["summary"].pop(PLUGIN, None)
            for run in data[block]["runs"]:
                run["models"].pop(PLUGIN, None)
    path = _saved(data, tmp_path / "skipped.json")
    opened = load_result(path)
    assert PLUGIN in opened["models"] and not_installed(opened) == [] and not_installed_line(opened) is None
    data["models"][PLUGIN]["note"] = "not started: the race was stopped before its turn"
    started = load_result(_saved(data, tmp_path / "not-started.json"))
    assert not_installed(started) == [PLUGIN], "selected for the race, so it is said"


def test_models_come_in_the_registry_s_order_whatever_the_file_s() -> None:
    keys = list(registry.MODEL_KEYS)
    given = ["zz_b", *reversed(keys), "zz_a"]
    assert in_registry_order(given) == [*keys, "zz_b", "zz_a"], "installed first, in race order; the rest as given"
    assert list(ordered({key: index for index, key in enumerate(given)})) == [*keys, "zz_b", "zz_a"]
    assert in_registry_order([keys[-1], keys[-1], keys[0]]) == [keys[0], keys[-1]], "each once"


def test_the_report_command_says_the_one_line_for_a_model_not_installed(result: dict, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from modelrace.gui.terminal.main import main

    path = _saved(_with_plugin(result, {"trees": 10}), tmp_path / "colleague.json")
    assert main(["report", str(path), "--csv", str(tmp_path / "csv")]) == 0
    printed = capsys.readouterr()
    named = [line for line in printed.err.splitlines() if f"'{PLUGIN}'" in line]
    assert named == [not_installed_line(load_result(path), path.name)], printed.err
    assert (tmp_path / "csv").is_dir()
