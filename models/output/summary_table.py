"""The results table, shared by the terminal summary, the window's results table and the reports.

The columns that decide the race come first: time to target, then test accuracy. What a model cost
besides (CPU, monitoring and prediction seconds, its size) is a separate details table, shown as a
tooltip in the window and as a second table in the reports. With repeats, every number of the main
table is summarised over the seeds (accuracies: mean ± 95% CI; times: geometric mean and its 95% CI;
with 2 seeds the range instead, see ``formatting.ci``), and the details say which seed they come
from, so no screen mixes the two.
"""

from __future__ import annotations

from modelrace.models.judging.verdict import run_time_to_target
from modelrace.models.results.document import ModelEntry, ModelSummary, Result, raced_models
from modelrace.models.system.formatting import (
    FEWEST_FOR_CI, MISSING, NEVER, accuracy, ci, format_size, read_interval, seconds, status_word, times_centre,
)
from modelrace.models.trainers.registry import label as model_label

#: (header, tooltip) of each main column.
COLUMNS = (
    ("Model", ""),
    ("To target", "training seconds until the validation accuracy first reached the target: this decides the race"),
    ("Test acc", "accuracy on the held-out test rows"),
    ("Train s", "training seconds, monitoring excluded"),
    ("Macro-F1", "mean F1 over the classes: rare classes count as much as common ones"),
    ("Status", "finished, stopped (a partial model), failed, or not run"),
)
#: Columns from here on are numbers (right-aligned).
NUMERIC_FROM = 1
#: The main columns summarised over the seeds with repeats (To target, Test acc, Train s, Macro-F1).
MEAN_COLUMNS = (1, 2, 3, 4)
#: Of those, the times (a geometric mean with a log-scale interval; the others a mean).
TIME_COLUMNS = (1, 3)
#: (header, tooltip) of each details column: what a model cost besides its training time.
DETAIL_COLUMNS = (
    ("Model", ""),
    ("CPU s", "CPU seconds spent training, all threads together"),
    ("Monitor s", "seconds spent scoring the validation rows only to draw the live curve (not counted as training)"),
    ("Predict s", "seconds to predict every test row"),
    ("Size", "bytes of the fitted model's parameters"),
)


def repeat_count(result: Result) -> int:
    """How many seeds the result's numbers are over (1 for a single race)."""
    repeats = result.get("repeats")
    return int(repeats.get("count", 1) or 1) if repeats else 1


def header(result: Result, compact: bool = False) -> tuple[str, ...]:
    """The main table's header; with repeats the summarised columns say how (``compact``: a caption says it instead).

    'Test acc (mean ± CI)', 'To target (geo. mean, CI)'; with 2 seeds '(mean, range)', '(geo. mean, range)'.
    """
    n = repeat_count(result)
    if n < 2 or compact:
        return tuple(name for name, _ in COLUMNS)
    spread = "CI" if n >= FEWEST_FOR_CI else "range"
    times = "geo. mean" if result_times_centre(result) == "geometric mean" else "mean"
    suffix = {i: (f"({times}, {spread})" if i in TIME_COLUMNS else "(mean ± CI)" if spread == "CI" else "(mean, range)")
              for i in MEAN_COLUMNS}
    return tuple(f"{name} {suffix[i]}" if i in suffix else name for i, (name, _) in enumerate(COLUMNS))


def caption(result: Result) -> str:
    """One line above the table on what its numbers are."""
    n = repeat_count(result)
    if n > 1:
        # One short line: the column tooltips say the rest (the log scale, why no CI from 2 seeds).
        spread = "Mean ± 95% CI" if n >= FEWEST_FOR_CI else "Mean and range"
        return (f"{spread} over {n} seeds (times: {result_times_centre(result)}). "
                f"Status and costs: seed {result['split'].get('seed')}.")
    return f"One run, seed {result['split'].get('seed')}."


def header_tips(result: Result) -> tuple[str, ...]:
    """Each main column's tooltip (with repeats: what the summary over the seeds is)."""
    n = repeat_count(result)
    times = result_times_centre(result)
    return tuple(f"{tip}; {_column_legend(i, n, times)}" if n > 1 and i in MEAN_COLUMNS else tip
                 for i, (_, tip) in enumerate(COLUMNS))


def result_times_centre(result: Result) -> str:
    """What the result's summarised times are: 'geometric mean', or 'mean' in a file written before."""
    return times_centre(entry[f] for entry in _summary(result).values() for f in ("train_seconds", "time_to_target"))


def _summary(result: Result) -> dict[str, ModelSummary]:
    """The repeats' summary by model ({} for a single race)."""
    repeats = result.get("repeats")
    return (repeats.get("summary") or {}) if repeats else {}


