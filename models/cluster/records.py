"""A grid's cells as records, the result they combine into, and reading them back for ``--resume``.

The result is the same document as a repeated race or a size curve raced on one machine (the
``repeats`` and ``size_curve`` blocks, built by the same functions), plus a ``cluster`` block that
records where and how long each cell ran and keeps every cell's own result, so that a stopped
grid can be finished later with ``--resume``. Nothing here imports Dask.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, cast

from modelrace.models.cluster.grid_plan import GridCell, cell_rows, plan_cells
from modelrace.models.race.repeats import is_complete, repeats_result
from modelrace.models.race.settings import RaceSettings
from modelrace.models.race.sizes import size_curve_result, size_settings
from modelrace.models.results.document import Cluster, Result
from modelrace.models.results.files import load_result
from modelrace.models.system.errors import ConfigError

FINISHED, STOPPED, FAILED, CANCELLED = "finished", "stopped", "failed", "cancelled"
STATES = (FINISHED, STOPPED, FAILED, CANCELLED)


def cell_record(cell: GridCell, settings: RaceSettings, state: str, attempts: int, *, result: Result | None = None,
                where: dict | None = None, error: str | None = None) -> dict[str, Any]:
    """One cell's record: what it raced, how it ended, where it ran, and its own result (if it has one).

    A finished cell whose race was cut short by a stop is recorded as stopped: only complete races count.
    """
    if state == FINISHED and result is not None and not is_complete(result):
        state = STOPPED
    where = where or {}
    train = None
    if result is not None:
        train = round(sum(m.get("train_seconds") or 0.0 for m in result["models"].values()), 6)
    return {
        "key": cell.key,
        "seed": cell.seed,
        "size": cell.size,
        "rows": cell_rows(settings, cell),
        "state": state,
        "attempts": attempts,
        "error": error,
        **{field: where.get(field) for field in ("worker", "host", "pid", "cpu", "cores", "threads", "setup_seconds",
                                                 "wall_seconds")},
        "train_seconds": train,
        "result": result,
    }


def grid_result(settings: RaceSettings, records: dict[str, dict], cluster: dict[str, Any]) -> Result | None:
    """The combined result of the cells recorded so far (None while no cell has a result), with ``cluster``.

    Without sizes it is the repeated race's result over the seeds; with sizes, the size curve over
    every size whose seeds are all complete. The cells' results are copied first: combining sets
    each run's verdict, and the records must keep their own.
    """
    cells = plan_cells(settings)
    results = {key: copy.deepcopy(rec["result"]) for key, rec in records.items() if rec.get("result") is not None}
    if not results:
        return None
    seeds = sorted({cell.seed for cell in cells})
    if not settings.sizes:
        runs = [results[GridCell(seed).key] for seed in seeds if GridCell(seed).key in results]
        result = runs[0] if settings.repeats == 1 else repeats_result(runs, settings)
    else:
        raced = []
        for size in sorted(settings.sizes):
            runs = [results[GridCell(seed, size).key] for seed in seeds if GridCell(seed, size).key in results]
            if runs:
                raced.append((size, repeats_result(runs, size_settings(settings, size))))
        result = size_curve_result(raced, settings)
    failed = [rec for rec in records.values() if rec["state"] == FAILED]
    if failed:
        result["verdict"]["text"] += (f" {len(failed)} of {len(cells)} cells failed and are left out "
                                      f"({failed[0]['key']}: {failed[0]['error']}).")
    ordered = [records[cell.key] for cell in cells if cell.key in records]
    # ``cluster`` is the where block grid.py builds (the schema checks its keys when the result is read)
    result["cluster"] = cast(Cluster, {**cluster, "planned_cells": len(cells), "cells": ordered})
    return result


def finished_records(path: Path, settings: RaceSettings, fingerprint: dict[str, Any]) -> dict[str, dict]:
    """The finished cells of the grid saved at ``path``, for ``--resume``; ConfigError if it is another grid.

    Cells that were stopped, failed or cancelled are left out: a resumed grid races them again.
    """
    saved = load_result(path)
    block = saved.get("cluster")
    if not isinstance(block, dict):
        raise ConfigError(f"{path}: not a race grid's result (it has no cluster block); race it again without --resume")
    theirs = block.get("grid", {})
    for name, ours in fingerprint.items():
        if theirs.get(name) != ours:
            raise ConfigError(f"{path} was made with other settings ({name} {_shown(theirs.get(name))} there, "
                              f"{_shown(ours)} here); use the same settings, or race without --resume")
    keys = {cell.key for cell in plan_cells(settings)}
    return {rec["key"]: rec for rec in block.get("cells", [])
            if rec.get("state") == FINISHED and rec.get("key") in keys and rec.get("result") is not None}


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value) or "none"
    if isinstance(value, str) and len(value) == 64:
        return value[:12] + "…"
    return "none" if value is None else str(value)
