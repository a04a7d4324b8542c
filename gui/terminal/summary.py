"""The end-of-race summary printed by ``modelrace race``: a results table and the verdict."""

from __future__ import annotations

import textwrap
from typing import TextIO

from modelrace.models.judging.verdict import display_name
from modelrace.models.output.summary_table import COLUMNS, NUMERIC_FROM, summary_cells
from modelrace.models.results.document import Repeats, Result, SizeCurve, raced_models
from modelrace.models.system.formatting import ci_text
from modelrace.models.trainers.registry import label as model_label


def summary_rows(result: Result) -> list[tuple[str, ...]]:
    """Header plus one row per raced model."""
    header = tuple(name for name, _ in COLUMNS)
    return [header] + [summary_cells(k, m, result["verdict"]) for k, m in raced_models(result).items()]


def print_summary(result: Result, out: TextIO) -> None:
    """Print the results table, any errors, and the verdict."""
    rows = summary_rows(result)
    if result.get("repeats") and result["repeats"]["count"] > 1:
        out.write(f"\nFirst run (seed {result['split']['seed']}):")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out.write("\n")
    for i, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) if j < NUMERIC_FROM else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))) + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    for key, model in result["models"].items():
        if model["status"] == "failed":
            out.write(f"\n{display_name(key, start=True)} failed: {model['error']}\n")
    if result.get("repeats") and result["repeats"]["count"] > 1:
        _print_repeats(result["repeats"], out)
    if result.get("size_curve"):
        _print_sizes(result["size_curve"], out)
    verdict = result["verdict"]
    if verdict.get("target") is not None:
        out.write(f"\nTarget: {100 * verdict['target']:.1f}% validation accuracy ({verdict.get('target_source', '')})\n")
    out.write("\n" + textwrap.fill("Verdict: " + verdict["text"], width=100) + "\n")


def _print_table(rows: list[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        out.write("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))) + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _print_repeats(repeats: Repeats, out: TextIO) -> None:
    out.write(f"\nOver {repeats['count']} seeds ({', '.join(map(str, repeats['seeds']))}), mean ± 95% CI:\n")
    rows = [("Model", "Test acc", "Macro-F1", "Train s", "To target", "Reached")]
    for key, s in repeats["summary"].items():
        rows.append((model_label(key), ci_text(s["test_accuracy"], ".3f"), ci_text(s["macro_f1"], ".3f"),
                     ci_text(s["train_seconds"], ".2f"), ci_text(s["time_to_target"], ".2f", " s"), f"{s['reached']}/{s['runs']}"))
    _print_table(rows, out)
    for pair in repeats["pairwise"]:
        out.write(f"  {display_name(pair['a'], start=True)} vs {display_name(pair['b'])}: test accuracy differs by "
                  f"{pair['words']}; P({display_name(pair['a'])} better) = "
                  f"{'—' if pair['prob_a_better'] is None else format(pair['prob_a_better'], '.2f')}\n")


def _print_sizes(curve: SizeCurve, out: TextIO) -> None:
    out.write(f"\nBy training-set size ({curve['repeats']} seed(s) each):\n")
    keys = list(curve["points"][0]["models"]) if curve["points"] else []
    header = ("Train rows", *(f"{model_label(k)} acc" for k in keys), *(f"{model_label(k)} to target" for k in keys),
              "Claim")
    rows = [header]
    for p in curve["points"]:
        rows.append((f"{p['size']:,}", *(ci_text(p["models"][k]["test_accuracy"], ".3f") for k in keys),
                     *(ci_text(p["models"][k]["time_to_target"], ".2f", " s") for k in keys),
                     {True: "holds", False: "fails", None: "mixed"}[p["claim_holds"]]))
    _print_table(rows, out)
