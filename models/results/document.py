"""The result document: typed views of the JSON a race produces (schema 1), and the blank model entry.

A result is kept as the plain JSON data (dicts and lists) so that it is written, read and compared
exactly as stored; these TypedDicts give every block and key a name and a type that a type checker
follows (``mypy`` reads ``result["models"]["rf"]["curve"][0]["t"]`` as a float). The file itself is
validated against ``resources/result.schema.json`` when it is read (see models.results.files). Blocks
added after schema 1 (significance, repeats, size_curve, a model's worker) are optional: files
written before them still open.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

SCHEMA = 1
STATUSES = ("finished", "stopped", "failed", "skipped")
Status = Literal["finished", "stopped", "failed", "skipped"]
#: Keys every model entry has (the contract of schema 1).
MODEL_KEYS = (
    "status", "config", "test_accuracy", "macro_f1", "per_class_recall", "confusion_matrix",
    "train_seconds", "cpu_seconds", "monitor_seconds", "predict_seconds", "model_bytes", "curve", "error",
)
CURVE_KEYS = ("t", "step", "unit", "val_accuracy", "val_loss")
#: A model's entry note when the user left it out of the race.
NOT_SELECTED = "not selected for this race"


class CurvePoint(TypedDict):
    """One point of a live curve: training seconds (monitoring excluded), native step, validation scores."""

    t: float
    step: float
    unit: str
    val_accuracy: float
    val_loss: float | None


class ModelEntry(TypedDict):
    """One model's outcome: status, scores, times, curve and configuration."""

    status: Status
    config: dict[str, Any]
    test_accuracy: float | None
    macro_f1: float | None
    per_class_recall: dict[str, float] | None
    confusion_matrix: list[list[int]] | None
    train_seconds: float | None
    cpu_seconds: float | None
    monitor_seconds: float | None
    predict_seconds: float | None
    model_bytes: int | None
    curve: list[CurvePoint]
    error: str | None
    setup_seconds: NotRequired[float | None]
    steps_done: NotRequired[float | None]
    planned_steps: NotRequired[int | None]
    unit: NotRequired[str | None]
    threads: NotRequired[dict[str, int] | None]
    params: NotRequired[dict[str, Any] | None]
    worker: NotRequired[str]  # what trained it: "thread" (terminal) or "QThread" (window)
    contention: NotRequired[dict[str, float] | None]  # other programs' mean and peak share of the CPU while it trained
    note: NotRequired[str | None]
    traceback: NotRequired[str | None]


class Verdict(TypedDict):
    """The answer to the tutorial's claim, with the target and each model's time to it."""

    target: float | None
    time_to_target: dict[str, float | None]
    claim_holds: bool | None
    text: str
    reason: NotRequired[str | None]
    target_source: NotRequired[str]
    keras_backend: NotRequired[str]
    simple_first_share: NotRequired[float | None]  # share of the target range a simpler model reached first
    timing_warning: NotRequired[str | None]  # other programs took the CPU while a model trained


class Interval(TypedDict):
    """A centre with its 95% confidence interval, or the range of 2 values (None bounds below two values).

    Files written before ``interval`` hold an unclamped t-interval around the arithmetic mean:
    ``models.system.formatting.read_interval`` reads them as this version writes.
    """

    mean: float | None  # the centre that ``centre`` names; always within [low, high]
    low: float | None
    high: float | None
    n: int
    interval: NotRequired[Literal["t", "log-t", "range"] | None]  # t: clamped to what the value can be; log-t: times
    centre: NotRequired[Literal["mean", "geometric mean"] | None]


class McNemar(TypedDict):
    """McNemar's exact test of two models on one run's test rows."""

    a: str
    b: str
    only_a: int
    only_b: int
    p_value: float
    rows: int
    accuracy_difference: float
    words: str


class Significance(TypedDict):
    """Paired tests on one run's test rows."""

    mcnemar: list[McNemar]


class ModelSummary(TypedDict):
    """One model over the seeds of a repeated race."""

    test_accuracy: Interval
    macro_f1: Interval
    train_seconds: Interval
    time_to_target: Interval
    reached: int
    runs: int


