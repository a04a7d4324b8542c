"""The conformance suite: every check here runs once for every registered model, plugins included.

As scikit-learn's ``parametrize_with_checks`` runs its checks over every estimator, each test of this
folder that takes the ``model_key`` fixture is parametrized over ``registry.MODEL_KEYS`` when the
tests are collected, so a model gets every check by being registered (modelrace's own in its
``pyproject.toml``, a plugin by its package's entry point) and by nothing else.

``MODELRACE_CONFORMANCE_MODELS=et,rf`` checks only those models (a key that is not registered is a
usage error, so a plugin that failed to load is never passed by checking nothing).

The checks race the bundled rows, sampled to a few thousand, with the quick preset's settings (a
plugin's model takes its config's defaults), on one core: the checks are about the protocol, not about
speed, and on a busy two-core machine XGBoost's quick fit took 30 times longer with two OpenMP threads
than with one (each thread spins at every barrier, waiting for a core the other programs hold).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from modelrace.models.data import bundled
from modelrace.models.data.split import Split
from modelrace.models.race.engine import run
from modelrace.models.race.events import RaceEvent, RaceStarted, Steps
from modelrace.models.race.one_race import prepare
from modelrace.models.race.presets import Preset, load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.files import save_result
from modelrace.models.trainers import registry
from modelrace.models.trainers.protocol import Step, Trainer

SELECT_ENV = "MODELRACE_CONFORMANCE_MODELS"
PRESET = "quick"
ROWS = 3000  # 1,800 training, 600 validation and 600 test rows
CORES = 1


def conformance_keys() -> list[str]:
    """The models to check: every registered one, or those ``MODELRACE_CONFORMANCE_MODELS`` names."""
    chosen = [key.strip() for key in os.environ.get(SELECT_ENV, "").split(",") if key.strip()]
    if not chosen:
        return list(registry.MODEL_KEYS)
    unknown = [key for key in chosen if not registry.known(key)]
    if unknown:
        raise pytest.UsageError(f"{SELECT_ENV} names {', '.join(unknown)}, which is not registered here; registered: "
                                f"{', '.join(registry.MODEL_KEYS)}; left out: {registry.problems() or 'none'}")
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give every test that asks for ``model_key`` one case per registered model."""
    if "model_key" in metafunc.fixturenames:
        keys = conformance_keys()
        metafunc.parametrize("model_key", keys, ids=keys)


def settings_for(models: list[str], **changes: Any) -> RaceSettings:
    """The suite's race settings: the quick preset on ROWS bundled rows and CORES cores."""
    return RaceSettings(load_preset(PRESET), list(models), rows=ROWS, cores=CORES, **changes)


@pytest.fixture(scope="session")
def preset() -> Preset:
    """The quick preset (a plugin's model gets its config's defaults there)."""
    return load_preset(PRESET)


@pytest.fixture(scope="session")
def split() -> Split:
    """The split every race of the suite cuts: the bundled rows sampled to ROWS, the quick preset's seed."""
    return prepare(bundled.load(), settings_for(list(registry.DEFAULT_MODELS)))[1]


@pytest.fixture
def make_trainer(preset: Preset) -> Callable[..., Trainer]:
    """``make_trainer(key, threads=CORES)``: the model's registered trainer with the quick settings and seed."""

    def make(key: str, threads: int = CORES) -> Trainer:
        return registry.trainer_class(key)(preset.models[key], threads, preset.split.seed)

    return make


@dataclass(frozen=True)
class Raced:
    """One model raced alone through the engine: the result, its saved file and what the listener heard."""

    result: dict
    path: Path
    steps: list[Step]
    plan: dict[str, int]

    def entry(self, key: str) -> dict:
        """The model's entry in the result."""
        return self.result["models"][key]


@pytest.fixture(scope="session")
def race_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Raced]:
    """``race_of(key)``: the model raced alone (each once per session), saved as JSON; the checks share it."""
    made: dict[str, Raced] = {}

    def race(key: str) -> Raced:
        if key not in made:
            heard: list[RaceEvent] = []
            folder = tmp_path_factory.mktemp(f"conformance-{key}")
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("MODELRACE_HOME", str(folder / "home"))
                result = run(bundled.load(), settings_for([key]), heard.append)
            path = folder / "result.json"
            save_result(result, path)
            steps = [step for event in heard if isinstance(event, Steps) for step in event.steps]
            plan = next(dict(event.plan) for event in heard if isinstance(event, RaceStarted))
            made[key] = Raced(result, path, steps, plan)
        return made[key]

    return race


def other_model(key: str) -> str:
    """Another registered model to race beside ``key``: one that needs no Keras if there is one (the quickest)."""
    others = [k for k in registry.MODEL_KEYS if k != key]
    assert others, "the failure check needs a second registered model"
    return next((k for k in others if not registry.uses_library(k, "keras")), others[0])
