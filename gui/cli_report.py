"""The end-of-race summary printed by ``modelrace race``: a results table and the verdict."""

from __future__ import annotations

import textwrap
from typing import TextIO

from modelrace.models.registry import TRAINERS
from modelrace.models.verdict import display_name


def _fmt(value: object, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _size(nbytes: int | None) -> str:
    if nbytes is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if nbytes < 1000 or unit == "GB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1000
    return ""


def summary_rows(result: dict) -> list[tuple[str, ...]]:
    """Header plus one row per raced model."""
    verdict = result["verdict"]
    rows = [("model", "status", "test acc", "macro-F1", "train s", "CPU s", "monitor s", "predict s", "size", "to target")]
    for key, model in result["models"].items():
        if model["status"] == "skipped" and model.get("note") == "not selected for this race":
            continue
        reached = verdict.get("time_to_target", {}).get(key)
        rows.append((
            TRAINERS[key].label if key in TRAINERS else key,
            model["status"],
            _fmt(model["test_accuracy"], ".3f"),
            _fmt(model["macro_f1"], ".3f"),
            _fmt(model["train_seconds"], ".2f"),
            _fmt(model["cpu_seconds"], ".2f"),
            _fmt(model["monitor_seconds"], ".3f"),
            _fmt(model["predict_seconds"], ".3f"),
            _size(model["model_bytes"]),
            "never" if reached is None and model["curve"] else _fmt(reached, ".2f") + (" s" if reached is not None else ""),
        ))
    return rows


def print_summary(result: dict, out: TextIO) -> None:
    """Print the results table, any errors, and the verdict."""
    rows = summary_rows(result)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out.write("\n")
    for i, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) if j < 2 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))) + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    for key, model in result["models"].items():
        if model["status"] == "failed":
            out.write(f"\n{display_name(key, start=True)} failed: {model['error']}\n")
    verdict = result["verdict"]
    if verdict.get("target") is not None:
        out.write(f"\nTarget: {100 * verdict['target']:.1f}% validation accuracy ({verdict.get('target_source', '')})\n")
    out.write("\n" + textwrap.fill("Verdict: " + verdict["text"], width=100) + "\n")
