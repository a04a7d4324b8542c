"""Conformance: Stop ends a model within one step and leaves a usable partial model, with scores.

Two stops: one asked for before the model's first step, which must end it after that one step (the
least that makes a model; the trainer runs on one thread, so no other step is under way), and one
asked for when its first step arrives, as a user's Stop mid-race. A model that reports its steps
from another thread than the one training (RandomForest's) may be a few steps further on by then,
so that stop is held to ending early, not to a step count.
"""

from __future__ import annotations

import numpy as np
import pytest

from modelrace.models.data.split import Split
from modelrace.models.race import metrics
from modelrace.models.trainers.protocol import FitResult, Step, validation_scores


class StopAfter:
    """Records steps; asks for a stop once ``k`` have arrived (at once when ``k`` is 0)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.steps: list[Step] = []

    def put(self, step: Step) -> None:
        self.steps.append(step)

    def stop_requested(self) -> bool:
        return len(self.steps) >= self.k


def assert_usable(fit: FitResult, sink: StopAfter, split: Split) -> None:
    """The partial model predicts probabilities, scores like any model, and is the model its curve ended at."""
    assert fit.status == "stopped"
    assert fit.curve and fit.curve == sink.steps, "the curve kept is the one reported"
    last = fit.curve[-1]
    assert last.step == pytest.approx(fit.steps_done, abs=1e-3), "the curve reaches the partial model"
    proba = np.asarray(fit.predict_proba(split.X_test))
    assert proba.shape == (len(split.y_test), split.n_classes)
    assert np.isfinite(proba).all() and (proba >= 0).all() and np.allclose(proba.sum(axis=1), 1.0, atol=1e-4)
    classes = [str(c) for c in range(split.n_classes)]
    scores = metrics.test_scores(fit.predict_proba, split.X_test, split.y_test, classes)
    assert scores["finite"] and 0 <= scores["test_accuracy"] <= 1
    assert sum(map(sum, scores["confusion_matrix"])) == len(split.y_test)
    # One validation row may flip on a near-tie: a prediction in other batches rounds differently.
    accuracy, _ = validation_scores(np.asarray(fit.predict_proba(split.X_monitor)), split.y_monitor)
    assert accuracy == pytest.approx(last.val_accuracy, abs=1.5 / len(split.y_monitor))


def test_a_stop_before_the_first_step_ends_the_model_after_it(model_key: str, make_trainer, split) -> None:
    trainer = make_trainer(model_key, threads=1)
    sink = StopAfter(0)
    fit = trainer.fit(split, sink)
    assert 0 < fit.steps_done <= 1, f"asked to stop at once, it did {fit.steps_done:g} {trainer.unit}s"
    assert_usable(fit, sink, split)


def test_a_stop_at_the_first_step_leaves_a_usable_partial_model_and_scores(model_key: str, make_trainer, split) -> None:
    trainer = make_trainer(model_key)
    sink = StopAfter(1)
    fit = trainer.fit(split, sink)
    assert 1 <= fit.steps_done < trainer.planned_steps(), f"it did {fit.steps_done:g} of {trainer.planned_steps()}"
    assert_usable(fit, sink, split)
