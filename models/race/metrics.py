"""Test-set scores, computed the same way for every model."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypedDict

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, recall_score


class Scores(TypedDict):
    """A model's scores on the test rows, as :func:`test_scores` computes them."""

    test_accuracy: float
    macro_f1: float
    per_class_recall: dict[str, float]
    confusion_matrix: list[list[int]]
    predict_seconds: float
    correct: np.ndarray  # per test row: did the model get it right (for paired tests; never written to a file)
    finite: bool  # every predicted probability was a number (a diverged model's are not)


def test_scores(
    predict_proba: Callable[[np.ndarray], np.ndarray], X: np.ndarray, y: np.ndarray, classes: list[str]
) -> Scores:
    """Predict the test rows once (timed) and return accuracy, macro-F1, per-class recall and the confusion matrix."""
    labels = list(range(len(classes)))
    start = time.perf_counter()
    proba = np.asarray(predict_proba(X))
    predict_seconds = time.perf_counter() - start
    finite = bool(np.isfinite(proba).all())
    predicted = proba.argmax(axis=1)
    recall = recall_score(y, predicted, labels=labels, average=None, zero_division=0)
    return {
        "test_accuracy": round(float(accuracy_score(y, predicted)), 6),
        "macro_f1": round(float(f1_score(y, predicted, labels=labels, average="macro", zero_division=0)), 6),
        "per_class_recall": {name: round(float(r), 6) for name, r in zip(classes, recall)},
        "confusion_matrix": confusion_matrix(y, predicted, labels=labels).tolist(),
        "predict_seconds": round(predict_seconds, 6),
        "correct": predicted == y,  # per test row, for paired tests; never written to a result file
        "finite": finite,
    }
