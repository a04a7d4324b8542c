"""The end-of-race summary printed by ``modelrace race``: the evidence first, the results and the verdict last.

A terminal shows its last screen, so the summary ends with what decides the race: the evidence
tables (McNemar, t-tests, profile, sizes), the costs and the verdict's full text come first and may
scroll away; the results table, the target and the verdict's headline come last. Everything is cut
to the width by :mod:`.layout` (80 columns into a file or a pipe, the terminal's width up to 100 on
a terminal), never inside a number and its unit. On a terminal it is drawn with rich (bold
headings, a coloured verdict panel); into a file or a pipe it is plain text with the same words and
ASCII spaces.
"""

from __future__ import annotations

import re
from typing import TextIO

from modelrace.gui.terminal.layout import Table, laid_out, width_for, wrap
from modelrace.models.judging.headline import headline
from modelrace.models.judging.verdict import display_name
from modelrace.models.output.evidence import evidence_tables
from modelrace.models.output.summary_table import (
    DETAIL_COLUMNS, NUMERIC_FROM, caption, detail_rows, details_title, header, repeat_count, results_rows,
)
from modelrace.models.results.document import Result
from modelrace.models.system.formatting import percent

_VERDICT_STYLES = {True: "bold white on #007A5A", False: "bold white on #B54F00", None: "bold white on #5C5C5C"}
#: What the verdict's full text is headed by, above the results table.
FULL_VERDICT = "The verdict in full:"


def results_table(result: Result) -> Table:
    """The main table: the deciding numbers of each model (over the seeds, its caption says how)."""
    n = repeat_count(result)
    title = "Results"
    if n > 1:  # "Over 5 seeds: mean ± 95% CI (...). Status and costs: seed 0." (the caption, led by the seeds)
        text = re.sub(rf"\s*\bover {n} seeds\b", "", caption(result), flags=re.IGNORECASE).lstrip(": ")
        title = f"Over {n} seeds: {text[:1].lower()}{text[1:]}"
    return Table(title, header(result, compact=n > 1), results_rows(result), NUMERIC_FROM)


def evidence(result: Result) -> list[Table]:
    """The tables before the results: the evidence (McNemar, t-test, profile, sizes, cells), then the costs."""
    # Less the per-seed summary: the results table already holds those numbers.
    tables = [Table(title, head, rows) for title, head, rows in evidence_tables(result) if not title.startswith("Over ")]
    costs = Table(details_title(result), tuple(name for name, _ in DETAIL_COLUMNS), detail_rows(result))
    return tables + [costs]


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
    """Print the summary: with rich on a terminal, as plain text otherwise, cut to the width either way."""
    if out.isatty():
        _print_rich(result, out, width_for(out))
    else:
        _print_plain(result, out, width_for(out))


def _print_plain(result: Result, out: TextIO, width: int) -> None:
    lines: list[str] = []
    for table in evidence(result):
        lines += [""] + _plain_table(table, width)
    for text in failures(result):
        lines += [""] + wrap(text, width)
    lines += ["", FULL_VERDICT] + wrap(result["verdict"]["text"], width, indent="  ", hang="  ")
    lines += [""] + _plain_table(results_table(result), width)
    lines += [""] + [line for line, _ in _closing(result, width)]
    lines += wrap("Verdict: " + headline(result), width, hang="  ")
    out.write("\n".join(lines) + "\n")


def _plain_table(table: Table, width: int) -> list[str]:
    title, head, body = laid_out(table, width)
    if title and not title[-1].endswith((".", ":")):
        title[-1] += ":"
    return title + head + body


def _closing(result: Result, width: int) -> list[tuple[str, str]]:
    """The lines between the results and the headline: the target, then any timing warning, as (line, style)."""
    lines = [(line, "") for line in (wrap(target_line(result), width) if target_line(result) else [])]
    if result["verdict"].get("timing_warning"):
        lines += [(line, "bold yellow") for line in wrap("Warning: " + result["verdict"]["timing_warning"], width,
                                                         hang="  ")]
    return lines


def _print_rich(result: Result, out: TextIO, width: int) -> None:
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.text import Text

    console = Console(file=out, width=width, highlight=False)

    def say(line: str, style: str = "") -> None:
        console.print(Text(line, style=style, no_wrap=True, overflow="ignore"))

    def table(item: Table) -> None:
        title, head, body = laid_out(item, width, rule_char="─")
        for line in title:
            say(line, "bold")
        for line in head:
            say(line, "bold" if not line.startswith("─") else "dim")
        for line in body:
            say(line)

    for item in evidence(result):
        table(item)
        say("")
    for line in failures(result):
        for cut in wrap(line, width):
            say(cut, "bold red")
        say("")
    say(FULL_VERDICT, "bold")
    for line in wrap(result["verdict"]["text"], width, indent="  ", hang="  "):
        say(line)
    say("")
    table(results_table(result))
    say("")
    for line, style in _closing(result, width):
        say(line, style)
    verdict = result["verdict"]
    style = _VERDICT_STYLES[verdict.get("claim_holds")]
    body = Group(*(Text(line, style=style, no_wrap=True, overflow="ignore") for line in wrap(headline(result), width - 4)))
    console.print(Panel(body, title="Verdict", title_align="left", border_style=style.split(" on ")[1]))
