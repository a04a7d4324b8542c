"""Report charts drawn with matplotlib's object API (no pyplot, no GUI backend): SVG for HTML, pages for PDF."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import numpy as np

from modelrace.models.judging.verdict import run_time_to_target
from modelrace.models.output.facts import class_labels
from modelrace.models.output.summary_table import bar_values, bars_label, repeat_count
from modelrace.models.results.document import ModelEntry, Result
from modelrace.models.results.installed import in_registry_order, ordered
from modelrace.models.system.colors import best_text_on, readable
from modelrace.models.system.formatting import FEWEST_FOR_CI, percent, read_interval
from modelrace.models.system.formatting import accuracy as format_accuracy
from modelrace.models.trainers import registry

TARGET_COLOR = "#E69F00"  # the window's
#: The target's colour beside a model drawn in :data:`TARGET_COLOR` (the registry hands out Okabe-Ito's orange too).
TARGET_COLOR_ELSE = "#444444"
#: Time axes turn logarithmic when the models' curves end this many times apart (or more).
LOG_TIME_RATIO = 10.0
#: A band is a 95% confidence band only from this many seeds on; below, the mean alone is drawn.
MIN_BAND_RUNS = FEWEST_FOR_CI


def _figure(width: float, height: float, into: Any = None) -> Any:
    """A new constrained-layout figure, or ``into`` (a page's subfigure) when given."""
    if into is not None:
        return into
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def model_color(key: str) -> str:
    """A model's colour, the window's (grey for a model not installed here)."""
    return registry.color(key)


def model_name(key: str) -> str:
    """Display name of a model in charts and report prose (its key for a model not installed here)."""
    return registry.label(key)


def target_color(keys: Iterable[str]) -> str:
    """The target line's colour beside models ``keys``: the window's orange, unless one of them is orange."""
    taken = {model_color(key).upper() for key in keys}
    return TARGET_COLOR_ELSE if TARGET_COLOR.upper() in taken else TARGET_COLOR


#: Legends with more entries than this go below their chart: inside it they would cover curves (five models and a target).
LEGEND_INSIDE_AT_MOST = 4


def _legend(axes: Any) -> None:
    """The curves' legend: where it covers least, or below the axes, in two columns, when it has many entries."""
    entries = len(axes.get_legend_handles_labels()[1])
    if entries <= LEGEND_INSIDE_AT_MOST:
        axes.legend(loc="best", fontsize=9)
    else:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8, frameon=False)


def _curved(result: Result) -> dict[str, ModelEntry]:
    """The models with a curve, in the registry's race order."""
    return ordered({k: m for k, m in result["models"].items() if m.get("curve")})


def wide_time_spread(end_times: Iterable[float | None]) -> bool:
    """True when the latest of ``end_times`` is more than :data:`LOG_TIME_RATIO` times the earliest.

    Then a linear time axis squeezes the fast models into a vertical line at its left, so the
    reports' time axes are logarithmic.
    """
    ends = [t for t in end_times if t is not None and t > 0]
    return len(ends) > 1 and max(ends) > LOG_TIME_RATIO * min(ends)


def log_time(result: Result) -> bool:
    """Whether every time axis of ``result``'s report is logarithmic: its models' curves end far apart."""
    return wide_time_spread(model["curve"][-1]["t"] for model in _curved(result).values())


def _mantissa(value: float) -> float:
    return round(float(value / 10 ** np.floor(np.log10(value))), 6)


def _one_two_five_between(low: float, high: float) -> int:
    """How many of 1, 2 and 5 times a power of ten lie in [low, high] (low > 0)."""
    decades = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
    return sum(low <= m * 10.0 ** e <= high for e in decades for m in (1, 2, 5))


def _plain_log_labels(axis: Any) -> None:
    """Label a log axis '0.1, 0.2, 0.5, 1, 2, 5' (not 10^-1), never every minor tick (they collide).

    On a short axis with fewer than two of those, every whole-mantissa tick is labelled ('0.3, 0.4').
    """
    from matplotlib.ticker import FuncFormatter

    def label(value: float, _: int = 0) -> str:
        if value <= 0:
            return ""
        low, high = sorted(axis.get_view_interval())
        mantissa = _mantissa(value)
        sparse = low > 0 and _one_two_five_between(low, high) < 2
        return f"{value:g}" if mantissa in (1.0, 2.0, 5.0) or (sparse and mantissa == round(mantissa)) else ""

    axis.set_major_formatter(FuncFormatter(label))
    axis.set_minor_formatter(FuncFormatter(label))


