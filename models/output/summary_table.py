"""The results table's rows, shared by the terminal summary, the window's results table and the reports."""

from __future__ import annotations

from modelrace.models.judging.verdict import run_time_to_target
from modelrace.models.results.document import ModelEntry, Result, Verdict, raced_models
from modelrace.models.system.formatting import format_size
from modelrace.models.trainers.registry import label as model_label

#: (header, tooltip) of each column.
COLUMNS = (
    ("Model", ""),
    ("Status", "finished, stopped (partial model), failed or skipped"),
    ("Test acc", "accuracy on the held-out test rows"),
    ("Macro-F1", "mean F1 over the classes: rare classes count as much as common ones"),
    ("Train s", "training seconds, monitoring excluded"),
    ("CPU s", "CPU seconds spent training (all threads)"),
    ("Monitor s", "seconds spent evaluating the validation rows only to draw the live curve"),
    ("Predict s", "seconds to predict every test row"),
    ("Size", "bytes of the fitted model's parameters"),
    ("To target", "training seconds until the validation accuracy first reached the target"),
)
NUMERIC_FROM = 2  # columns from here on are numbers (right-aligned)


def _number(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _exact(value: float | None) -> str:
    """A score with the result file's own digits, so a report and its JSON agree to the last one."""
    return "—" if value is None else repr(value)


def summary_cells(key: str, model: ModelEntry, verdict: Verdict, exact_scores: bool = False) -> tuple[str, ...]:
    """One row of the results table, as text (time to target read off this run's curve).

    ``exact_scores`` shows test accuracy and macro-F1 with every digit of the result file (reports);
    otherwise with three decimals (terminal, window).
    """
    reached = run_time_to_target(model, verdict.get("target"))
    to_target = f"{reached:.2f} s" if reached is not None else ("never" if model["curve"] else "—")
    score = _exact if exact_scores else (lambda value: _number(value, ".3f"))
    return (
        model_label(key),
        model["status"],
        score(model["test_accuracy"]),
        score(model["macro_f1"]),
        _number(model["train_seconds"], ".2f"),
        _number(model["cpu_seconds"], ".2f"),
        _number(model["monitor_seconds"], ".3f"),
        _number(model["predict_seconds"], ".3f"),
        format_size(model["model_bytes"]),
        to_target,
    )


#: The results table's header in reports (the window and terminal use the shorter COLUMNS names).
RESULT_HEADER = ("Model", "Status", "Test accuracy", "Macro-F1", "Train s", "CPU s", "Monitor s", "Predict s", "Size",
                 "Time to target")


def results_rows(result: Result) -> list[tuple[str, ...]]:
    """The results table as text rows, scores with the result file's own digits (for reports)."""
    return [summary_cells(k, m, result["verdict"], exact_scores=True) for k, m in raced_models(result).items()]
