"""Conformance: when a model's training fails, the failure stays in its own entry and the other model finishes.

The model's registered trainer is replaced (``registry.TRAINERS``) by one that trains as usual until
its sink raises as its second step is reported (the engine's own sink raises so to end a diverged
model), and it races at the same time as another model.
"""

from __future__ import annotations

from typing import Any

import pytest

from modelrace.models.data import bundled
from modelrace.models.race.engine import run
from modelrace.models.results.files import load_result, save_result
from modelrace.models.trainers import registry
from modelrace.models.trainers.protocol import FitResult, Sink, Step

from .conftest import other_model, settings_for

MESSAGE = "conformance check: the model failed on purpose"


class FailingSink:
    """Passes the first step on, then raises (as the training would at that point)."""

    def __init__(self, sink: Sink) -> None:
        self._sink, self.count = sink, 0

    def put(self, step: Step) -> None:
        self.count += 1
        if self.count > 1:
            raise RuntimeError(MESSAGE)
        self._sink.put(step)

    def stop_requested(self) -> bool:
        return self._sink.stop_requested()


def failing(trainer: type) -> type:
    """A subclass of ``trainer`` whose fit raises at its second step (or at its end, if it has one step)."""

    class Failing(trainer):  # whichever trainer is registered
        def fit(self, split: Any, sink: Sink) -> FitResult:
            failing_sink = FailingSink(sink)
            super().fit(split, failing_sink)
            if failing_sink.count > 1:  # the engine's sink raises to end a diverged model: it must not be swallowed
                raise AssertionError("the trainer went on training after its sink raised")
            raise RuntimeError(MESSAGE)

    return Failing


def test_a_failure_stays_in_the_model_s_own_entry(model_key: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    other = other_model(model_key)
    monkeypatch.setitem(registry.TRAINERS, model_key, failing(registry.TRAINERS[model_key]))
    result = run(bundled.load(), settings_for([model_key, other], mode="simultaneous"))
    failed, finished = result["models"][model_key], result["models"][other]
    assert failed["status"] == "failed" and MESSAGE in failed["error"]
    assert failed["test_accuracy"] is None
    assert len(failed["curve"]) == 1, "the step it drew before failing is kept"
    assert finished["status"] == "finished" and finished["error"] is None
    assert 0 < finished["test_accuracy"] <= 1 and finished["curve"]
    path = tmp_path / "failed.json"
    save_result(result, path)
    assert load_result(path)["models"][model_key]["error"] == failed["error"], "a failed entry is a valid result"
