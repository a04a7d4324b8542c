"""Repeated races (one seed per repeat: a new split and new models) and races over training-set sizes.

A single run cannot settle "simpler models get good results more quickly": the MLP's curve swings
from seed to seed, and the answer may change with the amount of data. This module reruns the race,
summarises every model with means and 95% confidence intervals, tests each pair of models with
the corrected resampled t-test, and weighs the runs into one verdict.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import threading
from collections.abc import Callable

import numpy as np

from modelrace.models.datasets import Dataset
from modelrace.models.errors import DataError
from modelrace.models.formatting import ci_text
from modelrace.models.race import BACKEND_NAMES, RaceObserver, RaceSettings, run_race
from modelrace.models.stats import corrected_resampled_ttest, effect_words, mean_ci, p_text
from modelrace.models.verdict import SIMPLE, display_name, judge, time_to_target

#: Share of the decided runs that must agree before the verdict takes a side.
AGREEMENT = 0.8
_RACED = ("finished", "stopped")


def run_repeats(
    dataset: Dataset,
    settings: RaceSettings,
    repeats: int,
    observer: RaceObserver | None = None,
    stop: threading.Event | None = None,
    on_run: Callable[[int, dict], None] | None = None,
) -> dict:
    """Race ``repeats`` times with seeds seed, seed+1, ...; return the combined result.

    The top level is the first run (so every schema-1 reader still works) with a ``repeats`` block
    and a verdict that weighs every run. A stop keeps the runs that finished.
    """
    if repeats < 1:
        raise DataError(f"--repeats {repeats}: use at least 1")
    stop = stop or threading.Event()
    base = settings.resolved_seed()
    runs: list[dict] = []
    for i in range(repeats):
        if stop.is_set() and runs:
            break
        run = run_race(dataset, dataclasses.replace(settings, seed=base + i), observer, stop)
        runs.append(run)
        if on_run is not None:
            on_run(i, run)
    return combine_runs(runs, settings)


def common_target(runs: list[dict], settings: RaceSettings) -> float | None:
    """The user's target, or the preset's fraction of the best mean final validation accuracy."""
    if settings.target is not None:
        return settings.target
    finals: dict[str, list[float]] = {}
    for run in runs:
        for key, model in run["models"].items():
            if model["status"] in _RACED and model["curve"]:
                finals.setdefault(key, []).append(model["curve"][-1]["val_accuracy"])
    if not finals:
        return None
    return round(settings.preset.race.target_fraction * max(float(np.mean(v)) for v in finals.values()), 4)


def combine_runs(runs: list[dict], settings: RaceSettings) -> dict:
    """Summaries, pairwise tests and one verdict over several runs of the same race."""
    target = common_target(runs, settings)
    backend = runs[0]["verdict"].get("keras_backend")
    per_run = []
    for run in runs:
        run["verdict"] = {**judge(run["models"], target), "target_source": runs[0]["verdict"].get("target_source")}
        per_run.append(run["verdict"]["claim_holds"])
    result = copy.deepcopy(runs[0])
    keys = [k for k, m in runs[0]["models"].items() if m.get("note") != "not selected for this race"]
    summary = {key: _summarise(key, runs, target) for key in keys}
    split = runs[0]["split"]
    pairwise = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            a_scores = [r["models"][a]["test_accuracy"] for r in runs]
            b_scores = [r["models"][b]["test_accuracy"] for r in runs]
            if any(v is None for v in a_scores + b_scores):
                continue
            test = corrected_resampled_ttest(a_scores, b_scores, split["train"], split["test"])
            pairwise.append({"a": a, "b": b, "metric": "test_accuracy", **test,
                             "words": effect_words(test["mean_difference"], test["p_value"])})
    reasons = [r["verdict"]["reason"] for r in runs if r["verdict"].get("reason")]
    verdict = _verdict(summary, pairwise, per_run, target, len(runs), [r.get("significance") for r in runs], reasons)
    verdict["target_source"] = runs[0]["verdict"].get("target_source")
    if backend:
        verdict["text"] += f" The MLP ran on Keras with the {BACKEND_NAMES.get(backend, backend)} backend."
        verdict["keras_backend"] = backend
    result["verdict"] = verdict
    result["repeats"] = {
        "count": len(runs),
        "seeds": [r["split"]["seed"] for r in runs],
        "target": target,
        "summary": summary,
        "pairwise": pairwise,
        "claim_per_run": per_run,
        "runs": [
            {
                "seed": r["split"]["seed"],
                "verdict": r["verdict"],
                "significance": r.get("significance"),
                "models": {k: {f: m.get(f) for f in ("status", "test_accuracy", "macro_f1", "train_seconds", "curve")}
                           for k, m in r["models"].items()},
            }
            for r in runs
        ],
    }
    return result


def _summarise(key: str, runs: list[dict], target: float | None) -> dict:
    models = [r["models"][key] for r in runs]
    times = [time_to_target(m["curve"], target) if target is not None and m["curve"] else None for m in models]
    return {
        "test_accuracy": mean_ci([m["test_accuracy"] for m in models]),
        "macro_f1": mean_ci([m["macro_f1"] for m in models]),
        "train_seconds": mean_ci([m["train_seconds"] for m in models]),
        "time_to_target": mean_ci([t for t in times if t is not None]),
        "reached": sum(t is not None for t in times),
        "runs": len(models),
    }


def _pm(ci: dict, unit: str = " s") -> str:
    return ci_text(ci, ".2f", unit, missing="never")


def _mcnemar_tally(runs_significance: list[dict | None]) -> list[str]:
    """How often McNemar's exact test told each simpler model and the MLP apart (p < 0.05)."""
    parts = []
    for other in SIMPLE:
        tests = [t for s in runs_significance if s for t in s.get("mcnemar", []) if {t["a"], t["b"]} == {other, "mlp"}]
        if len(tests) == 1:
            parts.append(f"McNemar's exact test, {display_name(other)} against the MLP: {p_text(tests[0]['p_value'])}")
        elif tests:
            separated = sum(t["p_value"] < 0.05 for t in tests)
            parts.append(f"McNemar's exact test separated {display_name(other)} from the MLP in {separated} of {len(tests)} "
                         "runs (p < 0.05)")
    return parts


