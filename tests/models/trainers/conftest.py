"""Fixtures of the trainers' tests: a small real split, shared by every module here."""

from __future__ import annotations

import pytest

from modelrace.models.data.opening import open_dataset
from modelrace.models.race.one_race import prepare
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings


@pytest.fixture(scope="module")
def small_split(sample_file, tmp_path_factory):
    """2,500 real rows split as the tutorial does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODELRACE_HOME", str(tmp_path_factory.mktemp("trainers-home")))
        preset = load_preset("tutorial")
        dataset, split = prepare(open_dataset(str(sample_file)), RaceSettings(preset=preset, rows=2500))
    return dataset, split, preset


class StopAfter:
    """A sink that records steps and asks for a stop once ``k`` steps arrived (never when ``k`` is None)."""

    def __init__(self, k: int | None) -> None:
        self.k = k
        self.steps: list = []

    def put(self, step) -> None:
        self.steps.append(step)

    def stop_requested(self) -> bool:
        return self.k is not None and len(self.steps) >= self.k


@pytest.fixture
def stop_after() -> type[StopAfter]:
    """``stop_after(k)``: a recording sink that asks for a stop after ``k`` steps (shared by every trainer's tests)."""
    return StopAfter