def _column_legend(column: int, n: int, times: str) -> str:
    """How a summarised column is worked out: 'mean ± 95% CI over 3 seeds, within 0–1'."""
    if n < FEWEST_FOR_CI:
        centre = times if column in TIME_COLUMNS else "mean"
        return f"{centre} and range (lowest–highest) over {n} seeds: too few for a 95% CI"
    if column in TIME_COLUMNS and times == "geometric mean":
        return f"geometric mean and 95% CI over {n} seeds, worked out on the log scale, so it stays above 0 s"
    return f"mean ± 95% CI over {n} seeds" + ("" if column in TIME_COLUMNS else ", within 0–1")


def summary_cells(key: str, model: ModelEntry, result: Result) -> tuple[str, ...]:
    """One row of the main table, as text: this run's numbers, or the means over the seeds of a repeated race."""
    summary = _summary(result).get(key) if repeat_count(result) > 1 else None
    if summary is not None:
        return _mean_cells(key, model, summary)
    reached = run_time_to_target(model, result["verdict"].get("target"))
    return (
        model_label(key),
        seconds(reached, missing=NEVER if model["curve"] else MISSING),
        accuracy(model["test_accuracy"]),
        seconds(model["train_seconds"]),
        accuracy(model["macro_f1"]),
        status_word(model["status"]),
    )


def _mean_cells(key: str, model: ModelEntry, summary: ModelSummary) -> tuple[str, ...]:
    # How many runs reached the target, when not all did (the header's tooltip says the rest).
    reached = f"{summary['reached']}/{summary['runs']}" if summary["reached"] != summary["runs"] else ""
    # With 2 seeds the caption says every interval is a range, so the cells need not; with more, a time
    # reached in only 2 runs is a range among confidence intervals and says so.
    said = summary["runs"] < FEWEST_FOR_CI
    return (
        model_label(key),
        _with_note(ci(summary["time_to_target"], "seconds", missing=NEVER, range_said=said), reached),
        ci(summary["test_accuracy"], range_said=said),
        ci(summary["train_seconds"], "seconds", range_said=said),
        ci(summary["macro_f1"], range_said=said),
        status_word(model["status"]),
    )


def _with_note(text: str, note: str) -> str:
    """'0.07 s (range 0.05–0.08 s; 2/3)': a note joins the brackets a cell already has."""
    if not note:
        return text
    return f"{text[:-1]}; {note})" if text.endswith(")") else f"{text} ({note})"


def bar_values(result: Result) -> list[tuple[str, float, float | None, float | None]]:
    """(model, test accuracy, low, high) for the bar charts: means over the seeds when repeated, else this run.

    The whiskers are the 95% CI, within [0, 1], or with 2 seeds the range; ``bars_label`` says which.
    """
    summary = _summary(result)
    repeated = repeat_count(result) > 1
    bars = []
    for key, model in raced_models(result).items():
        entry = summary.get(key)
        interval = read_interval(entry["test_accuracy"], "accuracy") if repeated and entry else None
        if interval and interval.get("mean") is not None:
            bars.append((key, interval["mean"], interval.get("low"), interval.get("high")))
        elif model["test_accuracy"] is not None:
            bars.append((key, model["test_accuracy"], None, None))
    return bars


def bars_label(result: Result) -> str:
    """The bar chart's axis label: what the bars and whiskers are."""
    n = repeat_count(result)
    if n < 2:
        return "test accuracy"
    return f"mean test accuracy ({'whiskers: 95% CI' if n >= FEWEST_FOR_CI else f'whiskers: range of {n} seeds'})"


def results_rows(result: Result) -> list[tuple[str, ...]]:
    """The main table's rows, one per raced model."""
    return [summary_cells(k, m, result) for k, m in raced_models(result).items()]


def details_title(result: Result) -> str:
    """What the details table holds: costs of one run, named by its seed when there were several."""
    seed = result["split"].get("seed")
    return f"Costs (seed {seed}, one run of {repeat_count(result)})" if repeat_count(result) > 1 else "Costs"


def detail_cells(key: str, model: ModelEntry) -> tuple[str, ...]:
    """One row of the details table."""
    return (model_label(key), seconds(model["cpu_seconds"]), seconds(model["monitor_seconds"]),
            seconds(model["predict_seconds"]), format_size(model["model_bytes"]))


def detail_rows(result: Result) -> list[tuple[str, ...]]:
    """The details table's rows, one per raced model."""
    return [detail_cells(k, m) for k, m in raced_models(result).items()]


def details_tooltip(key: str, model: ModelEntry, result: Result) -> str:
    """The details of one model as lines, for the window's tooltip."""
    cells = detail_cells(key, model)
    lines = [details_title(result) + ":"] + [f"{name}: {cell}" for (name, _), cell in zip(DETAIL_COLUMNS[1:], cells[1:])]
    if model.get("error"):
        lines.append(f"Error: {model['error']}")
    return "\n".join(lines)
