"""The engine's one entry point and the settings that check themselves: a race, repeats or sizes from one call."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from modelrace.models.data.opening import open_dataset
from modelrace.models.race.engine import run
from modelrace.models.race.events import RaceEvent, RaceStarted, RepeatFinished
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.errors import ConfigError


class Counting:
    def __init__(self) -> None:
        self.races = 0
        self.repeats: list[int] = []

    def __call__(self, event: RaceEvent) -> None:
        if isinstance(event, RaceStarted):
            self.races += 1
        elif isinstance(event, RepeatFinished):
            self.repeats.append(event.index)


@pytest.mark.parametrize("change, words", [
    ({"repeats": 0}, "--repeats 0: use at least 1"),
    ({"sizes": (1000, 0)}, "--sizes must list training-set sizes of at least 1 row"),
    ({"sizes": (1000,), "rows": 3000}, "--sizes and --rows both choose how many rows"),
    ({"models": ["mlp", "svm"]}, "unknown model 'svm'"),
    ({"models": []}, "no model to race"),
])
def test_settings_refuse_what_cannot_be_raced(change: dict, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        RaceSettings(load_preset("quick"), **change)


def test_sizes_are_sorted_once() -> None:
    assert RaceSettings(load_preset("quick"), sizes=(4000, 1000, 4000)).sizes == (1000, 4000)


def test_one_call_runs_a_race_repeats_or_sizes(sample_file: Path) -> None:
    dataset = open_dataset(str(sample_file))
    base = RaceSettings(load_preset("quick"), ["rf"], rows=2000)
    observer = Counting()
    single = run(dataset, base, observer)
    assert "repeats" not in single and "size_curve" not in single and observer.races == 1

    observer = Counting()
    repeated = run(dataset, dataclasses.replace(base, repeats=3), observer)
    assert repeated["repeats"]["seeds"] == [0, 1, 2] and observer.races == 3 and observer.repeats == [0, 1, 2]

    observer = Counting()
    sized = run(dataset, dataclasses.replace(base, rows=None, sizes=(500, 1000), repeats=2), observer)
    assert sized["size_curve"]["sizes"] == [500, 1000] and sized["size_curve"]["repeats"] == 2
    assert observer.races == 4 and observer.repeats == [], "the sizes' runs are not reported as repeats"
    assert {m["worker"] for m in single["models"].values() if m["status"] == "finished"} == {"thread"}
