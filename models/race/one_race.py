"""One race: one shared split, the chosen trainers (in turn or at once), scores, verdict, result.

``fair`` mode trains one model at a time with every core; ``simultaneous`` trains them all at once
with the cores divided between them. Each trainer runs in a worker of its own, started by the front
end's :class:`~modelrace.models.race.workers.Workers` (threads in the terminal, QThreads in the
window), so the caller's thread stays free to take Ctrl+C or a Stop. One model's failure is
recorded in its entry and the others carry on.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import threading
import time
import traceback
from collections.abc import Mapping
from typing import Any, Final, NotRequired

import numpy as np

from modelrace.models.data.dataset import Dataset
from modelrace.models.data.split import Split, make_split, sample_rows
from modelrace.models.judging.fairness import contention_warning
from modelrace.models.judging.profile import add_to_verdict, profile_block
from modelrace.models.judging.stats import effect_words, mcnemar_exact
from modelrace.models.judging.verdict import default_target, judge
from modelrace.models.judging.weighing import backend_sentence
from modelrace.models.race.metrics import test_scores
from modelrace.models.race.hooks import RaceHooks
from modelrace.models.race.events import Listener, LibraryLoading, ModelFinished, ModelStarted, RaceStarted, Steps
from modelrace.models.race.settings import RaceSettings, thread_plan
from modelrace.models.race.workers import wait
from modelrace.models.results.document import (
    NOT_SELECTED, SCHEMA, CurvePoint, McNemar, ModelEntry, Result, Significance, empty_model,
)
from modelrace.models.system import environment
from modelrace.models.system.cpu_load import OtherLoad
from modelrace.models.system.errors import UserError, one_line
from modelrace.models.system.memory import return_free_memory
from modelrace.models.trainers.devices import check_device
from modelrace.models.trainers.preload import library_to_load
from modelrace.models.trainers.protocol import Sink, Step
from modelrace.models.trainers.libraries import recorded_packages
from modelrace.models.trainers.registry import DEFAULT_MODELS, MODEL_KEYS, label, trainer_class, uses_library

CORRECT_KEY: Final = "_correct"  # in-memory only: which test rows a model got right

LEAKAGE_NOTE = (
    "The tutorial centred and scaled the features before splitting, which leaks test-set statistics into "
    "training; modelrace scales with the training rows only."
)


class ScoredEntry(ModelEntry):
    """A model's entry as :func:`run_model` hands it back: with the test rows it got right (``_correct``), for the
    paired tests. The race takes them out before it makes the result: they are never written to a file."""

    _correct: NotRequired[np.ndarray]


def unscored(entry: ModelEntry) -> ScoredEntry:
    """``entry`` (of a model that failed, or did not race) as the race holds it: without test rows."""
    return {**entry}


def curve_point(step: Step) -> CurvePoint:
    """A step as a result file's curve holds it."""
    return {
        "t": round(step.t, 6),
        "step": step.step,
        "unit": step.unit,
        "val_accuracy": round(step.val_accuracy, 6),
        "val_loss": round(step.val_loss, 6),
    }


class _RaceSink:
    """Passes each step on as an event; reports a stop once the race's stop event is set."""

    def __init__(self, listen: Listener, stop: threading.Event) -> None:
        self._listen = listen
        self._stop = stop

    def put(self, step: Step) -> None:
        self._listen(Steps((step,)))

    def stop_requested(self) -> bool:
        return self._stop.is_set()


class Diverged(UserError):
    """A model's scores stopped being numbers (NaN or infinite loss): its training diverged."""


class _RecordingSink:
    """Passes steps on and keeps them, so a model that fails keeps the curve it had drawn.

    A step whose validation scores are not finite ends the model's training as failed: a NaN loss
    would otherwise look like a finished model with a poor score. Each step also lets ``load`` sample
    how busy the rest of the machine is.
    """

    def __init__(self, sink: Sink, load: OtherLoad | None = None) -> None:
        self._sink = sink
        self._load = load
        self.steps: list[Step] = []

    def put(self, step: Step) -> None:
        if not (math.isfinite(step.val_loss) and math.isfinite(step.val_accuracy)):
            raise Diverged(f"{label(step.model)}'s training diverged: its validation loss became {step.val_loss} at "
                           f"{step.unit} {step.step:g}; lower the learning rate (or raise the decay) and race again")
        self._sink.put(step)
        self.steps.append(step)
        if self._load is not None:
            self._load.sample()

    def stop_requested(self) -> bool:
        return self._sink.stop_requested()


