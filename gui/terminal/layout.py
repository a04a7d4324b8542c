"""Text laid out for a terminal's width: wrapped paragraphs, and tables that fit it.

A number and its unit are joined by a no-break space (``formatting.NBSP``: "0.16 s"), but rich and
terminals still break a line there. So every line is cut here, at ordinary spaces only, and the
no-break spaces become plain ones only after the cut: nothing is left for a terminal to wrap, and
no number is parted from its unit. A table too wide for the width wraps its cells' words over
several lines, choosing the column widths that make it shortest; when even that cannot fit, it is
turned on its side, or else written as one block per row.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from modelrace.models.system.formatting import NBSP

#: The width of piped output, and the least a terminal is laid out for.
WIDTH = 80
#: The widest a terminal's text is laid out: longer lines are hard to read.
MAX_WIDTH = 100
#: Spaces between two columns of a table.
GAP = 2


def width_for(stream: TextIO) -> int:
    """Columns to lay out for: the terminal's (COLUMNS if set) up to MAX_WIDTH, or WIDTH into a file or a pipe."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        tty = False
    if not tty:
        return WIDTH
    columns = os.environ.get("COLUMNS", "")
    size = int(columns) if columns.isdigit() else shutil.get_terminal_size((WIDTH, 24)).columns
    return max(40, min(MAX_WIDTH, size))


def plain_spaces(text: str) -> str:
    """``text`` with its no-break spaces made plain, once its lines are cut."""
    return text.replace(NBSP, " ")


def wrap(text: str, width: int, indent: str = "", hang: str = "") -> list[str]:
    """``text`` cut into lines of at most ``width`` columns at ordinary spaces (each line of it on its own).

    ``indent`` starts the first line, ``hang`` the others. A word longer than a whole line (a long
    path) is cut too, so that no line is ever wider than ``width``.
    """
    lines: list[str] = []
    first = indent
    for paragraph in text.split("\n"):
        cut = textwrap.wrap(paragraph, width, initial_indent=first, subsequent_indent=hang, break_on_hyphens=False,
                            break_long_words=True) or [first.rstrip()]
        lines.extend(plain_spaces(line) for line in cut)
        first = hang
    return lines


def _words(text: str) -> list[str]:
    return text.replace("\n", " ").split(" ")


def _longest_word(text: str) -> int:
    return max((len(word) for word in _words(text)), default=0)


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def cell_lines(text: str, width: int) -> list[str]:
    """A table cell cut to ``width`` columns (at least one line, maybe empty)."""
    return wrap(text, width) if text else [""]


@dataclass(frozen=True)
class Table:
    """A table as text: a title, a header, rows of cells, and from which column on the cells are numbers."""

    title: str
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numeric_from: int = 1

    def turned(self) -> Table:
        """The same table on its side: a column per row (named by its first cell), a row per column."""
        head = (self.head[0], *(row[0] for row in self.rows))
        rows = [(self.head[i], *(row[i] for row in self.rows)) for i in range(1, len(self.head))]
        return Table(self.title, head, rows, numeric_from=1)


def fit_widths(head: Sequence[str], rows: Sequence[Sequence[str]], width: int, gap: int = GAP,
               whole_from: int | None = None) -> list[int] | None:
    """Column widths that fit the table in ``width`` columns with the fewest lines, or None if it cannot fit.

    Each column starts at its longest word (a number with its unit is one word; from column
    ``whole_from`` on, its longest cell: those cells are never cut, only their headers) and is
    widened, a step at a time, where that saves the most lines per column given, until no widening
    saves any or the width is used up.
    """
    columns = range(len(head))
    table = [tuple(head), *(tuple(row) for row in rows)]
    room = width - gap * (len(head) - 1)
    natural = [max(_longest_line(row[i]) for row in table) for i in columns]
    if sum(natural) <= room:
        return natural
    widths = [max(1, max(_longest_word(row[i]) for row in table)) for i in columns]
    if whole_from is not None:
        widths = [max(w, *(_longest_line(row[i]) for row in rows)) if i >= whole_from and rows else w
                  for i, w in enumerate(widths)]
    if sum(widths) > room:
        return None
    heights: dict[tuple[int, int], list[int]] = {}

    def column_heights(i: int, w: int) -> list[int]:
        if (i, w) not in heights:
            heights[(i, w)] = [len(cell_lines(row[i], w)) for row in table]
        return heights[(i, w)]

    def cost(ws: list[int]) -> int:
        per_column = [column_heights(i, ws[i]) for i in columns]
        height = sum(max(col[r] for col in per_column) for r in range(len(table)))
        return height * 10_000 + sum(sum(col) for col in per_column)  # fewest table lines, then fewest cell lines

    while True:
        spare = room - sum(widths)
        now = cost(widths)
        best: tuple[float, int, int] | None = None
        for i in columns:
            for extra in range(1, min(spare, natural[i] - widths[i]) + 1):
                trial = widths[:i] + [widths[i] + extra] + widths[i + 1:]
                saved = now - cost(trial)
                if saved > 0:
                    if best is None or saved / extra > best[0]:
                        best = (saved / extra, i, extra)
                    break
        if best is None:
            return widths
        widths[best[1]] += best[2]


def table_lines(table: Table, width: int, gap: int = GAP, whole: bool = False) -> tuple[list[str], int] | None:
    """The header and rows cut to fit ``width``: (lines, how many of them are the header), or None if it cannot fit.

    ``whole``: the cells of the number columns are not cut (their headers may be).
    """
    widths = fit_widths(table.head, table.rows, width, gap, table.numeric_from if whole else None)
    if widths is None:
        return None
    lines: list[str] = []
    header_lines = 0
    for index, row in enumerate([table.head, *table.rows]):
        cells = [cell_lines(text, w) for text, w in zip(row, widths)]
        for n in range(max(len(c) for c in cells)):
            parts = []
            for i, (cell, w) in enumerate(zip(cells, widths)):
                text = cell[n] if n < len(cell) else ""
                parts.append(text.rjust(w) if i >= table.numeric_from else text.ljust(w))
            lines.append((" " * gap).join(parts).rstrip())
        if index == 0:
            header_lines = len(lines)
    return lines, header_lines


def rule(table_width: int, char: str = "-") -> str:
    """The line under a header."""
    return char * table_width


def blocks(table: Table, width: int) -> list[str]:
    """The last resort for a table too wide even on its side: a block per row, 'Header: value' lines under its name."""
    lines: list[str] = []
    for row in table.rows:
        lines.extend(wrap(row[0], width))
        for name, value in zip(table.head[1:], row[1:]):
            lines.extend(wrap(f"{name}: {value}", width, indent="  ", hang="    "))
    return lines


def laid_out(table: Table, width: int, rule_char: str = "-") -> tuple[list[str], list[str], list[str]]:
    """A table fitted to ``width``: (title lines, header lines with their rule, row lines).

    The first that fits: as it is with no number cell cut; on its side (a column per row) the same
    way; as it is with words cut where they must be; on its side so; else a block per row.
    """
    title = wrap(table.title, width) if table.title else []
    for candidate, whole in ((table, True), (table.turned(), True), (table, False), (table.turned(), False)):
        fitted = table_lines(candidate, width, whole=whole)
        if fitted is not None:
            lines, header_lines = fitted
            widest = max(len(line) for line in lines[:header_lines])
            body_widest = max([len(line) for line in lines] + [widest])
            return title, lines[:header_lines] + [rule(min(width, body_widest), rule_char)], lines[header_lines:]
    return title, [], blocks(table, width)
