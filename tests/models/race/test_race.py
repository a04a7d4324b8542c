"""Whole races on the real sample: the tutorial preset's results, the JSON contract, both modes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from modelrace.models.data.opening import open_dataset
from modelrace.models.race.presets import load_preset
from modelrace.models.race.engine import run
from modelrace.models.race.events import ModelFinished, ModelStarted, RaceEvent, Steps
from modelrace.models.race.one_race import prepare, run_race
from modelrace.models.race.settings import RaceSettings, thread_plan
from modelrace.models.results.document import CURVE_KEYS, MODEL_KEYS
from modelrace.models.results.files import load_result, save_result
from modelrace.models.data.split import SplitConfig, make_split


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def __call__(self, event: RaceEvent) -> None:
        if isinstance(event, ModelStarted):
            self.events.append(("start", event.model))
        elif isinstance(event, Steps):
            self.events.extend(("step", step.model) for step in event.steps)
        elif isinstance(event, ModelFinished):
            self.events.append(("end", event.model))


@pytest.fixture(scope="module")
def tutorial_result(sample_file: Path, tmp_path_factory) -> tuple[dict, Recorder]:
    """One full tutorial race in fair mode, seed 0, shared by the tests below."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODELRACE_HOME", str(tmp_path_factory.mktemp("race-home")))
        recorder = Recorder()
        result = run(open_dataset(str(sample_file)), RaceSettings(preset=load_preset("tutorial")), recorder)
    return result, recorder


def test_tutorial_accuracies(tutorial_result) -> None:
    models = tutorial_result[0]["models"]
    assert all(models[k]["status"] == "finished" for k in ("mlp", "rf", "xgb"))
    assert models["rf"]["test_accuracy"] >= 0.85
    assert models["xgb"]["test_accuracy"] >= 0.85
    assert models["mlp"]["test_accuracy"] >= 0.65


def test_curves_have_20_points_with_strictly_increasing_time(tutorial_result) -> None:
    for key, model in tutorial_result[0]["models"].items():
        curve = model["curve"]
        assert len(curve) >= 20, key
        times = [p["t"] for p in curve]
        assert all(b > a for a, b in zip(times, times[1:])), key
        assert times[-1] <= model["train_seconds"] + 1e-6
        assert {p["unit"] for p in curve} == {{"mlp": "epoch", "rf": "tree", "xgb": "round"}[key]}


def test_fair_mode_runs_one_model_at_a_time(tutorial_result) -> None:
    events = tutorial_result[1].events
    order = [e for e in events if e[0] != "step"]
    assert order == [("start", "mlp"), ("end", "mlp"), ("start", "rf"), ("end", "rf"), ("start", "xgb"), ("end", "xgb")]
    threads = tutorial_result[0]["environment"]["threads"]
    assert threads["rf"]["n_jobs"] == threads["xgb"]["n_jobs"] == tutorial_result[0]["environment"]["cores"]