def failure_message(key: str, exc: BaseException, train_rows: int) -> str:
    """One line for a model that failed: what happened and, where we know it, what to do."""
    if isinstance(exc, MemoryError):
        return (f"{label(key)} ran out of memory training on {train_rows:,} rows; race on fewer rows (--rows N, "
                "or Rows in the window), close other programs, or use the quick preset")
    if isinstance(exc, UserError):
        return str(exc)
    return one_line(f"{type(exc).__name__}: {exc}".strip())


def prepare(dataset: Dataset, settings: RaceSettings) -> tuple[Dataset, Split]:
    """Apply row sampling (``--rows`` exactly, or the preset's cap) and cut the shared split."""
    seed = settings.resolved_seed()
    if settings.rows is not None:
        dataset = sample_rows(dataset, settings.rows, seed)
    elif settings.preset.race.max_rows and dataset.rows > settings.preset.race.max_rows:
        dataset = sample_rows(dataset, settings.preset.race.max_rows, seed)
    split = make_split(dataset, dataclasses.replace(settings.preset.split, seed=seed))
    return dataset, split


def run_model(
    key: str, config: Any, split: Split, classes: list[str], threads: int, seed: int, sink: Sink, device: str = "cpu"
) -> ScoredEntry:
    """Train one model and score it on the test rows; a failure becomes a ``failed`` entry, never an exception."""
    plain_config = plain(dataclasses.asdict(config))
    load = OtherLoad()
    recording = _RecordingSink(sink, load)
    try:
        trainer = trainer_class(key)(config, threads, seed, device)
        load.start()
        fit = trainer.fit(split, recording)
        contention = load.stop()
        scores = test_scores(fit.predict_proba, split.X_test, split.y_test, classes)
        if not scores["finite"]:
            raise Diverged(f"{label(key)}'s predictions on the test rows are not numbers (its training diverged); "
                           "lower the learning rate (or raise the decay) and race again")
    except Exception as exc:  # noqa: BLE001 - any trainer failure must leave the others running
        entry = unscored(empty_model("failed", plain_config, error=failure_message(key, exc, len(split.y_train))))
        entry["traceback"] = traceback.format_exc()
        entry["curve"] = [curve_point(step) for step in recording.steps]  # what it showed before failing
        return entry
    return {
        "status": fit.status,
        "config": plain_config,
        "test_accuracy": scores["test_accuracy"],
        "macro_f1": scores["macro_f1"],
        "per_class_recall": scores["per_class_recall"],
        "confusion_matrix": scores["confusion_matrix"],
        "train_seconds": round(fit.train_seconds, 6),
        "cpu_seconds": round(fit.cpu_seconds, 6),
        "monitor_seconds": round(fit.monitor_seconds, 6),
        "predict_seconds": scores["predict_seconds"],
        "model_bytes": fit.model_bytes,
        "curve": [curve_point(step) for step in fit.curve],
        "error": None,
        "setup_seconds": round(fit.setup_seconds, 6),
        "steps_done": fit.steps_done,
        "planned_steps": trainer.planned_steps(),
        "unit": trainer.unit,
        "threads": fit.threads,
        "params": plain(fit.params),
        "contention": contention,
        CORRECT_KEY: scores["correct"],
    }


