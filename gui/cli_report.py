"""The end-of-race summary printed by ``modelrace race``: a results table and the verdict."""

from __future__ import annotations

import textwrap
from typing import TextIO

from modelrace.gui.summary_table import COLUMNS, NUMERIC_FROM, raced_models, summary_cells
from modelrace.models.verdict import display_name


def summary_rows(result: dict) -> list[tuple[str, ...]]:
    """Header plus one row per raced model."""
    header = tuple(name for name, _ in COLUMNS)
    return [header] + [summary_cells(k, m, result["verdict"]) for k, m in raced_models(result).items()]


def print_summary(result: dict, out: TextIO) -> None:
    """Print the results table, any errors, and the verdict."""
    rows = summary_rows(result)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out.write("\n")
    for i, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) if j < NUMERIC_FROM else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))) + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    for key, model in result["models"].items():
        if model["status"] == "failed":
            out.write(f"\n{display_name(key, start=True)} failed: {model['error']}\n")
    verdict = result["verdict"]
    if verdict.get("target") is not None:
        out.write(f"\nTarget: {100 * verdict['target']:.1f}% validation accuracy ({verdict.get('target_source', '')})\n")
    out.write("\n" + textwrap.fill("Verdict: " + verdict["text"], width=100) + "\n")
