"""Every interval a repeats or sizes result holds lies in its range, and the verdict and tables quote it as the JSON has it.

Generated runs (no training) give any number of seeds quickly; a real 2-seed race on the bundled rows
and an old-style copy of it check the file, its schema and the readers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from modelrace.models.judging.headline import headline
from modelrace.models.output.summary_table import bar_values, caption, results_rows
from modelrace.models.race.presets import load_preset
from modelrace.models.race.repeats import combine_runs
from modelrace.models.race.settings import RaceSettings
from modelrace.models.race.sizes import size_curve_result
from modelrace.models.results.document import empty_model
from modelrace.models.results.files import load_result
from modelrace.models.system.formatting import ci, read_interval, seconds
from modelrace.models.trainers.registry import label

SECONDS_FIELDS = ("train_seconds", "time_to_target")


def _run(seed: int, rng: np.random.Generator) -> dict:
    """One generated run: each model's curve rises to a final accuracy over times that vary by a factor per seed."""
    models = {}
    for key, (final, span, unit) in {"mlp": (0.80, 6.0, "epoch"), "rf": (0.86, 0.7, "tree"), "xgb": (0.87, 1.2, "round")}.items():
        final = float(np.clip(final + rng.normal(0, 0.04), 0.3, 1.0))
        end = span * float(np.exp(rng.normal(0, 0.9)))
        times = np.linspace(end / 20, end, 20)
        accuracy = final - (final - 0.5) * np.exp(-6 * times / end)
        entry = empty_model("finished", {})
        entry.update(test_accuracy=float(np.clip(final + rng.normal(0, 0.01), 0, 1)), macro_f1=final - 0.01,
                     train_seconds=end, curve=[{"t": float(t), "step": i + 1, "unit": unit, "val_accuracy": float(a),
                                                "val_loss": None} for i, (t, a) in enumerate(zip(times, accuracy))])
        models[key] = entry
    return {"schema": 1, "preset": "quick", "dataset": {}, "environment": {}, "models": models, "verdict": {},
            "split": {"seed": seed, "train": 1000, "validation": 250, "test": 250}}


def _combined(seeds: int, rng: np.random.Generator) -> dict:
    settings = RaceSettings(preset=load_preset("quick"), repeats=seeds)
    return combine_runs([_run(seed, rng) for seed in range(seeds)], settings)


def _intervals(doc: object, key: str = "") -> Iterator[tuple[str, dict]]:
    """(field name, interval) for every summary interval anywhere in a result."""
    if isinstance(doc, dict):
        if {"mean", "low", "high", "n"} <= set(doc):
            yield key, doc
            return
        for name, value in doc.items():
            yield from _intervals(value, name)
    elif isinstance(doc, list):
        for value in doc:
            yield from _intervals(value, key)


def _check_in_range(result: dict, read: Callable[[dict, str], dict] = lambda d, kind: d) -> int:
    checked = 0
    for name, raw in _intervals(result):
        kind = "seconds" if name in SECONDS_FIELDS else "accuracy"
        interval = read(raw, kind)
        if interval["low"] is None:
            assert interval["high"] is None and interval["n"] < 2
            continue
        assert interval["low"] <= interval["mean"] <= interval["high"], (name, interval)
        assert interval["low"] >= 0.0 and (kind == "seconds" or interval["high"] <= 1.0), (name, interval)
        if interval["n"] == 2:
            assert interval["interval"] == "range", (name, interval)
        checked += 1
    return checked


@pytest.mark.parametrize("seeds", [2, 3, 5])
def test_every_interval_of_a_repeated_result_is_in_range(seeds: int) -> None:
    rng = np.random.default_rng(seeds)
    for _ in range(10):
        result = _combined(seeds, rng)
        assert _check_in_range(result) >= 9  # 3 models x 3 fields, at the least (a time to target may be missing)
        kinds = {i["interval"] for name, i in _intervals(result["repeats"]["summary"]) if i["n"] == seeds}
        assert kinds == ({"range"} if seeds == 2 else {"t", "log-t"})