def run_race(dataset: Dataset, settings: RaceSettings, hooks: RaceHooks | None = None) -> Result:
    """Run one race and return its result. Setting ``hooks.stop`` ends it early, keeping partial models.

    ``hooks.workers`` starts each model's worker (default: Python threads); the result records its
    kind. Repeats and sizes in ``settings`` are not looked at here: ``models.race.engine.run`` does.
    """
    hooks = hooks or RaceHooks()
    listen, stop, workers = hooks.listen, hooks.stop, hooks.workers
    mode = settings.resolved_mode()
    seed = settings.resolved_seed()
    check_device(settings.device)
    started = time.time()
    dataset, split = prepare(dataset, settings)
    cores = settings.cores or environment.cpu_count()
    threads = thread_plan(settings.models, mode, cores)
    configs = settings.preset.models
    entries: dict[str, ScoredEntry] = {
        key: unscored(empty_model("skipped", plain(dataclasses.asdict(configs[key])), note=NOT_SELECTED))
        for key in DEFAULT_MODELS if key not in settings.models  # schema 1 always lists the tutorial's three
    }
    plan = {key: trainer_class(key)(configs[key], threads[key], seed).planned_steps() for key in settings.models}
    listen(RaceStarted(plan, split.describe(), dataset.describe()))

    def race_one(key: str) -> None:
        listen(ModelStarted(key))
        library = library_to_load(key)
        if library is not None:  # seconds of loading before the first step: say so rather than sit silent
            listen(LibraryLoading(key, library, f"loading {library} (first race only)"))
        entry = run_model(key, configs[key], split, dataset.classes, threads[key], seed, _RaceSink(listen, stop),
                          settings.device)
        entry["worker"] = workers.kind
        entries[key] = entry
        listen(ModelFinished(key, entry))  # a copy: the entry loses its test rows once the race is scored

    started_workers: list[threading.Event] = []
    for key in settings.models:
        if stop.is_set() and mode == "fair":
            break
        done = workers.start(f"modelrace-{key}", functools.partial(race_one, key))
        started_workers.append(done)
        if mode == "fair":
            wait(done)
    for done in started_workers:
        wait(done)
    for key in settings.models:  # not started, or its worker could not start (the window is closing)
        entries.setdefault(key, unscored(empty_model("skipped", plain(dataclasses.asdict(configs[key])),
                                                     note="not started: the race was stopped before its turn")))

    return_free_memory()  # the trained models are gone; a day of races should not keep their memory
    correct = {key: rows for key, entry in entries.items() if (rows := entry.pop(CORRECT_KEY, None)) is not None}
    models: dict[str, ModelEntry] = {key: entries[key] for key in MODEL_KEYS if key in entries}
    models.update({key: entries[key] for key in entries if key not in models})
    significance: Significance = {"mcnemar": pairwise_mcnemar(models, correct)}
    target = settings.target if settings.target is not None else default_target(models, settings.preset.race.target_fraction)
    verdict = judge(models, target)
    profile = profile_block(models)
    add_to_verdict(verdict, profile)
    warning = contention_warning(models)
    if warning:
        verdict["text"] += f" {warning}"
    verdict["timing_warning"] = warning
    on_keras = [key for key, m in models.items() if uses_library(key, "keras") and m["status"] in ("finished", "stopped")]
    if on_keras:
        params = models[on_keras[0]].get("params") or {}
        backend = params.get("backend") or environment.keras_backend()
        placed = params.get("device", "CPU")
        verdict["text"] += backend_sentence(backend, on_gpu=str(placed).startswith("GPU"), keys=on_keras)
        verdict["keras_backend"] = backend
    verdict["target_source"] = "user" if settings.target is not None else (
        f"{settings.preset.race.target_fraction:g} x best final validation accuracy")
    result: Result = {
        "schema": SCHEMA,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "wall_seconds": round(time.time() - started, 3),
        "preset": settings.preset.name,
        "race": {"mode": mode, "models": list(settings.models), "seed": seed, "stopped": stop.is_set()},
        "dataset": dataset.describe(),
        "split": split.describe(),
        "environment": environment.describe({k: entries[k].get("threads") or {"requested": threads[k]}
                                             for k in settings.models}, mode, settings.device,
                                            packages=recorded_packages(settings.models)),
        "models": models,
        "verdict": verdict,
        "significance": significance,
    }
    if profile:
        result["profile"] = profile
    result["notes"] = [LEAKAGE_NOTE]
    return result


def pairwise_mcnemar(models: Mapping[str, ModelEntry], correct: Mapping[str, np.ndarray]) -> list[McNemar]:
    """McNemar's exact test for every pair of models scored on this run's test rows (``correct``: which rows each
    model got right)."""
    accuracies = {k: accuracy for k, m in models.items()
                  if k in correct and (accuracy := m["test_accuracy"]) is not None}
    scored = list(accuracies)
    pairs: list[McNemar] = []
    for i, a in enumerate(scored):
        for b in scored[i + 1:]:
            test = mcnemar_exact(correct[a], correct[b])
            difference = accuracies[a] - accuracies[b]
            pairs.append({"a": a, "b": b, **test, "accuracy_difference": round(difference, 6),
                          "words": effect_words(difference, test["p_value"])})
    return pairs


def plain(value: Any) -> Any:
    """Convert ``value`` into JSON-ready data: tuples to lists, numpy scalars to Python, others to text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
