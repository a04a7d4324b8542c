"""The curves, the summary and the time to every target as CSV files (long format), written atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from modelrace.models.judging.verdict import run_time_to_target
from modelrace.models.output.profile_tables import result_profile
from modelrace.models.results.document import Result
from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.errors import OutputError

SUMMARY_FIELDS = (
    "status", "test_accuracy", "macro_f1", "train_seconds", "cpu_seconds", "monitor_seconds", "predict_seconds",
    "setup_seconds", "model_bytes", "time_to_target", "error",
)


def write_csv(result: Result, folder: Path) -> list[Path]:
    """Write ``curves.csv`` (long format) and ``summary.csv`` into ``folder``; return their paths."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; --csv needs a folder (it is created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror}); choose a writable place") from exc
    curves = io.StringIO()
    writer = csv.writer(curves, lineterminator="\n")
    writer.writerow(["model", "t", "step", "unit", "val_accuracy", "val_loss"])
    for key, model in result["models"].items():
        for p in model["curve"]:
            writer.writerow([key, p["t"], p["step"], p["unit"], p["val_accuracy"], p["val_loss"]])
    summary = io.StringIO()
    writer = csv.writer(summary, lineterminator="\n")
    writer.writerow(["model", *SUMMARY_FIELDS])
    target = result["verdict"].get("target")
    for key, model in result["models"].items():
        values = {**model, "time_to_target": run_time_to_target(model, target)}
        writer.writerow([key, *("" if values.get(f) is None else values.get(f) for f in SUMMARY_FIELDS)])
    paths = [folder / "curves.csv", folder / "summary.csv"]
    texts = [curves.getvalue(), summary.getvalue()]
    block = result_profile(result)
    if block:
        # Time to every target: each model's steps (a target up to `accuracy` took `seconds`), and budgets.
        profile = io.StringIO()
        writer = csv.writer(profile, lineterminator="\n")
        writer.writerow(["model", "accuracy", "seconds"])
        for key, steps in block["steps"].items():
            writer.writerows([key, accuracy, seconds] for accuracy, seconds in steps)
        budgets = io.StringIO()
        writer = csv.writer(budgets, lineterminator="\n")
        writer.writerow(["model", "budget_seconds", "best_val_accuracy"])
        for key, values in block["budgets"]["best"].items():
            writer.writerows([key, budget, "" if best is None else best]
                             for budget, best in zip(block["budgets"]["seconds"], values))
        paths += [folder / "profile.csv", folder / "budgets.csv"]
        texts += [profile.getvalue(), budgets.getvalue()]
    for path, text in zip(paths, texts):
        write_text_atomic(path, text)
    return paths