def test_json_has_every_contract_key(tutorial_result, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    save_result(tutorial_result[0], path)
    data = load_result(path)
    assert data["schema"] == 1
    assert {"source", "rows", "features", "classes", "sha256"} <= set(data["dataset"])
    assert {"seed", "train", "validation", "test"} <= set(data["split"])
    assert {"versions", "cpu", "threads"} <= set(data["environment"])
    assert set(data["models"]) == {"mlp", "rf", "xgb"}
    for model in data["models"].values():
        assert set(MODEL_KEYS) <= set(model)
        assert all(set(CURVE_KEYS) <= set(p) for p in model["curve"])
        assert model["error"] is None
        for key in ("train_seconds", "cpu_seconds", "monitor_seconds", "predict_seconds"):
            assert model[key] > 0
        assert model["model_bytes"] > 0
    assert {"target", "time_to_target", "claim_holds", "text"} <= set(data["verdict"])
    assert set(data["verdict"]["time_to_target"]) == {"mlp", "rf", "xgb"}
    json.dumps(data, allow_nan=False)


def test_every_model_is_scored_on_the_same_test_rows(tutorial_result) -> None:
    result = tutorial_result[0]
    n_test = result["split"]["test"]
    assert result["split"]["train"] + result["split"]["validation"] + n_test == result["dataset"]["rows"] == 16000
    for model in result["models"].values():
        assert int(np.sum(model["confusion_matrix"])) == n_test
    assert result["dataset"]["sha256"] and len(result["dataset"]["classes"]) == 7


def test_verdict_on_the_tutorial_run(tutorial_result) -> None:
    result = tutorial_result[0]
    verdict = result["verdict"]
    best_final = max(m["curve"][-1]["val_accuracy"] for m in result["models"].values())
    assert verdict["target"] == pytest.approx(0.95 * best_final, abs=1e-4)
    assert verdict["time_to_target"]["rf"] is not None and verdict["time_to_target"]["xgb"] is not None
    assert verdict["claim_holds"] is True
    assert "claim holds" in verdict["text"]


def test_scaler_is_fit_on_training_rows_only(sample_file: Path) -> None:
    dataset = open_dataset(str(sample_file))
    split = make_split(dataset, SplitConfig(seed=0))
    varying = split.X_train.std(axis=0) > 0
    assert np.allclose(split.X_train.mean(axis=0), 0, atol=1e-4)
    assert np.allclose(split.X_train.std(axis=0)[varying], 1, atol=1e-3)
    assert not np.allclose(split.X_test.mean(axis=0), 0, atol=1e-4)


def test_split_is_fixed_by_the_seed(sample_file: Path) -> None:
    dataset = open_dataset(str(sample_file))
    a, b = make_split(dataset, SplitConfig(seed=3)), make_split(dataset, SplitConfig(seed=3))
    c = make_split(dataset, SplitConfig(seed=4))
    assert np.array_equal(a.X_test, b.X_test) and np.array_equal(a.y_val, b.y_val)
    assert not np.array_equal(a.X_test, c.X_test)


def test_stratified_sample_keeps_class_shares(sample_file: Path) -> None:
    dataset = open_dataset(str(sample_file))
    sampled, _ = prepare(dataset, RaceSettings(preset=load_preset("tutorial"), rows=4000))
    full = np.bincount(dataset.y) / dataset.rows
    part = np.bincount(sampled.y) / sampled.rows
    assert sampled.rows == 4000 and np.allclose(full, part, atol=0.002)


def test_simultaneous_mode_divides_the_cores(sample_file: Path) -> None:
    settings = RaceSettings(preset=load_preset("quick"), mode="simultaneous", rows=3000, cores=4)
    recorder = Recorder()
    result = run(open_dataset(str(sample_file)), settings, recorder)
    assert result["race"]["mode"] == "simultaneous"
    assert all(m["status"] == "finished" for m in result["models"].values())
    assert all(len(m["curve"]) >= 20 for m in result["models"].values())
    threads = result["environment"]["threads"]
    assert threads["rf"]["n_jobs"] + threads["xgb"]["n_jobs"] <= 3
    starts = [i for i, e in enumerate(recorder.events) if e[0] == "start"]
    first_end = min(i for i, e in enumerate(recorder.events) if e[0] == "end")
    assert max(starts) < first_end  # all three started before any finished


def test_thread_plan() -> None:
    assert thread_plan(["mlp", "rf", "xgb"], "fair", 8) == {"mlp": 8, "rf": 8, "xgb": 8}
    assert thread_plan(["mlp", "rf", "xgb"], "simultaneous", 8) == {"mlp": 3, "rf": 3, "xgb": 2}
    assert thread_plan(["mlp", "rf", "xgb"], "simultaneous", 2) == {"mlp": 1, "rf": 1, "xgb": 1}


def test_one_model_failing_leaves_the_others_running(sample_file: Path, monkeypatch) -> None:
    from modelrace.models.trainers import registry
    class Broken(registry.TRAINERS["rf"]):
        def fit(self, split, sink):
            raise RuntimeError("injected failure")

    monkeypatch.setitem(registry.TRAINERS, "rf", Broken)
    settings = RaceSettings(preset=load_preset("quick"), models=["rf", "xgb"], rows=2000)
    result = run_race(open_dataset(str(sample_file)), settings)
    assert result["models"]["rf"]["status"] == "failed"
    assert "injected failure" in result["models"]["rf"]["error"]
    assert result["models"]["xgb"]["status"] == "finished"
    assert result["models"]["mlp"]["status"] == "skipped"
    assert result["verdict"]["claim_holds"] is None
