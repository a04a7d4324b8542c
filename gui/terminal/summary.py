"""The end-of-race summary printed by ``modelrace race``: the results table, then the verdict.

On a terminal it is drawn with rich (tables, a coloured verdict panel); into a file or a pipe it is
plain, aligned text, so logs and scripts read the same words without escape codes. Both lead with the
verdict's one-sentence headline and put the evidence after it.
"""

from __future__ import annotations

import io
import textwrap
from typing import TextIO

from modelrace.models.judging.headline import headline
from modelrace.models.judging.verdict import display_name
from modelrace.models.output.evidence import evidence_tables
from modelrace.models.output.summary_table import (
    DETAIL_COLUMNS, NUMERIC_FROM, detail_rows, details_title, header, repeat_count, results_rows,
)
from modelrace.models.results.document import Result
from modelrace.models.system.formatting import NBSP, percent

Table = tuple[str, tuple[str, ...], list[tuple[str, ...]]]
_VERDICT_STYLES = {True: "bold white on #007A5A", False: "bold white on #B54F00", None: "bold white on #5C5C5C"}


def summary_tables(result: Result) -> list[Table]:
    """The tables of the summary, in order: results, costs, then the evidence (McNemar, seeds, sizes)."""
    title = f"Over {repeat_count(result)} seeds" if repeat_count(result) > 1 else "Results"
    tables: list[Table] = [(title, header(result), results_rows(result)),
                           (details_title(result), tuple(name for name, _ in DETAIL_COLUMNS), detail_rows(result))]
    # The evidence, less the per-seed summary: the results table already holds those means.
    return tables + [t for t in evidence_tables(result) if not t[0].startswith("Over ")]


def failures(result: Result) -> list[str]:
    """One line per failed model."""
    return [f"{display_name(key, start=True)} failed: {model['error']}"
            for key, model in result["models"].items() if model["status"] == "failed"]


def target_line(result: Result) -> str:
    """What the target was and where it came from."""
    verdict = result["verdict"]
    if verdict.get("target") is None:
        return ""
    return f"Target: {percent(verdict['target'])} validation accuracy ({verdict.get('target_source', '')})"


def print_summary(result: Result, out: TextIO) -> None:
    """Print the summary: with rich on a terminal, as plain text otherwise."""
    if out.isatty():
        _print_rich(result, out)
    else:
        _print_plain(result, out)


def _print_plain(result: Result, out: TextIO) -> None:
    text = io.StringIO()
    for title, head, rows in summary_tables(result):
        text.write(f"\n{title}:\n")
        _plain_table(head, rows, text)
    for line in failures(result):
        text.write(f"\n{line}\n")
    if target_line(result):
        text.write(f"\n{target_line(result)}\n")
    if result["verdict"].get("timing_warning"):
        text.write(textwrap.fill("Warning: " + result["verdict"]["timing_warning"], width=100) + "\n")
    text.write(textwrap.fill("Verdict: " + headline(result), width=100, subsequent_indent="  ") + "\n")
    text.write(textwrap.fill(result["verdict"]["text"], width=100, initial_indent="  ", subsequent_indent="  ") + "\n")
    # Wrapped with no-break spaces (a number stays with its unit), written with plain ones: logs get ASCII spaces.
    out.write(text.getvalue().replace(NBSP, " "))


def _plain_table(head: tuple[str, ...], rows: list[tuple[str, ...]], out: TextIO) -> None:
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    for i, row in enumerate([head, *rows]):
        out.write("  ".join(str(c).ljust(w) if j < NUMERIC_FROM else str(c).rjust(w)
                            for j, (c, w) in enumerate(zip(row, widths))).rstrip() + "\n")
        if i == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _print_rich(result: Result, out: TextIO) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=out, highlight=False)
    for title, head, rows in summary_tables(result):
        table = RichTable(title=title, title_justify="left", title_style="bold")
        for i, name in enumerate(head):
            table.add_column(name, justify="left" if i < NUMERIC_FROM else "right")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    for line in failures(result):
        console.print(f"[bold red]{line}[/]", markup=True)
    if target_line(result):
        console.print(target_line(result), markup=False)
    if result["verdict"].get("timing_warning"):
        console.print(Text("Warning: " + result["verdict"]["timing_warning"], style="bold yellow"))
    verdict = result["verdict"]
    style = _VERDICT_STYLES[verdict.get("claim_holds")]
    body = Text(headline(result), style=style)
    body.append("\n\n" + verdict["text"], style="default")
    console.print(Panel(body, title="Verdict", title_align="left", border_style=style.split(" on ")[1]))