def _verdict(summary: dict, pairwise: list[dict], per_run: list, target: float | None, n: int,
             runs_significance: list[dict | None], reasons: list[str]) -> dict:
    held, failed = per_run.count(True), per_run.count(False)
    decided = held + failed
    if decided and held >= AGREEMENT * decided and decided * 2 >= n:
        holds: bool | None = True
    elif decided and failed >= AGREEMENT * decided and decided * 2 >= n:
        holds = False
    else:
        holds = None
    times = {k: s["time_to_target"]["mean"] for k, s in summary.items()}
    parts = []
    if target is not None:
        simple = [k for k in SIMPLE if k in summary and summary[k]["reached"]]
        if simple:
            best = min(simple, key=lambda k: summary[k]["time_to_target"]["mean"])
            lead = f"Over {n} seeds, {display_name(best)}" if n > 1 else display_name(best, start=True)
            line = f"{lead} reached {100 * target:.1f}% validation accuracy in {_pm(summary[best]['time_to_target'])}"
            if "mlp" in summary:
                mlp = summary["mlp"]
                if not mlp["reached"]:
                    line += "; the MLP never reached it" + (" in any run" if n > 1 else "")
                elif n > 1:
                    line += f" against the MLP's {_pm(mlp['time_to_target'])} (reached in {mlp['reached']} of {n} runs)"
                else:
                    line += f" against the MLP's {_pm(mlp['time_to_target'])}"
            parts.append(line)
    for pair in pairwise:
        if "mlp" in (pair["a"], pair["b"]) and pair["p_value"] is not None:
            other = pair["b"] if pair["a"] == "mlp" else pair["a"]
            diff = pair["mean_difference"] if pair["a"] == other else -pair["mean_difference"]
            direction = "higher" if diff > 0 else "lower"
            parts.append(f"{display_name(other)}'s test accuracy was {100 * abs(diff):.1f} points {direction} than the MLP's "
                         f"({p_text(pair['p_value'])}, corrected resampled t-test)")
    parts += _mcnemar_tally(runs_significance)
    text = "; ".join(parts) + "." if parts else ""
    tally = (f"the claim held in {held} of {n} runs" + (f" and failed in {failed}" if failed else "")) if n > 1 else \
        "on this run"
    conclusion = {
        True: f"The tutorial's claim holds {tally}." if n == 1 else f"The tutorial's claim holds: {tally}.",
        False: f"The tutorial's claim does not hold {tally}." if n == 1 else f"The tutorial's claim does not hold: {tally}.",
        None: f"The evidence is mixed or incomplete: {tally}.",
    }[holds]
    if not decided and reasons:
        conclusion = f"The claim cannot be judged: {reasons[0]}."
    return {"target": target, "time_to_target": times, "claim_holds": holds, "text": f"{text} {conclusion}".strip()}


