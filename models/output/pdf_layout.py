"""A small typesetter for the PDF report: A4 pages with margins, flowing text, tables and charts, page numbers.

The report is a list of blocks (paragraphs, headings, tables, charts, page breaks). :func:`typeset`
measures them, breaks them into pages inside the margins (a table too long for a page continues on
the next with its header again; a heading never ends a page) and draws each page as a matplotlib
figure, with "page n of N" at its foot. Text is DejaVu Sans (proportional) measured with the same
font metrics the PDF uses; every string is drawn as plain text (a '$' in a name is not maths).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MM = 72 / 25.4  # points per millimetre
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM  # A4, in points
#: Nothing is drawn closer than this to an edge; the foot line sits below the body, still inside it.
MARGIN = 18 * MM
FOOT_TOP = 21 * MM  # the foot's top edge, above the bottom edge
BODY_BOTTOM = 27 * MM  # the body ends here, above the bottom edge
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
SPLIT_TALLER_THAN = (PAGE_HEIGHT - MARGIN - BODY_BOTTOM) / 3  # shorter tables never break across pages

BODY_SIZE = 9.5  # points: paragraphs
TABLE_SIZE = 9.0  # points: table cells
MIN_TABLE_SIZE = 8.0  # a table too wide for the page shrinks to this before it wraps its numbers
LEADING = 1.32  # line height as a multiple of the font size
TEXT_COLOR = "#222222"
MUTED = "#555555"
RULE = "#888888"
ROW_RULE = "#d9d9d9"
HEADER_FILL = "#f0f0f0"
CELL_PAD_X, CELL_PAD_Y = 4.0, 2.6
_EPSILON = 0.01  # points: a word measured to fit its own column's width must not wrap from rounding
SENTENCE_WORDS = 5  # a column with a cell of this many words holds sentences: it is the one that wraps


@functools.cache
def _measurer() -> Any:
    from matplotlib.textpath import TextToPath

    return TextToPath()


@functools.cache
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in points, as the PDF will set it (DejaVu Sans), with a little slack."""
    from matplotlib.font_manager import FontProperties

    if not text:
        return 0.0
    width, _, _ = _measurer().get_text_width_height_descent(
        text, FontProperties(size=size, weight="bold" if bold else "normal"), ismath=False)
    return width * 1.02


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points, at spaces only (a no-break space holds)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in _pieces(paragraph.split(" "), width, size, bold):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold) > width + _EPSILON:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _pieces(words: list[str], width: float, size: float, bold: bool) -> list[str]:
    """``words``, with any word wider than ``width`` cut into pieces that fit (a hash, a long name)."""
    pieces = []
    for word in words:
        while text_width(word, size, bold) > width + _EPSILON and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold) > width + _EPSILON:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    return pieces


# ---------------------------------------------------------------------------------------------- blocks
@dataclass
class Text:
    """A paragraph (or a heading): wrapped to the body width, or inside a coloured box."""

    text: str
    size: float = BODY_SIZE
    bold: bool = False
    color: str = TEXT_COLOR
    before: float = 0.0  # space above, points
    after: float = 6.0  # space below, points
    box: str | None = None  # a background colour: the text sits in a rounded box of it
    keep_with_next: bool = False  # a heading: never the last thing on a page
    indent: float = 0.0

    def lines(self) -> list[str]:
        """The text's lines at the body width (less the box's padding)."""
        pad = 2 * self._pad() + self.indent
        return wrap(self.text, BODY_WIDTH - pad, self.size, self.bold)

    def _pad(self) -> float:
        return 0.8 * self.size if self.box else 0.0

    def height(self) -> float:
        """Points it takes, spaces above and below included."""
        return self.before + len(self.lines()) * self.size * LEADING + 2 * self._pad() + self.after

    def draw(self, page: Any, top: float) -> None:
        """Draw with its top (space above included) ``top`` points below the page's top edge."""
        top += self.before
        pad = self._pad()
        lines = self.lines()
        if self.box:
            from matplotlib.patches import FancyBboxPatch

            height = len(lines) * self.size * LEADING + 2 * pad
            page.add_artist(FancyBboxPatch(
                (MARGIN / 72, (PAGE_HEIGHT - top - height) / 72), BODY_WIDTH / 72, height / 72,
                boxstyle="round,pad=0,rounding_size=0.06", facecolor=self.box, edgecolor="none",
                transform=page.dpi_scale_trans))
        for i, line in enumerate(lines):
            baseline_top = top + pad + i * self.size * LEADING
            _text(page, MARGIN + pad + self.indent, baseline_top, line, self.size, self.bold, self.color)


@dataclass
class Table:
    """A table with a bold header row (or, with ``header=None``, label/value rows), its columns fitted to the page.

    Columns from ``numeric_from`` on are right-aligned and, while the table can shrink to fit, never wrapped.
    """

    header: tuple[str, ...] | None
    rows: list[tuple[str, ...]]
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
                        _text(page, x + width - CELL_PAD_X, y, line, self.size, bold, TEXT_COLOR, align="right")
                    else:
                        _text(page, x + CELL_PAD_X, y, line, self.size, bold, MUTED if label else TEXT_COLOR)
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


