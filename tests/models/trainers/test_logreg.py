"""Logistic regression: multinomial, one step per epoch, stoppable, and the model its script rebuilds."""

from __future__ import annotations

import numpy as np

from modelrace.models.trainers.logreg import LogRegConfig, LogRegTrainer
from modelrace.models.trainers.registry import spec




def test_it_is_registered_as_a_simpler_model_counting_epochs() -> None:
    logreg = spec("logreg")
    assert logreg.side == "simpler" and logreg.unit == "epoch" and logreg.trainer is LogRegTrainer


def test_it_is_multinomial_and_equals_the_script_s_epoch_loop(small_split, stop_after) -> None:
    from sklearn.neural_network import MLPClassifier

    _, split, _ = small_split
    config = LogRegConfig(epochs=8, learning_rate=0.01)
    sink = stop_after(None)
    result = LogRegTrainer(config, threads=1, seed=5).fit(split, sink)
    model = result.model
    assert model.out_activation_ == "softmax" and [w.shape for w in model.coefs_] == [(split.X_train.shape[1], split.n_classes)]
    again = MLPClassifier(**config.sklearn_params(), random_state=np.random.RandomState(5), shuffle=True)
    for _ in range(8):
        again.partial_fit(split.X_train, split.y_train, classes=np.unique(split.y_train))
    assert np.array_equal(result.predict_proba(split.X_test), again.predict_proba(split.X_test))
    assert [s.step for s in sink.steps] == list(range(1, 9))
    assert all(s.unit == "epoch" and s.model == "logreg" for s in sink.steps)
    assert np.mean(result.predict_proba(split.X_test).argmax(axis=1) == split.y_test) > 0.4  # far above 1/7
    assert result.params["random_state"] == 5


def test_a_stop_ends_after_the_current_epoch(small_split, stop_after) -> None:
    _, split, _ = small_split
    sink = stop_after(2)
    result = LogRegTrainer(LogRegConfig(epochs=500), threads=1, seed=0).fit(split, sink)
    asked_at = sink.steps[1].step  # the stop is asked for once the second point arrived
    assert result.status == "stopped" and asked_at <= result.steps_done <= asked_at + 1
    assert sink.steps[-1].step == result.steps_done  # the stop's own point closes the curve
    assert result.predict_proba(split.X_test).shape == (len(split.y_test), split.n_classes)
