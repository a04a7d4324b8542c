"""Report charts drawn with matplotlib's object API (no pyplot, no GUI backend): SVG for HTML, pages for PDF."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from modelrace.models.trainers.registry import LABELS as MODEL_LABELS
from modelrace.models.trainers.registry import MODEL_COLORS
from modelrace.models.judging.verdict import run_time_to_target
from modelrace.models.output.summary_table import bar_values, bars_label
from modelrace.models.system.colors import best_text_on
from modelrace.models.system.formatting import accuracy as format_accuracy
from modelrace.models.system.formatting import percent

COLORS = MODEL_COLORS  # the window's colours
TARGET_COLOR = "#E69F00"
LABELS = MODEL_LABELS


def _figure(width: float, height: float, into: Any = None) -> Any:
    """A new constrained-layout figure, or ``into`` (a page's subfigure) when given."""
    if into is not None:
        return into
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _curved(result: dict) -> dict[str, dict]:
    return {k: m for k, m in result["models"].items() if m.get("curve")}


def accuracy_figure(result: dict, width: float = 7.5, height: float = 3.6, into: Any = None) -> Any:
    """Validation accuracy against training seconds, with the target line and time-to-target markers."""
    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    verdict = result["verdict"]
    target = verdict.get("target")
    for key, model in _curved(result).items():
        t = [p["t"] for p in model["curve"]]
        acc = [p["val_accuracy"] for p in model["curve"]]
        axes.plot(t, acc, color=COLORS.get(key, "#CC79A7"), linewidth=2, label=LABELS.get(key, key))
        reached = run_time_to_target(model, target)
        if reached is not None:
            index = t.index(reached)
            axes.plot([reached], [acc[index]], "o", markersize=8, markerfacecolor=COLORS.get(key, "#CC79A7"),
                      markeredgecolor=TARGET_COLOR, markeredgewidth=2)
    if target is not None:
        axes.axhline(target, color=TARGET_COLOR, linestyle="--", linewidth=1.5, label=f"target {percent(target)}")
    axes.set_xlabel("training seconds (monitoring excluded)")
    axes.set_ylabel("validation accuracy")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower right", fontsize=9)
    axes.set_title("Validation accuracy while training")
    return figure


def loss_figure(result: dict, width: float = 7.5, height: float = 3.0, into: Any = None) -> Any:
    """Validation loss (log scale) against training seconds."""
    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    for key, model in _curved(result).items():
        points = [(p["t"], p["val_loss"]) for p in model["curve"] if p.get("val_loss")]
        if points:
            t, loss = zip(*points)
            axes.plot(t, loss, color=COLORS.get(key, "#CC79A7"), linewidth=2, label=LABELS.get(key, key))
    axes.set_yscale("log")
    from matplotlib.ticker import FuncFormatter

    def one_two_five(value: float, _: int) -> str:
        # Label 1-2-5 steps only: labelling every minor tick (2..9) makes the labels collide.
        mantissa = value / 10 ** np.floor(np.log10(value)) if value > 0 else 0
        return f"{value:g}" if round(mantissa, 6) in (1.0, 2.0, 5.0) else ""

    axes.yaxis.set_major_formatter(FuncFormatter(one_two_five))
    axes.yaxis.set_minor_formatter(FuncFormatter(one_two_five))
    axes.set_xlabel("training seconds (monitoring excluded)")
    axes.set_ylabel("validation loss (log)")
    axes.grid(True, which="both", alpha=0.25)
    axes.legend(loc="upper right", fontsize=9)
    axes.set_title("Validation loss (cross-entropy)")
    return figure


def accuracy_bars_figure(result: dict, width: float = 7.5, height: float = 2.2, into: Any = None) -> Any:
    """Horizontal bars of the final test accuracies."""
    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    scored = bar_values(result)
    rows = np.arange(len(scored))[::-1]
    for row, (key, accuracy, low, high) in zip(rows, scored):
        axes.barh(row, accuracy, color=COLORS.get(key, "#CC79A7"), height=0.6)
        if low is not None and high is not None:
            axes.errorbar(accuracy, row, xerr=[[accuracy - low], [high - accuracy]], color="#222222", capsize=4, lw=1.5)
        # At the bar's start, inside it: clear of the CI whisker around its end.
        axes.text(0.02, row, format_accuracy(accuracy), ha="left", va="center",
                  color=best_text_on(COLORS.get(key, "#CC79A7")),
                  fontweight="bold")
    axes.set_yticks(rows, [LABELS.get(k, k) for k, *_ in scored])
    axes.set_xlim(0, 1)
    axes.set_xlabel(bars_label(result))
    axes.set_title("Final test accuracy")
    return figure


def confusion_figure(result: dict, width: float = 7.5, height: float = 2.9, into: Any = None) -> Any:
    """One confusion-matrix heat map per scored model, shaded by each true class's share."""
    scored = [(k, np.asarray(m["confusion_matrix"])) for k, m in result["models"].items() if m.get("confusion_matrix")]
    figure = _figure(width, height, into)
    classes = result["dataset"]["classes"]
    for i, (key, matrix) in enumerate(scored):
        axes = figure.add_subplot(1, max(1, len(scored)), i + 1)
        shares = matrix / matrix.sum(axis=1, keepdims=True).clip(min=1)
        axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
        if len(classes) <= 10:
            from matplotlib import colormaps
            from matplotlib.colors import to_hex

            blues = colormaps["Blues"]
            for r in range(matrix.shape[0]):
                for c in range(matrix.shape[1]):
                    axes.text(c, r, str(int(matrix[r, c])), ha="center", va="center", fontsize=6.5,
                              color=best_text_on(to_hex(blues(float(shares[r, c])))))
        ticks = range(len(classes))
        labels = [c if len(c) <= 6 else c[:5] + "…" for c in classes]
        axes.set_xticks(ticks, labels, fontsize=7)
        axes.set_yticks(ticks, labels, fontsize=7)
        axes.set_xlabel("predicted", fontsize=8)
        axes.set_ylabel("true", fontsize=8)
        axes.set_title(LABELS.get(key, key), fontsize=9, color=COLORS.get(key, "black"))
    return figure


def svg(figure: Any) -> str:
    """The figure as an SVG document (text)."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    # Text stays text (not glyph outlines): smaller, selectable, and every SVG renderer draws it.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "modelrace"}):
        figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def model_name(key: str) -> str:
    """Display name of a model in report prose."""
    return LABELS.get(key, key)


def band_figure(result: dict, width: float = 7.5, height: float = 3.6, into: Any = None) -> Any:
    """Mean validation accuracy across repeats against training seconds, with 95% confidence bands."""
    from modelrace.models.judging.bands import mean_band

    figure = _figure(width, height, into)
    axes = figure.add_subplot()
    runs = result["repeats"]["runs"]
    for key in result["repeats"]["summary"]:
        band = mean_band([run["models"][key]["curve"] for run in runs])
        if band is None:
            continue
        color = COLORS.get(key, "#CC79A7")
        axes.fill_between(band["t"], band["low"], band["high"], color=color, alpha=0.2, linewidth=0)
        axes.plot(band["t"], band["mean"], color=color, linewidth=2, label=f"{LABELS.get(key, key)} (mean of {band['runs']})")
    target = result["repeats"].get("target")
    if target is not None:
        axes.axhline(target, color=TARGET_COLOR, linestyle="--", linewidth=1.5, label=f"target {percent(target)}")
    axes.set_xlabel("training seconds (monitoring excluded)")
    axes.set_ylabel("validation accuracy")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower right", fontsize=9)
    axes.set_title(f"Mean over {result['repeats']['count']} seeds, with 95% confidence bands")
    return figure


def size_figure(result: dict, width: float = 7.5, height: float = 3.2, into: Any = None) -> Any:
    """Final test accuracy and time-to-target against training-set size (log axes)."""
    figure = _figure(width, height, into)
    accuracy_axes, time_axes = figure.subplots(1, 2)
    points = result["size_curve"]["points"]
    sizes = [p["size"] for p in points]
    for key in points[0]["models"] if points else []:
        color = COLORS.get(key, "#CC79A7")
        acc = [p["models"][key]["test_accuracy"] for p in points]
        means = [a["mean"] for a in acc]
        errors = [[(a["mean"] - a["low"]) if a["low"] is not None else 0 for a in acc],
                  [(a["high"] - a["mean"]) if a["high"] is not None else 0 for a in acc]]
        accuracy_axes.errorbar(sizes, means, yerr=errors, color=color, marker="o", capsize=3, label=LABELS.get(key, key))
        reached = [(s, p["models"][key]["time_to_target"]["mean"]) for s, p in zip(sizes, points)
                   if p["models"][key]["time_to_target"]["mean"] is not None]
        if reached:
            time_axes.plot(*zip(*reached), color=color, marker="o", label=LABELS.get(key, key))
    from matplotlib.ticker import NullFormatter

    for axes in (accuracy_axes, time_axes):
        axes.set_xscale("log")
        axes.set_xticks(sizes, [f"{int(s):,}" for s in sizes])  # label the sizes raced, nothing else
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.set_xlabel("training rows")
        axes.grid(True, which="both", alpha=0.3)
    time_axes.set_yscale("log")
    accuracy_axes.set_ylabel("test accuracy")
    time_axes.set_ylabel("seconds to target (log)")
    accuracy_axes.set_title("Final accuracy by data size")
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
        for key, steps in block["steps"].items():
            if not steps:
                continue
            color = COLORS.get(key, "#CC79A7")
            accuracies = [block["range"][0]] + [a for a, _ in steps]
            times = [steps[0][1]] + [t for _, t in steps]
            axes.step(accuracies, times, where="pre", color=color, linewidth=2, label=LABELS.get(key, key))
            axes.plot(accuracies[-1], times[-1], marker="o", color=color)
            seeds = (block.get("seeds") or {}).get(key)
            if seeds:
                grid = block["grid"]
                band = [(x, lo, hi) for x, lo, hi in zip(grid, seeds["low"], seeds["high"]) if lo is not None and hi is not None]
                if band:
                    xs, los, his = zip(*band)
                    axes.fill_between(xs, los, his, step="pre", color=color, alpha=0.2, linewidth=0)
        axes.set_yscale("log")
        axes.legend(loc="upper left", fontsize=9)
    axes.set_xlabel("target validation accuracy")
    axes.set_ylabel("training seconds to reach it (log)")
    axes.grid(True, which="both", alpha=0.25)
    axes.set_title("Time to every target (a line ends where its model never got further)")
    return figure