# ------------------------------------------------------------------------------------------ sizes


def rows_for_training_size(size: int, settings: RaceSettings) -> int:
    """Rows to sample so that the training part of the split has ``size`` rows."""
    split = settings.preset.split
    return math.ceil(size / ((1 - split.test) * (1 - split.validation)))


def run_sizes(
    dataset: Dataset,
    settings: RaceSettings,
    sizes: list[int],
    repeats: int = 1,
    observer: RaceObserver | None = None,
    stop: threading.Event | None = None,
    on_point: Callable[[int, dict], None] | None = None,
) -> dict:
    """Race at several training-set sizes (stratified samples), ``repeats`` seeds each.

    The result is the largest size's combined result with a ``size_curve`` block: final accuracy
    and time-to-target per model and size, and a verdict that says where the answer changes.
    """
    stop = stop or threading.Event()
    sizes = sorted(set(sizes))
    largest_possible = int(dataset.rows * (1 - settings.preset.split.test) * (1 - settings.preset.split.validation))
    for size in sizes:
        if rows_for_training_size(size, settings) > dataset.rows:
            raise DataError(
                f"--sizes {size}: that many training rows needs {rows_for_training_size(size, settings):,} rows, but "
                f"'{dataset.name}' has {dataset.rows:,}; the largest training size possible is {largest_possible:,}"
            )
    points, last = [], None
    for size in sizes:
        if stop.is_set() and points:
            break
        rows = rows_for_training_size(size, settings)
        last = run_repeats(dataset, dataclasses.replace(settings, rows=rows), repeats, observer, stop)
        summary = last.get("repeats", {}).get("summary") or {}
        point = {
            "size": size,
            "rows": rows,
            "target": last["verdict"]["target"],
            "claim_holds": last["verdict"]["claim_holds"],
            "text": last["verdict"]["text"],
            "models": {k: {"test_accuracy": s["test_accuracy"], "time_to_target": s["time_to_target"],
                           "reached": s["reached"]} for k, s in summary.items()},
        }
        points.append(point)
        if on_point is not None:
            on_point(size, point)
    assert last is not None
    result = last
    result["size_curve"] = {"sizes": [p["size"] for p in points], "repeats": repeats, "points": points}
    result["verdict"] = {**result["verdict"], **_size_verdict(points)}
    return result


def _size_verdict(points: list[dict]) -> dict:
    answers = [p["claim_holds"] for p in points]
    sizes = [f"{p['size']:,}" for p in points]
    span = f"{sizes[0]} to {sizes[-1]} training rows" if len(sizes) > 1 else f"{sizes[0]} training rows"
    last_text = points[-1]["text"]
    if all(a is True for a in answers):
        return {"claim_holds": True, "text": f"At every size tried ({span}) the claim held. At the largest: {last_text}"}
    if all(a is False for a in answers):
        return {"claim_holds": False, "text": f"At every size tried ({span}) the claim failed. At the largest: {last_text}"}
    changes = [f"{'held' if a else 'failed' if a is False else 'was undecided'} at {s}" for a, s in zip(answers, sizes)]
    return {"claim_holds": None, "text": "The answer depends on the data size: the claim " + ", ".join(changes) + " training rows."}