def _time_axis(axes: Any, log: bool, times: list[float]) -> None:
    """Training seconds on x, logarithmic or linear, ending near the data (not at the next round number)."""
    times = [t for t in times if t is not None and (t > 0 if log else t >= 0)]
    if log:
        axes.set_xscale("log")
        _plain_log_labels(axes.xaxis)
        if times:
            axes.set_xlim(min(times) / 1.15, max(times) * 1.15)
        axes.set_xlabel("training seconds (log), monitoring excluded")
    else:
        if times:
            axes.set_xlim(0, max(times) * 1.02)
        axes.set_xlabel("training seconds, monitoring excluded")


def _shown(t: list[float], values: list[Any], log: bool) -> tuple[list[float], list[Any]]:
    """The points a time axis can show: on a log axis, none at 0 s."""
    if not log:
        return t, values
    kept = [(a, b) for a, b in zip(t, values) if a > 0]
    return [a for a, _ in kept], [b for _, b in kept]


def band_drawn(band: dict) -> bool:
    """True if a ``mean_band`` (or ``mean_ci``) result is a 95% confidence band to draw.

    Not for a min-max range (``interval: "range"``) nor for fewer than :data:`MIN_BAND_RUNS` seeds:
    then the mean alone is drawn, and the legend says why.
    """
    runs = band.get("runs", band.get("n")) or 0
    return band.get("interval") != "range" and runs >= MIN_BAND_RUNS


def whisker_words(intervals: Iterable[dict | None]) -> str:
    """What error whiskers span, in the bar chart's words (``bars_label``): 'whiskers: 95% CI' or 'whiskers: range of N seeds'."""
    read = (read_interval(i) for i in intervals)
    shown = [i for i in read if i and i.get("low") is not None and i.get("high") is not None]
    if not shown:
        return ""
    if any(i.get("interval") == "range" for i in shown):
        runs = max(i.get("n") or 0 for i in shown)
        return f"whiskers: range of {runs} seeds"
    return "whiskers: 95% CI"


def accuracy_figure(result: Result, width: float = 7.5, height: float = 3.6, into: Any = None) -> Any:
    """Validation accuracy against training seconds, with the target line and time-to-target markers."""
    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    verdict = result["verdict"]
    target = verdict.get("target")
    log = log_time(result)
    drawn: list[float] = []
    target_ink = target_color(_curved(result))
    for key, model in _curved(result).items():
        t, acc = _shown([p["t"] for p in model["curve"]], [p["val_accuracy"] for p in model["curve"]], log)
        axes.plot(t, acc, color=model_color(key), linewidth=2, label=model_name(key))
        drawn += t
        reached = run_time_to_target(model, target)
        if reached is not None and reached in t:
            index = t.index(reached)
            axes.plot([reached], [acc[index]], "o", markersize=8, markerfacecolor=model_color(key),
                      markeredgecolor=target_ink, markeredgewidth=2)
    if target is not None:
        axes.axhline(target, color=target_ink, linestyle="--", linewidth=1.5, label=f"target {percent(target)}")
    _time_axis(axes, log, drawn)
    axes.set_ylabel("validation accuracy")
    axes.grid(True, which="both" if log else "major", alpha=0.3)
    _legend(axes)
    runs = repeat_count(result)
    one_of = f" (seed {result['split'].get('seed')}, one run of {runs})" if runs > 1 else ""
    axes.set_title(f"Validation accuracy while training{one_of}")
    return figure


def loss_figure(result: Result, width: float = 7.5, height: float = 3.0, into: Any = None) -> Any:
    """Validation loss (log scale) against training seconds."""
    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    log = log_time(result)
    drawn: list[float] = []
    for key, model in _curved(result).items():
        points = [(p["t"], p["val_loss"]) for p in model["curve"] if p.get("val_loss")]
        t, loss = _shown([t for t, _ in points], [v for _, v in points], log)
        if t:
            axes.plot(t, loss, color=model_color(key), linewidth=2, label=model_name(key))
            drawn += t
    axes.set_yscale("log")
    _plain_log_labels(axes.yaxis)
    _time_axis(axes, log, drawn)
    axes.set_ylabel("validation loss (log)")
    axes.grid(True, which="both", alpha=0.25)
    if drawn:
        axes.legend(loc="upper right", fontsize=9)
    axes.set_title("Validation loss (cross-entropy)")
    return figure


def accuracy_bars_figure(result: Result, width: float = 7.5, height: float = 2.2, into: Any = None) -> Any:
    """Horizontal bars of the final test accuracies."""
    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    scored = bar_values(result)
    rows = np.arange(len(scored))[::-1]
    for row, (key, accuracy, low, high) in zip(rows, scored):
        axes.barh(row, accuracy, color=model_color(key), height=0.6)
        if low is not None and high is not None:
            # The interval's own bounds: they need not be symmetric about the mean.
            axes.errorbar(accuracy, row, xerr=[[max(0.0, accuracy - low)], [max(0.0, high - accuracy)]],
                          color="#222222", capsize=4, lw=1.5)
        # At the bar's start, inside it: clear of the CI whisker around its end.
        axes.text(0.02, row, format_accuracy(accuracy), ha="left", va="center",
                  color=best_text_on(model_color(key)),
                  fontweight="bold")
    axes.set_yticks(rows, [model_name(k) for k, *_ in scored])
    axes.set_xlim(0, 1)
    axes.set_xlabel(bars_label(result))  # it says what the whiskers are
    axes.set_title("Final test accuracy")
    return figure


