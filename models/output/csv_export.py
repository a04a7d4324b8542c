"""The curves, the summary and the time to every target as CSV files (long format), written atomically."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from modelrace.models.judging.verdict import run_time_to_target
from modelrace.models.output.profile_tables import result_profile
from modelrace.models.results.document import Result
from modelrace.models.results.installed import ordered
from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.errors import OutputError

SUMMARY_FIELDS = (
    "status", "test_accuracy", "macro_f1", "train_seconds", "cpu_seconds", "monitor_seconds", "predict_seconds",
    "setup_seconds", "model_bytes", "time_to_target", "error",
)


#: Every file the CSV export can write, in order (the last two only for a result with a profile).
CSV_FILES = ("curves.csv", "summary.csv", "profile.csv", "budgets.csv")


def csv_tables(result: Result) -> list[tuple[str, str]]:
    """(file name, CSV text) of every file the export writes for ``result``, in order.

    ``curves.csv`` (long format) and ``summary.csv`` always; ``profile.csv`` (time to every target)
    and ``budgets.csv`` (best accuracy within each budget) when the result has a profile. The one
    list the export writes and the window names.
    """
    curves, summary, profile, budgets = CSV_FILES
    tables = [(curves, _curves(result)), (summary, _summary(result))]
    block = result_profile(result)
    if block:
        tables += [(profile, _profile(block)), (budgets, _budgets(block))]
    return tables


def csv_file_names(result: Result) -> list[str]:
    """The names of the files :func:`write_csv` writes for ``result``, in order."""
    return [name for name, _ in csv_tables(result)]


def write_csv(result: Result, folder: Path) -> list[Path]:
    """Write :func:`csv_tables` into ``folder`` (created if missing); return their paths."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; --csv needs a folder (it is created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror}); choose a writable place") from exc
    paths = []
    for name, text in csv_tables(result):
        write_text_atomic(folder / name, text)
        paths.append(folder / name)
    return paths


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def _curves(result: Result) -> str:
    return _csv(["model", "t", "step", "unit", "val_accuracy", "val_loss"],
                ([key, p["t"], p["step"], p["unit"], p["val_accuracy"], p["val_loss"]]
                 for key, model in ordered(result["models"]).items() for p in model["curve"]))


def _summary(result: Result) -> str:
    target = result["verdict"].get("target")
    rows = []
    for key, model in ordered(result["models"]).items():
        values = {**model, "time_to_target": run_time_to_target(model, target)}
        rows.append([key, *("" if values.get(f) is None else values.get(f) for f in SUMMARY_FIELDS)])
    return _csv(["model", *SUMMARY_FIELDS], rows)


def _profile(block: dict) -> str:
    # Each model's steps: a target up to `accuracy` took `seconds`.
    return _csv(["model", "accuracy", "seconds"],
                ([key, accuracy, seconds] for key, steps in ordered(block["steps"]).items() for accuracy, seconds in steps))


def _budgets(block: dict) -> str:
    return _csv(["model", "budget_seconds", "best_val_accuracy"],
                ([key, budget, "" if best is None else best]
                 for key, values in ordered(block["budgets"]["best"]).items()
                 for budget, best in zip(block["budgets"]["seconds"], values)))
