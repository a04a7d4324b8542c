"""Repeated races: one seed per repeat (a new split and new models), weighed into one verdict.

A single run cannot settle "simpler models get good results more quickly": the MLP's curve swings
from seed to seed. This module reruns the race, summarises every model with means (geometric for
times) and 95% confidence intervals that stay inside what each number can be, or the range with 2
seeds (``models.judging.stats.mean_ci``), tests each pair of models with the corrected resampled
t-test, and has ``models.judging.weighing`` weigh the runs into one verdict.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np

from modelrace.models.data.dataset import Dataset
from modelrace.models.judging.fairness import runs_contention_warning
from modelrace.models.judging.profile import add_to_verdict, seeds_profile_block
from modelrace.models.judging.stats import corrected_resampled_ttest, effect_words, mean_ci
from modelrace.models.judging.verdict import fraction_of_best, judge, time_to_target
from modelrace.models.judging.weighing import backend_sentence, judge_runs
from modelrace.models.race.events import RepeatFinished
from modelrace.models.race.hooks import RaceHooks
from modelrace.models.race.one_race import run_race
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.document import NOT_SELECTED, ModelSummary, Pairwise, Result, raced_models

_RACED = ("finished", "stopped")


def run_repeats(dataset: Dataset, settings: RaceSettings, hooks: RaceHooks | None = None, report_each: bool = True) -> Result:
    """Race ``settings.repeats`` times with seeds seed, seed+1, ...; return the combined result.

    The top level is the first complete run (so every schema-1 reader still works) with a ``repeats``
    block and a verdict that weighs every complete run. After a stop, only the runs that were
    complete count: a partly trained model would drag the means and tests, and the block and the
    verdict say how many runs were complete. ``report_each`` sends a ``RepeatFinished`` event after
    each run (a copy: the run's verdict is rewritten once every seed is in).
    """
    hooks = hooks or RaceHooks()
    base = settings.resolved_seed()
    runs: list[Result] = []
    for i in range(settings.repeats):
        if hooks.stop.is_set() and runs:
            break
        run = run_race(dataset, dataclasses.replace(settings, seed=base + i), hooks)
        runs.append(run)
        if report_each:
            hooks.listen(RepeatFinished(i, run))
    return repeats_result(runs, settings)


def repeats_result(runs: list[Result], settings: RaceSettings) -> Result:
    """The combined result of the seeds raced so far (in seed order), of ``settings.repeats`` planned.

    Only complete runs count. If none is complete (stopped during the first seed), the first run is
    all there is, and its verdict says so. A race grid (``models.cluster``) combines its cells here too.
    """
    complete = [run for run in runs if is_complete(run)]
    if not complete:
        first = runs[0]
        first["verdict"]["text"] += (f" The race was stopped during the first of {settings.repeats} seeds, so no "
                                     "repeated result is given.")
        return first
    return combine_runs(complete, settings, planned=settings.repeats, interrupted=len(complete) < settings.repeats)


def is_complete(run: Result) -> bool:
    """True if no model of ``run`` was cut short or left out by a stop (a failed model still counts as run)."""
    return not any(m["status"] == "stopped" or (m["status"] == "skipped" and m.get("note") != NOT_SELECTED)
                   for m in run["models"].values())


def common_target(runs: list[Result], settings: RaceSettings) -> float | None:
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
    return fraction_of_best((float(np.mean(v)) for v in finals.values()), settings.preset.race.target_fraction)


def combine_runs(runs: list[Result], settings: RaceSettings, planned: int | None = None, interrupted: bool = False) -> Result:
    """Summaries, pairwise tests and one verdict over several complete runs of the same race.

    ``planned`` runs were asked for; ``interrupted`` says a stop left some of them out or incomplete.
    """
    target = common_target(runs, settings)
    backend = runs[0]["verdict"].get("keras_backend")
    source = runs[0]["verdict"].get("target_source")
    per_run: list[bool | None] = []
    for run in runs:
        run["verdict"] = judge(run["models"], target)
        if source is not None:
            run["verdict"]["target_source"] = source
        per_run.append(run["verdict"]["claim_holds"])
    result = copy.deepcopy(runs[0])
    keys = list(raced_models(runs[0]))
    summary = {key: _summarise(key, runs, target) for key in keys}
    split = runs[0]["split"]
    accuracies = {key: _every([r["models"][key]["test_accuracy"] for r in runs]) for key in keys}
    pairwise: list[Pairwise] = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            a_scores, b_scores = accuracies[a], accuracies[b]
            if a_scores is None or b_scores is None:
                continue
            test = corrected_resampled_ttest(a_scores, b_scores, split["train"], split["test"])
            pairwise.append({"a": a, "b": b, "metric": "test_accuracy", **test,
                             "words": effect_words(test["mean_difference"], test["p_value"])})
    reasons = [reason for r in runs if (reason := r["verdict"].get("reason"))]
    verdict = judge_runs(summary, pairwise, per_run, target, len(runs), [r.get("significance") for r in runs], reasons)
    if source is not None:
        verdict["target_source"] = source
    profile = seeds_profile_block([run["models"] for run in runs])
    add_to_verdict(verdict, profile)
    verdict["timing_warning"] = runs_contention_warning([(run["split"]["seed"], run["models"]) for run in runs])
    if verdict["timing_warning"]:
        verdict["text"] += f" {verdict['timing_warning']}"
    if interrupted:
        verdict["text"] += (f" The race was interrupted: {len(runs)} of {planned or len(runs)} runs were complete, "
                            "and only those count.")
    if backend:
        verdict["text"] += backend_sentence(backend, keys=[k for k, m in runs[0]["models"].items() if m["status"] in _RACED])
        verdict["keras_backend"] = backend
    result["verdict"] = verdict
    result.pop("profile", None)
    if profile:
        result["profile"] = profile
    result["repeats"] = {
        "count": len(runs),
        "planned": planned or len(runs),
        "interrupted": interrupted,
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
                "models": {k: {f: m.get(f) for f in ("status", "test_accuracy", "macro_f1", "train_seconds", "curve",
                                                    "contention")}
                           for k, m in r["models"].items()},
            }
            for r in runs
        ],
    }
    return result


def _every(values: list[float | None]) -> list[float] | None:
    """``values`` if every one is a number, else None (a model without a score in some run)."""
    numbers = [v for v in values if v is not None]
    return numbers if len(numbers) == len(values) else None


def _summarise(key: str, runs: list[Result], target: float | None) -> ModelSummary:
    models = [r["models"][key] for r in runs]
    # Only a model that trained (finished or stopped) has a time: a failed one's curve up to its failure does not count.
    times = [time_to_target(m["curve"], target) if target is not None and m["curve"] and m["status"] in _RACED
             else None for m in models]
    return {
        "test_accuracy": mean_ci([m["test_accuracy"] for m in models], kind="accuracy"),
        "macro_f1": mean_ci([m["macro_f1"] for m in models], kind="accuracy"),
        "train_seconds": mean_ci([m["train_seconds"] for m in models], kind="seconds"),
        "time_to_target": mean_ci([t for t in times if t is not None], kind="seconds"),
        "reached": sum(t is not None for t in times),
        "runs": len(models),
    }
