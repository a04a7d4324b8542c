"""A small typesetter for the PDF report: A4 pages with margins, flowing text, tables and charts, page numbers.

The report is a list of blocks (paragraphs, headings, tables, charts, page breaks). :func:`typeset`
measures them, breaks them into pages inside the margins (a table too long for a page continues on
the next with its header again; a heading never ends a page) and draws each page as a matplotlib
figure, with "page n of N" at its foot. Text is DejaVu Sans (proportional) measured with the same
font metrics the PDF uses; every string is drawn as plain text (a '$' in a name is not maths).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from modelrace.models.output.pdf_table import Table
from modelrace.models.output.pdf_text import (
    BODY_BOTTOM, BODY_HEIGHT, BODY_SIZE, BODY_WIDTH, FOOT_TOP, MARGIN, MM, MUTED, PAGE_HEIGHT, PAGE_WIDTH, Text,
    draw_line,
)

__all__ = ["BODY_SIZE", "BODY_WIDTH", "MARGIN", "MM", "MUTED", "Block", "Chart", "PageBreak", "Table", "Text",
           "paginate", "typeset"]


@dataclass
class Chart:
    """A matplotlib chart drawn by ``draw_into(into=subfigure)`` at the body width and ``height`` points."""

    draw_into: Callable[..., Any]
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
        if isinstance(block, Text) and top + height > bottom and height > BODY_HEIGHT / 3:
            lines, more = block.split(bottom - top)  # a long paragraph continues on the next page
            if lines is not None:
                pages[-1].append((top, lines))
                pages.append([])
                top = MARGIN
                queue.insert(0, more)
                continue
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
    body_height = BODY_HEIGHT
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
            if isinstance(block, (Text, Table)):  # charts are drawn into their boxes; a page break is never placed
                block.draw(page, top)
        if foot:
            draw_line(page, MARGIN, PAGE_HEIGHT - FOOT_TOP, foot, 9, False, MUTED)
        draw_line(page, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - FOOT_TOP, f"page {number} of {len(placed)}", 9, False, MUTED,
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
    for box, kind in zip(list(boxes) if len(heights) > 1 else [boxes], kinds):
        if kind is not None:
            kind.draw_into(into=box)
