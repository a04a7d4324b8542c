"""Races over training-set sizes: where, if anywhere, does the MLP catch up with more data?"""

from __future__ import annotations

import dataclasses
import math

from modelrace.models.data.dataset import Dataset
from modelrace.models.data.split import minimum_rows
from modelrace.models.judging.weighing import judge_sizes
from modelrace.models.race.hooks import RaceHooks
from modelrace.models.race.repeats import run_repeats
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.document import Result, SizePoint
from modelrace.models.system.errors import DataError, words


def rows_for_training_size(size: int, settings: RaceSettings) -> int:
    """Rows to sample so that the training part of the split has ``size`` rows."""
    split = settings.preset.split
    return math.ceil(size / ((1 - split.test) * (1 - split.validation)))


def check_sizes(dataset: Dataset, settings: RaceSettings) -> None:
    """Raise DataError, in terms of the sizes asked for, for a size too large or too small for ``dataset``."""
    largest = int(dataset.rows * (1 - settings.preset.split.test) * (1 - settings.preset.split.validation))
    classes = len(dataset.classes)
    fewest_rows = max(minimum_rows(classes, settings.preset.split), 2 * classes)
    smallest = next(s for s in range(1, dataset.rows + 2) if rows_for_training_size(s, settings) >= fewest_rows)
    for size in settings.sizes:
        rows = rows_for_training_size(size, settings)
        if rows > dataset.rows:
            raise DataError(
                f"{words('sizes')} {size}: that many training rows needs {rows:,} rows, but '{dataset.name}' has "
                f"{dataset.rows:,}; the largest training size possible is {largest:,}"
            )
        if size < smallest:
            raise DataError(
                f"{words('sizes')} {size}: too few training rows to split {classes} classes into training, validation and "
                f"test rows; use training sizes of at least {smallest:,}"
            )
        if dataset.rows - classes < rows < dataset.rows:
            raise DataError(
                f"{words('sizes')} {size}: needs {rows:,} of the {dataset.rows:,} rows, which leaves too few out for a "
                f"stratified sample of {classes} classes; use at most {int((dataset.rows - classes) * largest / dataset.rows):,}"
                f" or exactly {largest:,}"
            )


def run_sizes(dataset: Dataset, settings: RaceSettings, hooks: RaceHooks | None = None) -> Result:
    """Race at each of ``settings.sizes`` (training-set sizes, stratified samples), ``settings.repeats`` seeds each.

    The result is the largest size's combined result with a ``size_curve`` block: final accuracy
    and time-to-target per model and size, and a verdict that says where the answer changes.
    """
    hooks = hooks or RaceHooks()
    sizes = list(settings.sizes)
    check_sizes(dataset, settings)
    raced: list[tuple[int, Result]] = []
    for size in sizes:
        if hooks.stop.is_set():
            break
        run = run_repeats(dataset, size_settings(settings, size), hooks, report_each=False)
        raced.append((size, run))
        if not size_complete(run):
            break
    return size_curve_result(raced, settings)


def size_settings(settings: RaceSettings, size: int) -> RaceSettings:
    """The settings that race ``settings.repeats`` seeds at one training-set size."""
    return dataclasses.replace(settings, rows=rows_for_training_size(size, settings), sizes=())


def size_complete(run: Result) -> bool:
    """True if every planned seed of one size's combined result was complete (only those sizes count)."""
    return "repeats" in run and not run["repeats"].get("interrupted")


def size_curve_result(raced: list[tuple[int, Result]], settings: RaceSettings) -> Result:
    """The size curve from each size's combined result (ascending sizes), of ``settings.sizes`` planned.

    The result is the largest complete size's combined result with a ``size_curve`` block: final
    accuracy and time-to-target per model and size, and a verdict that says where the answer changes.
    Sizes not raced or not complete leave the curve marked interrupted. A race grid
    (``models.cluster``) builds its result here too.
    """
    sizes = list(settings.sizes)
    points: list[SizePoint] = []
    last: Result | None = None
    for size, run in raced:
        if not size_complete(run):
            last = last or run
            continue
        last = run
        summary = run["repeats"]["summary"]
        points.append({
            "size": size,
            "rows": rows_for_training_size(size, settings),
            "target": run["verdict"]["target"],
            "claim_holds": run["verdict"]["claim_holds"],
            "text": run["verdict"]["text"],
            "models": {k: {"test_accuracy": s["test_accuracy"], "time_to_target": s["time_to_target"],
                           "reached": s["reached"]} for k, s in summary.items()},
        })
    assert last is not None, "no size was raced"
    interrupted = len(points) < len(sizes)
    if not points:
        last["verdict"]["text"] += " The race was stopped during the first size, so no size curve is given."
        return last
    result = last
    result["size_curve"] = {"sizes": [p["size"] for p in points], "repeats": settings.repeats, "points": points,
                            "planned_sizes": sizes, "interrupted": interrupted}
    verdict = judge_sizes(points)
    if interrupted:
        verdict["text"] += (f" The race was interrupted: {len(points)} of {len(sizes)} sizes were complete, and only "
                            "those count.")
    result["verdict"] = {**result["verdict"], **verdict}
    return result