def confusion_figure(result: Result, width: float = 7.5, height: float = 2.9, into: Any = None,
                     columns: int | None = None, fontsize: float = 7.0, keys: Iterable[str] | None = None) -> Any:
    """One confusion-matrix heat map per scored model (of ``keys``, default all), shaded by each true class's share.

    Rows are named in full and columns briefly, as the window's matrices are (Covertype: cover
    types). ``columns``: matrices side by side (default: all in one row; a row with fewer keeps
    their width); ``fontsize`` of the counts.
    """
    chosen = ordered(result["models"]) if keys is None else {k: result["models"][k] for k in keys}
    scored = [(k, np.asarray(m["confusion_matrix"])) for k, m in chosen.items() if m.get("confusion_matrix")]
    figure = _figure(width, height, into)
    classes = result["dataset"]["classes"]
    columns = max(1, columns or len(scored))
    rows_of_plots = max(1, -(-len(scored) // columns))
    # Long names of other data would squeeze the matrices to nothing: the figure cuts them (the HTML has them whole).
    row_names = [_clipped(n, 20) for n in class_labels(result)]
    column_names = [_clipped(n, 12) for n in class_labels(result, short=True)]
    for i, (key, matrix) in enumerate(scored):
        axes = figure.add_subplot(rows_of_plots, columns, i + 1)
        shares = matrix / matrix.sum(axis=1, keepdims=True).clip(min=1)
        axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
        if len(classes) <= 10:
            from matplotlib import colormaps
            from matplotlib.colors import to_hex

            blues = colormaps["Blues"]
            for r in range(matrix.shape[0]):
                for c in range(matrix.shape[1]):
                    axes.text(c, r, str(int(matrix[r, c])), ha="center", va="center", fontsize=fontsize,
                              color=best_text_on(to_hex(blues(float(shares[r, c])))))
        ticks = range(len(classes))
        axes.set_xticks(ticks, column_names, fontsize=fontsize, rotation=45 if len(classes) > 3 else 0,
                        ha="right" if len(classes) > 3 else "center", rotation_mode="anchor")
        axes.set_yticks(ticks, row_names, fontsize=fontsize)
        axes.set_xlabel("predicted", fontsize=fontsize + 1)
        if i % columns:  # the row names stand once, left of each row of matrices: more room for the counts
            axes.tick_params(labelleft=False)
        else:
            axes.set_ylabel("true", fontsize=fontsize + 1)
        axes.set_title(model_name(key), fontsize=fontsize + 2.5, color=readable(model_color(key), "#ffffff"))
    return figure


def _clipped(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def svg(figure: Any) -> str:
    """The figure as an SVG document (text)."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    # Text stays text (not glyph outlines): smaller, selectable, and every SVG renderer draws it.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "modelrace"}):
        figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def band_figure(result: Result, width: float = 7.5, height: float = 3.6, into: Any = None) -> Any:
    """Mean validation accuracy across repeats against training seconds, with 95% confidence bands.

    What each line is (a mean of how many seeds, with a band or too few for one) is said once in the
    title when every model's is the same, else in each model's legend entry.
    """
    from modelrace.models.judging.bands import mean_band

    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    runs = result["repeats"]["runs"]
    log = log_time(result)
    drawn: list[float] = []
    lines: list[tuple[str, dict, list[float], list[float], list[float], list[float]]] = []
    for key in in_registry_order(result["repeats"]["summary"]):
        band = mean_band([run["models"][key]["curve"] for run in runs if run["models"].get(key)])
        if band is None:
            continue
        t, columns = _shown(band["t"], list(zip(band["mean"], band["low"], band["high"])), log)
        if t:
            mean, low, high = (list(c) for c in zip(*columns))
            lines.append((key, band, t, mean, low, high))
    kinds = {(line[1]["runs"], band_drawn(line[1])) for line in lines}
    for key, band, t, mean, low, high in lines:
        color = model_color(key)
        if band_drawn(band):
            axes.fill_between(t, low, high, color=color, alpha=0.2, linewidth=0)
        seeds = f"{band['runs']} seed{'' if band['runs'] == 1 else 's'}"
        note = f" (mean of {seeds}, {'95% band' if band_drawn(band) else 'too few for a 95% band'})"
        axes.plot(t, mean, color=color, linewidth=2, label=model_name(key) + (note if len(kinds) > 1 else ""))
        drawn += t
    target = result["repeats"].get("target")
    if target is not None:
        axes.axhline(target, color=target_color(result["repeats"]["summary"]), linestyle="--", linewidth=1.5,
                     label=f"target {percent(target)}")
    _time_axis(axes, log, drawn)
    axes.set_ylabel("validation accuracy")
    axes.grid(True, which="both" if log else "major", alpha=0.3)
    _legend(axes)
    count = result["repeats"]["count"]
    if len(kinds) == 1:
        (seeds, banded), = kinds
        axes.set_title(f"Mean over {seeds} seeds" + (", with 95% confidence bands" if banded else
                                                   ": too few for a 95% band"))
    else:
        banded = any(band_drawn(line[1]) for line in lines)
        axes.set_title(f"Mean over {count} seeds" + (", with 95% confidence bands" if banded else ""))
    return figure


def size_figure(result: Result, width: float = 7.5, height: float = 3.2, into: Any = None) -> Any:
    """Final test accuracy and time-to-target against training-set size (log axes)."""
    figure = _figure(width, height, into)
    accuracy_axes, time_axes = figure.subplots(1, 2)
    points = result["size_curve"]["points"]
    sizes = [p["size"] for p in points]
    for key in in_registry_order(points[0]["models"]) if points else []:
        color = model_color(key)
        acc = [read_interval(p["models"][key]["test_accuracy"]) for p in points]
        means = [a["mean"] for a in acc]
        # Each interval's own bounds (they need not be symmetric); none where there is no interval.
        errors = [[max(0.0, a["mean"] - a["low"]) if a.get("low") is not None else 0 for a in acc],
                  [max(0.0, a["high"] - a["mean"]) if a.get("high") is not None else 0 for a in acc]]
        accuracy_axes.errorbar(sizes, means, yerr=errors, color=color, marker="o", capsize=3, label=model_name(key))
        reached = [(s, p["models"][key]["time_to_target"]["mean"]) for s, p in zip(sizes, points)
                   if p["models"][key]["time_to_target"]["mean"] is not None]
        if reached:
            time_axes.plot(*zip(*reached), color=color, marker="o", label=model_name(key))
    from matplotlib.ticker import NullFormatter

    for axes in (accuracy_axes, time_axes):
        axes.set_xscale("log")
        axes.set_xticks(sizes, [f"{int(s):,}" for s in sizes])  # label the sizes raced, nothing else
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.set_xlabel("training rows")
        axes.grid(True, which="both", alpha=0.3)
    time_axes.set_yscale("log")
    _plain_log_labels(time_axes.yaxis)
    accuracy_axes.set_ylabel("test accuracy")
    time_axes.set_ylabel("training seconds to target (log)")
    whiskers = whisker_words(p["models"][key]["test_accuracy"] for p in points for key in p["models"])
    accuracy_axes.set_title("Final accuracy by data size" + (f"\n({whiskers})" if whiskers else ""))
    time_axes.set_title("Time to target by data size")
    accuracy_axes.legend(fontsize=8)
    return figure


def profile_figure(block: dict, width: float = 7.5, height: float = 3.2, into: Any = None) -> Any:
    """Time to every target: training seconds (log) against target accuracy, a step line per model.

    ``block`` is the result's profile (``models.output.profile_tables.result_profile``). A model's line
    ends at the best accuracy it reached: beyond it, it never got there. Over seeds, the line is the
    median with a band from the 25th to the 75th percentile.
    """
    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    if block:
        for key, steps in ordered(block["steps"]).items():
            if not steps:
                continue
            color = model_color(key)
            accuracies = [block["range"][0]] + [a for a, _ in steps]
            times = [steps[0][1]] + [t for _, t in steps]
            axes.step(accuracies, times, where="pre", color=color, linewidth=2, label=model_name(key))
            axes.plot(accuracies[-1], times[-1], marker="o", color=color)
            seeds = (block.get("seeds") or {}).get(key)
            if seeds:
                grid = block["grid"]
                band = [(x, lo, hi) for x, lo, hi in zip(grid, seeds["low"], seeds["high"]) if lo is not None and hi is not None]
                if band:
                    xs, los, his = zip(*band)
                    axes.fill_between(xs, los, his, step="pre", color=color, alpha=0.2, linewidth=0)
        axes.set_yscale("log")
        _plain_log_labels(axes.yaxis)
        axes.legend(loc="upper left", fontsize=9)
    axes.set_xlabel("target validation accuracy")
    axes.set_ylabel("training seconds to reach it (log)")
    axes.grid(True, which="both", alpha=0.25)
    axes.set_title("Time to every target (a line ends where its model never got further)")
    return figure
