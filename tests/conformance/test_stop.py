"""Conformance: a stop asked for at a model's first step ends it within one more step, with a usable model.

The trainer runs on one thread, so "the step under way when the stop came" is one step (a forest
growing on several threads may finish one tree per thread).
"""

from __future__ import annotations

import numpy as np
import pytest

from modelrace.models.race import metrics
from modelrace.models.trainers.protocol import Step, validation_scores

STOP_AT = 1  # steps reported before the stop is asked for


class StopAfter:
    """Records steps; asks for a stop once ``k`` have arrived."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.steps: list[Step] = []

    def put(self, step: Step) -> None:
        self.steps.append(step)

    def stop_requested(self) -> bool:
        return len(self.steps) >= self.k


def test_a_stop_within_one_step_leaves_a_usable_partial_model_and_scores(model_key: str, make_trainer, split) -> None:
    trainer = make_trainer(model_key, threads=1)
    planned = trainer.planned_steps()
    sink = StopAfter(STOP_AT)
    fit = trainer.fit(split, sink)
    assert fit.status == "stopped"
    assert STOP_AT <= fit.steps_done <= STOP_AT + 1 and fit.steps_done < planned, (
        f"asked to stop after {STOP_AT} {trainer.unit}, it did {fit.steps_done:g} of {planned}")
    assert fit.curve and sink.steps[:STOP_AT] == fit.curve[:STOP_AT], "the curve kept is the one reported"
    last = fit.curve[-1]
    assert last.step == pytest.approx(fit.steps_done, abs=1e-3), "the curve reaches the partial model"
    proba = np.asarray(fit.predict_proba(split.X_test))
    assert proba.shape == (len(split.y_test), split.n_classes)
    assert np.isfinite(proba).all() and (proba >= 0).all() and np.allclose(proba.sum(axis=1), 1.0, atol=1e-4)
    scores = metrics.test_scores(fit.predict_proba, split.X_test, split.y_test, [str(c) for c in range(split.n_classes)])
    assert scores["finite"]
    assert sum(map(sum, scores["confusion_matrix"])) == len(split.y_test)
    # The model handed back is the one the curve ended at (one validation row may flip on a near-tie, as a
    # prediction in other batches rounds differently).
    accuracy, _ = validation_scores(np.asarray(fit.predict_proba(split.X_monitor)), split.y_monitor)
    assert accuracy == pytest.approx(last.val_accuracy, abs=1.5 / len(split.y_monitor))
