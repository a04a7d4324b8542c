"""HistGradientBoosting: one step per iteration, stoppable, and exactly the model a plain ``fit`` builds."""

from __future__ import annotations

import numpy as np

from modelrace.models.trainers.hgb import HGBConfig, HGBTrainer
from modelrace.models.trainers.protocol import validation_scores
from modelrace.models.trainers.registry import spec




def test_it_is_registered_as_a_simpler_model_counting_iterations() -> None:
    hgb = spec("hgb")
    assert hgb.side == "simpler" and hgb.unit == "iteration" and hgb.trainer is HGBTrainer and hgb.config is HGBConfig


def test_a_full_fit_is_the_plain_model_and_its_last_point_is_the_model_s_score(small_split, stop_after) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    _, split, _ = small_split
    config = HGBConfig(max_iter=30)
    sink = stop_after(None)
    result = HGBTrainer(config, threads=2, seed=3).fit(split, sink)
    assert result.status == "finished" and result.steps_done == 30 == result.model.n_iter_
    plain = HistGradientBoostingClassifier(**config.sklearn_params(), early_stopping=False, random_state=3)
    plain.fit(split.X_train, split.y_train)
    assert np.array_equal(result.predict_proba(split.X_test), plain.predict_proba(split.X_test))
    steps = [s.step for s in sink.steps]
    assert steps == sorted(set(steps)) and steps[-1] == 30 and len(steps) >= 20
    assert all(s.unit == "iteration" and s.model == "hgb" and s.total == 30 for s in sink.steps)
    times = [s.t for s in sink.steps]
    assert times == sorted(times)
    accuracy, loss = validation_scores(result.predict_proba(split.X_monitor), split.y_monitor)
    assert sink.steps[-1].val_accuracy == accuracy and abs(sink.steps[-1].val_loss - loss) < 1e-9
    assert result.params["early_stopping"] is False and result.params["scoring"] == "loss"


def test_a_stop_ends_within_one_iteration_with_a_usable_partial_model(small_split, stop_after) -> None:
    _, split, _ = small_split
    sink = stop_after(3)
    result = HGBTrainer(HGBConfig(max_iter=200), threads=1, seed=0).fit(split, sink)
    assert result.status == "stopped"
    asked_at = sink.steps[2].step  # the stop is asked for once the third point arrived
    assert asked_at <= result.steps_done <= asked_at + 1 and result.model.n_iter_ == result.steps_done
    assert sink.steps[-1].step == result.steps_done  # the stop's own point closes the curve
    proba = result.predict_proba(split.X_test)
    assert proba.shape == (len(split.y_test), split.n_classes) and np.allclose(proba.sum(axis=1), 1)
    assert not hasattr(result.model, "_in_fit")  # a stopped fit leaves the model out of its fitting state


def test_zero_means_no_limit_and_one_leaf_is_refused() -> None:
    assert HGBConfig(max_leaf_nodes=0, max_depth=0).sklearn_params()["max_leaf_nodes"] is None
    try:
        HGBConfig(max_leaf_nodes=1)
    except ValueError as exc:
        assert "max_leaf_nodes" in str(exc)
    else:
        raise AssertionError("a one-leaf tree must be refused")