class Pairwise(TypedDict):
    """The corrected resampled t-test of two models across seeds."""

    a: str
    b: str
    metric: str
    mean_difference: float | None
    t: float | None
    df: int | None
    p_value: float | None
    prob_a_better: float | None
    repeats: int
    words: str


class RepeatRun(TypedDict):
    """One seed of a repeated race, as kept in the ``repeats`` block."""

    seed: int
    verdict: Verdict
    significance: NotRequired[Significance | None]
    models: dict[str, dict[str, Any]]  # status, test_accuracy, macro_f1, train_seconds, curve


class Repeats(TypedDict):
    """The ``repeats`` block: summaries, pairwise tests and every run."""

    count: int  # complete runs, the ones every figure counts
    planned: NotRequired[int]  # runs asked for
    interrupted: NotRequired[bool]  # a stop left some runs out or incomplete
    seeds: list[int]
    target: float | None
    summary: dict[str, ModelSummary]
    pairwise: list[Pairwise]
    claim_per_run: list[bool | None]
    runs: list[RepeatRun]


class SizePoint(TypedDict):
    """The race at one training-set size."""

    size: int
    rows: int
    target: float | None
    claim_holds: bool | None
    text: str
    models: dict[str, dict[str, Any]]  # test_accuracy and time_to_target intervals, reached


class SizeCurve(TypedDict):
    """The ``size_curve`` block."""

    sizes: list[int]  # the sizes that were complete, the ones every figure counts
    repeats: int
    points: list[SizePoint]
    planned_sizes: NotRequired[list[int]]
    interrupted: NotRequired[bool]


class Cluster(TypedDict):
    """The ``cluster`` block of a race grid: where it ran, what makes it this grid, and every cell's record."""

    kind: NotRequired[str]  # local (a LocalCluster modelrace started) or scheduler (one already running)
    address: NotRequired[str]
    workers: NotRequired[int]
    threads_per_race: NotRequired[int]
    dask: NotRequired[str | None]
    wall_seconds: NotRequired[float]
    grid: dict[str, Any]  # models.cluster.grid_plan.grid_fingerprint
    planned_cells: int
    cells: list[dict[str, Any]]  # models.cluster.records.cell_record, each with its own result (or None)


class Result(TypedDict):
    """A whole race result (schema 1) as written to and read from JSON."""

    schema: int
    created: NotRequired[str]
    wall_seconds: NotRequired[float]
    preset: str
    race: NotRequired[dict[str, Any]]  # mode, models, seed, stopped
    dataset: dict[str, Any]  # name, source, rows, features, classes, sha256, ... (Dataset.describe)
    split: dict[str, Any]  # seed, train, validation, test, fractions, stratified (Split.describe)
    environment: dict[str, Any]  # versions, CPU, cores, threads, backend, device (environment.describe)
    models: dict[str, ModelEntry]
    verdict: Verdict
    significance: NotRequired[Significance]
    repeats: NotRequired[Repeats]
    size_curve: NotRequired[SizeCurve]
    cluster: NotRequired[Cluster]
    notes: NotRequired[list[str]]
    profile: NotRequired[dict[str, Any]]  # time to every target (models.judging.profile); readers recompute it


def empty_model(status: Status, config: dict[str, Any], error: str | None = None, note: str | None = None) -> ModelEntry:
    """A model entry with every contract key, for a model that produced no scores."""
    entry: dict[str, Any] = {key: None for key in MODEL_KEYS}
    entry.update(status=status, config=config, curve=[], error=error)
    if note:
        entry["note"] = note
    return entry  # type: ignore[return-value]  # the loop above sets every key of ModelEntry (MODEL_KEYS)


def raced_models(result: Result) -> dict[str, ModelEntry]:
    """The models that were selected for the race (whatever became of them), in the registry's race order.

    Models not installed here (a plugin's, raced elsewhere) follow, in the file's order.
    """
    # Imported here: the registry loads every plugin, and a plugin may import this module.
    from modelrace.models.results.model_order import ordered

    return ordered({k: m for k, m in result["models"].items() if m.get("note") != NOT_SELECTED})
