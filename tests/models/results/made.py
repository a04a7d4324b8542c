"""Results made from a real one for the tests of every model: a model renamed, every registered model present."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

from modelrace.models.results.files import validate_result
from modelrace.models.trainers import registry


def renamed(data: Any, old: str, new: str) -> Any:
    """``data`` with model key ``old`` renamed ``new`` wherever the result names a model (keys, pairs, lists)."""
    if isinstance(data, dict):
        return {(new if key == old else key): (new if key in ("a", "b") and value == old else renamed(value, old, new))
                for key, value in data.items()}
    if isinstance(data, list):
        return [new if item == old else renamed(item, old, new) for item in data]
    return data


def with_every_model(result: dict) -> dict:
    """``result`` with an entry for every registered model it lacks, its numbers lent by a raced model.

    The entry has the model's own default settings and unit, so it is what that model's race would
    have written, in form; the numbers only have to be a result's numbers.
    """
    data = copy.deepcopy(result)
    donors = [key for key, model in data["models"].items() if model["status"] == "finished"]
    for index, key in enumerate(k for k in registry.MODEL_KEYS if k not in data["models"]):
        donor = donors[index % len(donors)]
        unit = registry.unit(key)
        entry = copy.deepcopy(data["models"][donor])
        entry.update(config=json.loads(json.dumps(dataclasses.asdict(registry.config_class(key)()))), unit=unit)
        entry.pop("params", None)
        for point in entry["curve"]:
            point["unit"] = unit
        data["models"][key] = entry
        data["verdict"]["time_to_target"][key] = data["verdict"]["time_to_target"].get(donor)
        data.setdefault("race", {}).setdefault("models", []).append(key)
        threads = data["environment"].get("threads") or {}
        if donor in threads:
            threads[key] = copy.deepcopy(threads[donor])
        repeats = data.get("repeats")
        if repeats:
            repeats["summary"][key] = copy.deepcopy(repeats["summary"][donor])
            for run in repeats["runs"]:
                run["models"][key] = copy.deepcopy(run["models"][donor])
    validate_result(data, "every model")
    return data