@pytest.mark.parametrize("seeds", [2, 3])
def test_the_verdict_headline_and_table_quote_the_json(seeds: int) -> None:
    result = _combined(seeds, np.random.default_rng(40 + seeds))
    summary = result["repeats"]["summary"]
    reached = [k for k in ("rf", "xgb") if summary[k]["reached"]]
    best = min(reached, key=lambda k: summary[k]["time_to_target"]["mean"])
    quoted = ci(summary[best]["time_to_target"], "seconds", words=True, centre=True)
    assert f"in {quoted}" in result["verdict"]["text"]
    assert "geometric mean; " + ("range" if seeds == 2 else "95% CI") in quoted
    assert result["verdict"]["time_to_target"][best] == summary[best]["time_to_target"]["mean"]
    assert f"in {seconds(summary[best]['time_to_target']['mean'])}" in headline(result), "the headline's time is the centre"
    said = seeds == 2  # with 2 seeds the caption says the cells are ranges
    for row in results_rows(result):
        key = {label(k): k for k in summary}[row[0]]
        s = summary[key]
        assert row[2] == ci(s["test_accuracy"], range_said=said) and row[4] == ci(s["macro_f1"], range_said=said)
        assert row[3] == ci(s["train_seconds"], "seconds", range_said=said)
        assert row[1].startswith(ci(s["time_to_target"], "seconds", missing="never", range_said=said)[:-1])
        low, high = (f"{s['test_accuracy'][k]:.3f}" for k in ("low", "high"))
        assert f"{low}–{high}" in row[2] or (not said and "±" in row[2])
    for key, mean, low, high in bar_values(result):
        assert (mean, low, high) == tuple(summary[key]["test_accuracy"][k] for k in ("mean", "low", "high"))
    assert caption(result).startswith("Mean and range over 2 seeds" if said else f"Mean ± 95% CI over {seeds} seeds")


def test_every_interval_of_a_size_curve_is_in_range() -> None:
    rng = np.random.default_rng(7)
    settings = RaceSettings(preset=load_preset("quick"), repeats=2, sizes=(1000, 2000, 4000))
    raced = [(size, _combined(2, rng)) for size in settings.sizes]
    result = size_curve_result(raced, settings)
    points = result["size_curve"]["points"]
    assert len(points) == 3
    assert _check_in_range(points) >= 3 * 3  # every accuracy of 3 models at 3 sizes, at the least


def test_a_real_two_seed_race_writes_ranges_that_every_reader_quotes(saved_race) -> None:
    path = saved_race("--preset", "quick", "--rows", "2000", "--repeats", "2")
    result = load_result(path)  # validated against the schema
    assert _check_in_range(result) >= 9
    summary = result["repeats"]["summary"]
    assert all(s["test_accuracy"]["interval"] == "range" for s in summary.values())
    text = result["verdict"]["text"]
    assert "±" not in text
    reached = [k for k in ("rf", "xgb") if summary[k]["reached"]]
    best = min(reached, key=lambda k: summary[k]["time_to_target"]["mean"])
    assert f"in {ci(summary[best]['time_to_target'], 'seconds', words=True, centre=True)}" in text
    if summary["mlp"]["reached"]:
        assert f"the MLP's {ci(summary['mlp']['time_to_target'], 'seconds', words=True).removesuffix(')')}" in text


def test_an_old_file_without_interval_keys_opens_and_reads_in_range(saved_race, tmp_path: Path) -> None:
    from scipy import stats

    path = saved_race("--preset", "quick", "--rows", "2000", "--repeats", "2")
    old = json.loads(path.read_text())
    # As the old mean_ci wrote them: mean ± t * sd / sqrt(n), unclamped, no "interval" or "centre".
    for run_models in [old["repeats"]["summary"]]:
        for key, summary in run_models.items():
            for field in ("test_accuracy", "macro_f1", "train_seconds", "time_to_target"):
                values = [r["models"][key][field] for r in old["repeats"]["runs"]] if field != "time_to_target" else []
                values = [v for v in values if v is not None]
                if len(values) == 2:
                    mean = float(np.mean(values))
                    half = float(stats.t.ppf(0.975, 1) * np.std(values, ddof=1) / np.sqrt(2))
                    summary[field] = {"mean": mean, "low": mean - half, "high": mean + half, "n": 2}
                else:
                    summary[field] = {k: summary[field][k] for k in ("mean", "low", "high", "n")}
    assert any(i["low"] is not None and i["low"] < 0.7 * i["mean"] for _, i in _intervals(old["repeats"]["summary"]))
    old_path = tmp_path / "old.json"
    old_path.write_text(json.dumps(old))
    loaded = load_result(old_path)
    assert _check_in_range(loaded["repeats"]["summary"], read_interval) >= 6
    for key, mean, low, high in bar_values(loaded):
        values = [r["models"][key]["test_accuracy"] for r in loaded["repeats"]["runs"]]
        assert (low, high) == pytest.approx((min(values), max(values))), "the two seeds come back as the range"
    for row, (key, mean, low, high) in zip(results_rows(loaded), bar_values(loaded)):
        assert f"({low:.3f}–{high:.3f})" in row[2]
        bounds = [float(v) for v in re.findall(r"\d+(?:\.\d+)?", row[3].split("(", 1)[-1])]
        assert all(v >= 0 for v in bounds), f"a time below 0 s: {row[3]}"
    from modelrace.models.output.summary_table import caption

    # Its times are arithmetic means (old files had no log-scale intervals): no caption calls them geometric.
    assert "geometric" not in caption(loaded) and "(times: mean)" in caption(loaded)
