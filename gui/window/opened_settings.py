"""The race settings a saved result was made with, read back for the window's controls (no Qt here).

Opening a result sets every control to these values, so that pressing Run races what the screen shows.
Older results do not record every setting by name; each is read from where the result keeps it (the
sample size from the dataset's rows, the target from where it came from, repeats and sizes from their
blocks, a grid's settings from its fingerprint).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modelrace.models.results.document import NOT_SELECTED, Result


@dataclass(frozen=True)
class OpenedSettings:
    """What a result says each control should show."""

    preset: str
    mode: str
    models: tuple[str, ...]
    configs: dict[str, dict[str, Any]]
    dataset: str
    seed: int
    test_fraction: float
    validation_fraction: float
    rows: int | None  # a stratified sample of this many rows, or None for all rows
    target: float | None  # the user's target, or None for the preset's fraction of the best
    repeats: int
    sizes: tuple[int, ...]
    keras_backend: str | None
    device: str
    run_on: dict[str, Any] = field(default_factory=dict)  # a grid's workers or scheduler (empty: this machine)


def opened_settings(result: Result) -> OpenedSettings:
    """The settings ``result`` was raced with."""
    race = result.get("race") or {}
    models = result["models"]
    raced = tuple(race.get("models") or [k for k, m in models.items() if m.get("note") != NOT_SELECTED])
    split = result["split"]
    dataset = result["dataset"]
    grid = ((result.get("cluster") or {}).get("grid") or {})
    size_curve = result.get("size_curve") or {}
    repeats = result.get("repeats") or {}
    if grid:
        rows = grid.get("rows")
    elif size_curve:
        rows = None  # each size is its own stratified sample of the whole data
    else:
        total = dataset.get("total_rows") or dataset["rows"]
        rows = dataset["rows"] if dataset["rows"] < total else None
    verdict = result.get("verdict") or {}
    target = verdict.get("target") if verdict.get("target_source") == "user" else None
    environment = result.get("environment") or {}
    return OpenedSettings(
        preset=str(result.get("preset") or "tutorial"),
        mode=str(race.get("mode") or environment.get("mode") or "fair"),
        models=raced,
        configs={k: dict(m.get("config") or {}) for k, m in models.items()},
        dataset=str(dataset["name"]),
        seed=int(split["seed"]),
        test_fraction=float(split["test_fraction"]),
        validation_fraction=float(split["validation_fraction"]),
        rows=rows,
        target=target,
        repeats=int(grid.get("repeats") or repeats.get("planned") or repeats.get("count") or 1),
        sizes=tuple(grid.get("sizes") or size_curve.get("planned_sizes") or size_curve.get("sizes") or ()),
        keras_backend=verdict.get("keras_backend") or environment.get("keras_backend"),
        device=str(environment.get("device") or "cpu"),
        run_on=_run_on(result.get("cluster") or {}),
    )


def _run_on(cluster: dict[str, Any]) -> dict[str, Any]:
    """The Run on box's state for a grid's ``cluster`` block (empty for a race on one machine)."""
    if not cluster:
        return {}
    if cluster.get("kind") == "scheduler":
        return {"kind": "scheduler", "scheduler": cluster.get("address") or "", "threads": cluster.get("threads_per_race")}
    return {"kind": "local", "workers": cluster.get("workers"), "threads": cluster.get("threads_per_race")}
