"""The race's events: frozen, their own copies of what they carry, and step batches joined in order."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from modelrace.models.data import bundled
from modelrace.models.race.engine import run
from modelrace.models.race.events import (
    LibraryLoading, ModelFinished, ModelStarted, RaceEvent, RaceStarted, RepeatFinished, Steps, merge_steps,
)
from modelrace.models.race.one_race import CORRECT_KEY
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.trainers.protocol import Step


def _step(i: int, model: str = "rf") -> Step:
    return Step(model, i, "tree", 100, 0.01 * i, 0.01 * i, 0.5, 1.0)


def test_an_event_cannot_be_changed_and_keeps_its_own_copy() -> None:
    entry = {"status": "finished", "curve": [{"t": 0.1}], "config": {"n_estimators": 10}}
    event = ModelFinished("rf", entry)
    entry["curve"].append({"t": 0.2})
    entry["config"]["n_estimators"] = 99
    entry.pop("status")
    assert event.entry == {"status": "finished", "curve": [{"t": 0.1}], "config": {"n_estimators": 10}}
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.model = "xgb"  # type: ignore[misc]
    plan = {"rf": 10}
    started = RaceStarted(plan, {"train": 1}, {"name": "x"})
    plan["xgb"] = 5
    assert dict(started.plan) == {"rf": 10}
    steps = [_step(1)]
    batch = Steps(steps)  # type: ignore[arg-type]
    steps.append(_step(2))
    assert isinstance(batch.steps, tuple) and len(batch.steps) == 1


def test_adjacent_step_batches_of_one_cell_are_joined_in_order() -> None:
    events: list[RaceEvent] = [
        ModelStarted("rf"), Steps((_step(1),)), Steps((_step(2), _step(3))), ModelFinished("rf", {"status": "x"}),
        Steps((_step(4),), cell="a", delay=0.1), Steps((_step(5),), cell="a", delay=0.3), Steps((_step(6),), cell="b"),
    ]
    merged = merge_steps(events)
    assert [type(e).__name__ for e in merged] == ["ModelStarted", "Steps", "ModelFinished", "Steps", "Steps"]
    assert [s.step for s in merged[1].steps] == [1, 2, 3]  # type: ignore[attr-defined]
    assert [s.step for s in merged[3].steps] == [4, 5] and merged[3].delay == 0.3 and merged[3].cell == "a"  # type: ignore[attr-defined]
    assert merged[4].cell == "b"
    assert merge_steps([]) == []


def test_what_the_engine_changes_after_an_event_left_does_not_reach_the_event() -> None:
    """The engine pops in-memory keys from an entry after emitting it, and rewrites a repeat's verdict."""
    events: list[RaceEvent] = []
    settings = RaceSettings(load_preset("quick"), ["rf"], rows=1500, repeats=2)
    result = run(bundled.load(), settings, events.append)
    finished = [e for e in events if isinstance(e, ModelFinished)]
    assert len(finished) == 2
    assert all(CORRECT_KEY in e.entry for e in finished), "the copy was taken before the race was scored"
    assert CORRECT_KEY not in result["models"]["rf"]
    repeats = [e for e in events if isinstance(e, RepeatFinished)]
    assert [e.index for e in repeats] == [0, 1]
    # combine_runs gives every run the common target's verdict afterwards; the events keep what was sent.
    assert "timing_warning" in repeats[0].run["verdict"], "the verdict as the seed's own race gave it"
    assert "timing_warning" not in result["repeats"]["runs"][0]["verdict"], "rewritten once both seeds were in"
    steps = [s for e in events if isinstance(e, Steps) for s in e.steps]
    assert len(steps) == sum(len(r["models"]["rf"]["curve"]) for r in result["repeats"]["runs"])


_FIRST_RACE = r"""
import sys, threading
assert "tensorflow" not in sys.modules and "xgboost" not in sys.modules
from modelrace.models.data import bundled
from modelrace.models.race.engine import run
from modelrace.models.race.events import LibraryLoading, ModelStarted, Steps
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings

def race():
    seen, stop = [], threading.Event()
    def listen(event):
        if isinstance(event, (ModelStarted, LibraryLoading)):
            seen.append(f"{type(event).__name__} {event.model}")
            if isinstance(event, LibraryLoading):
                seen.append(f"  {event.library}: {event.description}")
        elif isinstance(event, Steps):
            seen.extend(f"Steps {step.model}" for step in event.steps)
            if any(step.model == "mlp" for step in event.steps):
                stop.set()  # one epoch is enough: the stop ends the MLP there
    run(bundled.load(), RaceSettings(load_preset("quick"), ["xgb", "mlp"], rows=1000), listen, stop)
    return [line for i, line in enumerate(seen) if i == 0 or line != seen[i - 1]]

print("\n".join(race()))
print("--- again")
print("\n".join(race()))
"""


def test_a_model_whose_library_is_not_loaded_says_so_before_its_first_step() -> None:
    """In a fresh process (no TensorFlow, no XGBoost yet): the first race's models announce the load, the next's not."""
    done = subprocess.run([sys.executable, "-c", _FIRST_RACE], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "KERAS_BACKEND": "tensorflow"})
    assert done.returncode == 0, done.stderr[-3000:]
    first, again = done.stdout.split("--- again\n")
    assert first.splitlines()[:4] == ["ModelStarted xgb", "LibraryLoading xgb",
                                      "  XGBoost: loading XGBoost (first race only)", "Steps xgb"]
    mlp = first.splitlines()[first.splitlines().index("ModelStarted mlp"):]
    assert mlp[:4] == ["ModelStarted mlp", "LibraryLoading mlp", "  TensorFlow: loading TensorFlow (first race only)",
                       "Steps mlp"]
    assert "LibraryLoading" not in again and "Steps mlp" in again, "loaded once: the next race starts at once"


def test_a_library_loading_event_is_frozen() -> None:
    event = LibraryLoading("mlp", "TensorFlow", "loading TensorFlow (first race only)", cell="a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.library = "JAX"  # type: ignore[misc]
    assert merge_steps([event]) == [event] and event.cell == "a"


def test_what_a_model_still_has_to_load_follows_the_modules_and_a_preload_under_way(monkeypatch) -> None:
    from modelrace.models.trainers import preload

    monkeypatch.setitem(sys.modules, "keras", object())
    monkeypatch.setitem(sys.modules, "xgboost", object())
    monkeypatch.delitem(sys.modules, "sklearn.ensemble", raising=False)
    assert preload.library_to_load("mlp") is None and preload.library_to_load("xgb") is None
    assert preload.library_to_load("rf") == "scikit-learn"
    monkeypatch.setattr(preload, "_preloading", True)  # the window's idle-time preload: the MLP will wait for it
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert preload.library_to_load("mlp") == "JAX"
    monkeypatch.delitem(sys.modules, "keras")
    monkeypatch.setattr(preload, "_preloading", False)
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    assert preload.library_to_load("mlp") == "TensorFlow"
