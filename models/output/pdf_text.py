"""The PDF report's page geometry, type and paragraphs: A4 in points, margins, text measured as the PDF sets it.

Text is DejaVu Sans (proportional), measured with the font metrics the PDF uses, and drawn as
plain text (a '$' in a name is not maths). :mod:`models.output.pdf_layout` puts the blocks on pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

MM = 72 / 25.4  # points per millimetre
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM  # A4, in points
#: Nothing is drawn closer than this to an edge; the foot line sits below the body, still inside it.
MARGIN = 18 * MM
FOOT_TOP = 21 * MM  # the foot's top edge, above the bottom edge
BODY_BOTTOM = 27 * MM  # the body ends here, above the bottom edge
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
BODY_HEIGHT = PAGE_HEIGHT - MARGIN - BODY_BOTTOM

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
EPSILON = 0.01  # points: a word measured to fit its own column's width must not wrap from rounding
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
            if line and text_width(candidate, size, bold) > width + EPSILON:
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
        while text_width(word, size, bold) > width + EPSILON and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold) > width + EPSILON:
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

    def lines(self) -> list[str]:
        """The text's lines at the body width (less the box's padding)."""
        return wrap(self.text, BODY_WIDTH - 2 * self._pad(), self.size, self.bold)

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
            draw_line(page, MARGIN + pad, baseline_top, line, self.size, self.bold, self.color)

    def split(self, room: float) -> tuple[Text | None, Text]:
        """The lines that fit in ``room`` points and the rest, each a paragraph (a boxed one stays whole)."""
        lines = self.lines()
        fits = int((room - self.before) // (self.size * LEADING))
        if self.box or fits < 2 or fits >= len(lines):
            return None, self
        first = Text("\n".join(lines[:fits]), self.size, self.bold, self.color, self.before, 0.0)
        return first, Text("\n".join(lines[fits:]), self.size, self.bold, self.color, 0.0, self.after)


def draw_line(page: Any, x: float, top: float, text: str, size: float, bold: bool, color: str, align: str = "left") -> None:
    """One line of plain text whose top is ``top`` points below the page's top edge, at ``x`` points from the left."""
    page.text(x / 72, (PAGE_HEIGHT - top) / 72, text, fontsize=size, fontweight="bold" if bold else "normal",
              color=color, ha=align, va="top", transform=page.dpi_scale_trans, parse_math=False, usetex=False)
