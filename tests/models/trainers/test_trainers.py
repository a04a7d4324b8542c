"""Each trainer reports live steps, can be stopped at step k, and still returns a usable model."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from modelrace.models.data.opening import open_dataset
from modelrace.models.race.one_race import run_model
from modelrace.models.trainers.registry import trainer_class


class StopAfter:
    """A sink that records steps and asks for a stop once ``k`` steps arrived."""

    def __init__(self, k: int | None) -> None:
        self.k = k
        self.steps = []

    def put(self, step) -> None:
        self.steps.append(step)

    def stop_requested(self) -> bool:
        return self.k is not None and len(self.steps) >= self.k


def fit(key: str, small_split, k: int | None, **overrides):
    dataset, split, preset = small_split
    config = dataclasses.replace(preset.models[key], **overrides)
    sink = StopAfter(k)
    result = trainer_class(key)(config, threads=2, seed=0).fit(split, sink)
    return result, sink, split


def assert_usable(result, split) -> None:
    proba = result.predict_proba(split.X_test)
    assert proba.shape == (len(split.y_test), split.n_classes)
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-4)
    assert np.mean(proba.argmax(axis=1) == split.y_test) > 0.3  # far better than chance (1/7)


def assert_curve(steps) -> None:
    times = [s.t for s in steps]
    assert all(b > a for a, b in zip(times, times[1:])), "t must increase strictly"
    assert all(0.0 <= s.val_accuracy <= 1.0 and s.val_loss >= 0 for s in steps)


def test_forest_stops_at_step_k(small_split) -> None:
    result, sink, split = fit("rf", small_split, k=10)
    assert result.status == "stopped"
    assert 10 <= result.steps_done < 100
    assert len(result.model.estimators_) == result.steps_done == len(result.curve)
    assert [s.step for s in result.curve] == list(range(1, result.steps_done + 1))
    assert_curve(result.curve)
    assert_usable(result, split)


def test_forest_runs_to_the_end_and_matches_a_plain_fit(small_split) -> None:
    from sklearn.ensemble import RandomForestClassifier

    result, sink, split = fit("rf", small_split, k=None, n_estimators=30)
    assert result.status == "finished" and result.steps_done == 30 and len(sink.steps) == 30
    plain = RandomForestClassifier(n_estimators=30, n_jobs=2, random_state=0).fit(split.X_train, split.y_train)
    assert np.array_equal(plain.predict_proba(split.X_test), result.predict_proba(split.X_test))
    # The last point's accuracy is the full forest's validation accuracy (accumulated per tree).
    assert sink.steps[-1].val_accuracy == pytest.approx(np.mean(plain.predict(split.X_val) == split.y_val))


def test_xgboost_stops_at_step_k(small_split) -> None:
    result, sink, split = fit("xgb", small_split, k=7)
    assert result.status == "stopped"
    assert len(result.curve) == 7 and result.steps_done == result.curve[-1].step < 100
    assert result.model.get_booster().num_boosted_rounds() == result.steps_done
    assert_curve(result.curve)
    assert_usable(result, split)


def test_mlp_stops_at_step_k(small_split) -> None:
    result, sink, split = fit("mlp", small_split, k=3)
    assert result.status == "stopped"
    assert [s.step for s in result.curve[:3]] == [1, 2, 3]
    assert 3 <= result.steps_done < 4  # the stop lands inside epoch 4, after one batch
    assert_curve(result.curve)
    assert_usable(result, split)


def test_mlp_full_run_reports_every_epoch(small_split) -> None:
    result, sink, split = fit("mlp", small_split, k=None, epochs=4)
    assert result.status == "finished"
    assert [s.step for s in sink.steps] == [1, 2, 3, 4]
    assert result.monitor_seconds > 0 and result.train_seconds > 0
    assert result.setup_seconds > 0


def test_failure_is_recorded_not_raised(small_split, monkeypatch) -> None:
    dataset, split, preset = small_split
    from modelrace.models.trainers import registry
    class Exploding(registry.TRAINERS["xgb"]):
        def fit(self, split, sink):
            raise MemoryError("simulated out of memory")

    monkeypatch.setitem(registry.TRAINERS, "xgb", Exploding)
    entry = run_model("xgb", preset.models["xgb"], split, dataset.classes, 2, 0, StopAfter(None))
    assert entry["status"] == "failed"
    assert entry["error"].startswith(f"XGBoost ran out of memory training on {len(split.y_train):,} rows; race on fewer rows")
    assert entry["test_accuracy"] is None and entry["curve"] == []


def test_train_clock_leaves_monitoring_out() -> None:
    import time

    from modelrace.models.trainers.protocol import TrainClock

    clock = TrainClock()
    time.sleep(0.05)
    with clock.monitoring():
        time.sleep(0.2)
    assert clock.monitor_wall >= 0.2
    assert clock.wall() >= 0.25 and clock.train_seconds() >= 0.05
    assert clock.train_seconds() <= clock.wall() - 0.2, "the monitoring span is left out of training"


def test_forest_with_one_thread_still_reports_every_tree(small_split) -> None:
    dataset, split, preset = small_split
    sink = StopAfter(None)
    config = dataclasses.replace(preset.models["rf"], n_estimators=12)
    result = trainer_class("rf")(config, threads=1, seed=0).fit(split, sink)
    assert result.status == "finished" and len(sink.steps) == 12


def test_xgboost_keeps_monitoring_within_budget_but_at_least_20_points(small_split) -> None:
    from modelrace.models.trainers.boost import MIN_POINTS

    result, sink, split = fit("xgb", small_split, k=None, n_estimators=200)
    rounds = [s.step for s in result.curve]
    assert rounds[-1] == 200 and len(rounds) >= MIN_POINTS
    assert max(b - a for a, b in zip([0] + rounds, rounds)) <= 200 // MIN_POINTS
    # the last point is the whole model's validation accuracy (skipped rounds were not lost)
    assert result.curve[-1].val_accuracy == pytest.approx(float(np.mean(result.model.predict(split.X_val) == split.y_val)))


def test_large_validation_parts_are_monitored_on_a_stratified_subset(sample_file) -> None:
    from modelrace.models.data.split import make_split
    from modelrace.models.data.split_config import SplitConfig

    dataset = open_dataset(str(sample_file))
    split = make_split(dataset, SplitConfig(test=0.1, validation=0.2, seed=0))
    assert split.monitor is None and split.describe()["monitor_rows"] == len(split.y_val)
    import modelrace.models.data.split as split_module

    original = split_module.MONITOR_ROWS
    split_module.MONITOR_ROWS = 1000
    try:
        small = make_split(dataset, SplitConfig(test=0.1, validation=0.2, seed=0))
    finally:
        split_module.MONITOR_ROWS = original
    assert len(small.y_monitor) == 1000 and small.describe()["monitor_rows"] == 1000
    shares = np.bincount(small.y_monitor, minlength=7) / 1000
    assert np.allclose(shares, np.bincount(small.y_val, minlength=7) / len(small.y_val), atol=0.01)


def test_mlp_fits_leave_no_custom_gradients_behind(small_split) -> None:
    """Each fit registers custom gradients holding its whole graph; a day of races must not keep them."""
    fit("mlp", small_split, k=None, epochs=1)  # the first fit may register lasting, one-off gradients
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry
    before = {name for name in registry if name.startswith("CustomGradient-")}
    for _ in range(2):
        result, _, _ = fit("mlp", small_split, k=None, epochs=1)
        assert result.status == "finished"
    after = {name for name in registry if name.startswith("CustomGradient-")}
    assert after == before