@dataclass
class Chart:
    """A matplotlib chart drawn by ``draw_into(into=subfigure)`` at the body width and ``height`` points."""

    draw_into: Callable[[Any], Any]
    height: float
    after: float = 8.0

    def total(self) -> float:
        """Points it takes, with the space below."""
        return self.height + self.after


@dataclass
class PageBreak:
    """Start a new page."""


Block = Text | Table | Chart | PageBreak


# ------------------------------------------------------------------------------------------- typesetting
def paginate(blocks: list[Block]) -> list[list[tuple[float, Block]]]:
    """Place ``blocks`` on pages: each page a list of (top in points below the page's top edge, block)."""
    pages: list[list[tuple[float, Block]]] = [[]]
    top = MARGIN
    bottom = PAGE_HEIGHT - BODY_BOTTOM
    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        if isinstance(block, PageBreak):
            if pages[-1]:
                pages.append([])
                top = MARGIN
            continue
        if isinstance(block, Table):
            first, rest = block.split(bottom - top, force=not pages[-1])
            if first is None:
                pages.append([])
                top = MARGIN
                queue.insert(0, block)
                continue
            pages[-1].append((top, first))
            top += first.height()
            if rest is not None:
                queue.insert(0, rest)
                pages.append([])
                top = MARGIN
            continue
        height = block.total() if isinstance(block, Chart) else block.height()
        following = _first_height(queue) if isinstance(block, Text) and block.keep_with_next else 0.0
        if top + height + following > bottom and pages[-1]:
            pages.append([])
            top = MARGIN
        pages[-1].append((top, block))
        top += height
    return [page for page in pages if page]


def _first_height(queue: list[Block]) -> float:
    """The least of the next block that must share a page with a heading before it."""
    for block in queue:
        if isinstance(block, PageBreak):
            return 0.0
        if isinstance(block, Table):
            return block.least_height()
        if isinstance(block, Chart):
            return block.total()
        return block.height()
    return 0.0


def typeset(blocks: list[Block], foot: str = "") -> list[Any]:
    """The pages of ``blocks`` as A4 matplotlib figures, each with ``foot`` at its left and "page n of N" at its right."""
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    placed = paginate(blocks)
    figures = []
    size = (PAGE_WIDTH / 72, PAGE_HEIGHT / 72)
    body_height = PAGE_HEIGHT - MARGIN - BODY_BOTTOM
    for number, items in enumerate(placed, start=1):
        charts = [(top, block) for top, block in items if isinstance(block, Chart)]
        if charts:
            # The layout engine fits each chart's axes, labels and legend inside its own box, and every box
            # inside the body: nothing of a chart can reach the margins.
            rect = (MARGIN / PAGE_WIDTH, BODY_BOTTOM / PAGE_HEIGHT, BODY_WIDTH / PAGE_WIDTH, body_height / PAGE_HEIGHT)
            page = Figure(figsize=size, layout=ConstrainedLayoutEngine(rect=rect, h_pad=0.03, w_pad=0.03,
                                                                       hspace=0, wspace=0))
            _chart_boxes(page, charts, body_height)
        else:
            page = Figure(figsize=size)
        for top, block in items:
            if not isinstance(block, Chart):
                block.draw(page, top)
        if foot:
            _text(page, MARGIN, PAGE_HEIGHT - FOOT_TOP, foot, 9, False, MUTED)
        _text(page, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - FOOT_TOP, f"page {number} of {len(placed)}", 9, False, MUTED,
              align="right")
        figures.append(page)
    return figures


def _chart_boxes(page: Any, charts: list[tuple[float, Chart]], body_height: float) -> None:
    """Cut the body into a column of subfigures: each chart in its own, empty spacers between."""
    heights: list[float] = []
    kinds: list[Chart | None] = []
    cursor = MARGIN
    for top, chart in charts:
        if top > cursor:
            heights.append(top - cursor)
            kinds.append(None)
        heights.append(chart.height)
        kinds.append(chart)
        cursor = top + chart.height
    heights.append(max(1e-3, MARGIN + body_height - cursor))
    kinds.append(None)
    boxes = page.subfigures(len(heights), 1, height_ratios=heights, hspace=0)
    for box, chart in zip(list(boxes) if len(heights) > 1 else [boxes], kinds):
        if chart is not None:
            chart.draw_into(into=box)


def _text(page: Any, x: float, top: float, text: str, size: float, bold: bool, color: str, align: str = "left") -> None:
    """One line of plain text whose top is ``top`` points below the page's top edge, at ``x`` points from the left."""
    page.text(x / 72, (PAGE_HEIGHT - top) / 72, text, fontsize=size, fontweight="bold" if bold else "normal",
              color=color, ha=align, va="top", transform=page.dpi_scale_trans, parse_math=False, usetex=False)
