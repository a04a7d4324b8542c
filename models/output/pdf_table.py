"""A table block of the PDF report: a bold header row (or label/value rows), columns fitted to the body width.

Columns of numbers are right-aligned and break, only when they must, before a bracket; columns of
sentences wrap; a long table continues on the next page with its header again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from modelrace.models.output.pdf_text import (
    BODY_HEIGHT, BODY_WIDTH, CELL_PAD_X, CELL_PAD_Y, HEADER_FILL, LEADING, MARGIN, MIN_TABLE_SIZE, MUTED,
    PAGE_HEIGHT, ROW_RULE, RULE, SENTENCE_WORDS, TABLE_SIZE, TEXT_COLOR, Text, draw_line, text_width, wrap,
)

SPLIT_TALLER_THAN = BODY_HEIGHT / 3  # shorter tables never break across pages


@dataclass
class Table:
    """A table with a bold header row (or, with ``header=None``, label/value rows), its columns fitted to the page.

    Columns from ``numeric_from`` on are right-aligned and, while the table can shrink to fit, never wrapped.
    """

    header: tuple[str, ...] | None
    rows: Sequence[tuple[str, ...]]
    numeric_from: int = 1
    title: str = ""
    stretch: bool = True  # fill the body width
    after: float = 10.0
    size: float = TABLE_SIZE
    _widths: list[float] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        columns = len(self.header) if self.header else max((len(r) for r in self.rows), default=1)
        self.rows = [tuple(str(c) for c in r) + ("",) * (columns - len(r)) for r in self.rows] or [("—",) * columns]
        self._numeric = [bool(self.header) and i >= self.numeric_from and _numeric_column([r[i] for r in self.rows])
                         for i in range(columns)]
        self._given = self.rows
        # The first column names its row: it keeps its width, whatever its length.
        self._sentences = [i > 0 and any(len(r[i].split(" ")) >= SENTENCE_WORDS for r in self.rows)
                           for i in range(columns)]
        self._numbers_wrap = 0
        self._fit()

    # --- widths
    def _natural(self, size: float) -> tuple[list[float], list[float], list[float]]:
        """Each column's width on one line (header included), without its header, and at its narrowest
        (its longest word; a number's whole width)."""
        columns = len(self.rows[0])
        full, body, narrow = [0.0] * columns, [0.0] * columns, [0.0] * columns
        cells = [(row, False) for row in self.rows]
        if self.header:
            cells.append((self.header, True))
        for row, bold in cells:
            for i, cell in enumerate(row):
                lines = str(cell).split("\n")
                wraps = bold or not self._numeric[i] or self._numbers_wrap
                words = [w for line in lines for w in (line.split(" ") if wraps else [line])]
                narrow[i] = max(narrow[i], *(text_width(w, size, bold) for w in words))
                whole = max(text_width(line, size, bold) for line in lines)
                full[i] = max(full[i], whole)
                body[i] = body[i] if bold else max(body[i], whole)
        pad = 2 * CELL_PAD_X
        return [n + pad for n in full], [max(b, w) + pad for b, w in zip(body, narrow)], [n + pad for n in narrow]

    def _fit(self) -> None:
        """Choose the font size and column widths: every cell on one line when that fits, else see :func:`_shrink`."""
        # Smaller type first; then numbers that break before their bracket ('0.793' over '(range 0.786–0.799)');
        # then numbers that break at any space.
        largest = self.size
        for self._numbers_wrap in (0, 1, 2):
            self.rows = [tuple(_number_breaks(c, self._numbers_wrap) if self._numeric[i] else c for i, c in enumerate(r))
                         for r in self._given]
            size = largest
            while True:
                full, body, narrow = self._natural(size)
                if sum(narrow) <= BODY_WIDTH or size <= MIN_TABLE_SIZE:
                    break
                size -= 0.5
            if sum(narrow) <= BODY_WIDTH:
                break
        self.size = size
        if sum(full) <= BODY_WIDTH:
            widths = full
            if self.stretch:
                extra = BODY_WIDTH - sum(widths)
                if self.header:
                    widths = [w + extra * w / sum(widths) for w in widths]
                else:
                    widths = widths[:-1] + [widths[-1] + extra]
        elif sum(narrow) <= BODY_WIDTH:
            widths = _shrink(full, body, narrow, BODY_WIDTH, self._sentences)
        else:  # even single words do not fit: every column gives way, and long words are cut
            widths = [w * BODY_WIDTH / sum(narrow) for w in narrow]
        self._widths = widths

    # --- rows
    def _cell_lines(self, row: tuple[str, ...], bold: bool) -> list[list[str]]:
        return [wrap(cell, w - 2 * CELL_PAD_X, self.size, bold) for cell, w in zip(row, self._widths)]

    def _row_height(self, row: tuple[str, ...], bold: bool = False) -> float:
        return max(len(lines) for lines in self._cell_lines(row, bold)) * self.size * LEADING + 2 * CELL_PAD_Y

    def title_height(self) -> float:
        """Points the title takes (with its space)."""
        return self._title().height() if self.title else 0.0

    def _title(self) -> Text:
        return Text(self.title, size=10.5, bold=True, before=4, after=4)

    def header_height(self) -> float:
        """Points the header row takes."""
        return self._row_height(self.header, True) if self.header else 0.0

    def row_heights(self) -> list[float]:
        """Points each body row takes."""
        return [self._row_height(row) for row in self.rows]

    def split(self, room: float, force: bool = False) -> tuple[Table | None, Table | None]:
        """The rows that fit in ``room`` points (title and header included) and the rest, each a table.

        ``force`` (on an empty page): at least one row, whatever the room.
        """
        used = self.title_height() + self.header_height() + self.after
        heights = self.row_heights()
        fits = 0
        while fits < len(heights) and used + heights[fits] <= room:
            used += heights[fits]
            fits += 1
        if fits == len(heights):
            return self, None
        if force:
            fits = max(1, fits)
        elif fits < min(2, len(heights)) or not self.splittable():  # a short table stays whole
            return None, self
        if fits == len(heights):
            return self, None
        first = Table(self.header, self.rows[:fits], self.numeric_from, self.title, self.stretch, 2.0, self.size)
        rest_title = f"{self.title} (continued)" if self.title else ""
        rest = Table(self.header, self.rows[fits:], self.numeric_from, rest_title, self.stretch, self.after, self.size)
        first._widths = rest._widths = self._widths  # one set of columns for the whole table
        return first, rest

    def splittable(self) -> bool:
        """True if the table is long enough to continue on the next page (else it moves there whole)."""
        return self.height() > SPLIT_TALLER_THAN

    def least_height(self) -> float:
        """The least of it a page must hold: all of a short table, else its title, header and two rows."""
        if not self.splittable():
            return self.height()
        return self.title_height() + self.header_height() + sum(self.row_heights()[:2])

    def height(self) -> float:
        """Points the whole table takes (title, header, rows, space below)."""
        return self.title_height() + self.header_height() + sum(self.row_heights()) + self.after

    def draw(self, page: Any, top: float) -> None:
        """Draw with its top ``top`` points below the page's top edge."""
        from matplotlib.lines import Line2D
        from matplotlib.patches import Rectangle

        if self.title:
            self._title().draw(page, top)
            top += self.title_height()
        right = MARGIN + sum(self._widths)

        def rule(y: float, color: str, width: float) -> None:
            page.add_artist(Line2D([MARGIN / 72, right / 72], [(PAGE_HEIGHT - y) / 72] * 2, color=color,
                                   linewidth=width, transform=page.dpi_scale_trans))

        rule(top, RULE, 0.9)
        rows = [(self.header, True)] if self.header else []
        rows += [(row, False) for row in self.rows]
        for index, (row, bold) in enumerate(rows):
            height = self._row_height(row, bold)
            if bold:
                page.add_artist(Rectangle((MARGIN / 72, (PAGE_HEIGHT - top - height) / 72), (right - MARGIN) / 72,
                                          height / 72, facecolor=HEADER_FILL, edgecolor="none",
                                          transform=page.dpi_scale_trans))
            x = MARGIN
            for column, (lines, width) in enumerate(zip(self._cell_lines(row, bold), self._widths)):
                numeric = self._numeric[column]
                label = self.header is None and column == 0
                for i, line in enumerate(lines):
                    y = top + CELL_PAD_Y + i * self.size * LEADING
                    if numeric:
                        draw_line(page, x + width - CELL_PAD_X, y, line, self.size, bold, TEXT_COLOR, align="right")
                    else:
                        draw_line(page, x + CELL_PAD_X, y, line, self.size, bold, MUTED if label else TEXT_COLOR)
                x += width
            top += height
            last = index == len(rows) - 1
            rule(top, RULE if bold or last else ROW_RULE, 0.9 if bold or last else 0.4)


def _number_breaks(cell: str, level: int) -> str:
    """A number's cell with the spaces it may break at: none (0), before a bracket (1), any but a no-break one (2)."""
    if level >= 2:
        return cell
    held = cell.replace(" ", "\u00a0")
    return held.replace("\u00a0(", " (") if level == 1 else held


_NUMBER_START = tuple("0123456789+-−<>.")
_NOT_A_NUMBER = ("", "—", "never")


def _numeric_column(cells: list[str]) -> bool:
    """True if a column holds numbers ('0.814 ± 0.011', '< 0.001', '0.07 s', 'never (0/3)'): right-aligned, unwrapped."""
    numbers = [c for c in cells if c.strip() not in _NOT_A_NUMBER]
    return bool(numbers) and all(c.strip().startswith(_NUMBER_START) or c.startswith("never")
                                 for c in numbers) and all(len(c.split(" ")) <= 4 for c in numbers)


def _shrink(full: list[float], body: list[float], narrow: list[float], room: float,
            sentences: list[bool]) -> list[float]:
    """Column widths summing to ``room`` for a table too wide to set every cell on one line.

    The columns of names and numbers (``body``: their cells on one line) give way first in their
    headers, which wrap; the columns of sentences wrap too, keeping at least 30% of the room each
    (or their whole length) while the headers can give way; what is left goes back to the headers.
    """
    columns = range(len(full))
    wanted = sum(max(narrow[i], min(full[i], 0.3 * room)) for i in columns if sentences[i])
    base = [body[i] for i in columns if not sentences[i]]
    reach = [full[i] - body[i] for i in columns if not sentences[i]]
    spare = room - wanted - sum(base)
    if spare < 0 and room - sum(base) >= sum(narrow[i] for i in columns if sentences[i]):
        spare = 0.0
    if spare < 0:  # names and numbers alone fill the room: every column gives way in proportion
        lacking = sum(f - n for f, n in zip(full, narrow)) or 1.0
        return [n + (room - sum(narrow)) * (f - n) / lacking for f, n in zip(full, narrow)]
    grow = min(1.0, spare / sum(reach)) if sum(reach) > 0 else 0.0
    fixed = iter(b + grow * r for b, r in zip(base, reach))
    widths = [0.0 if sentences[i] else next(fixed) for i in columns]
    left = room - sum(widths)
    lacking = sum(full[i] - narrow[i] for i in columns if sentences[i]) or 1.0
    extra = left - sum(narrow[i] for i in columns if sentences[i])
    for i in columns:
        if sentences[i]:
            widths[i] = narrow[i] + extra * (full[i] - narrow[i]) / lacking
    if not any(sentences) and left > 1e-6:  # no sentences: the headers take what is left
        widths = [w + left * w / sum(widths) for w in widths]
    return widths
