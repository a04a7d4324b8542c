"""The confusion matrices tab: one matrix per model, every count whole at a projector's size.

Columns carry the class numbers and rows the names (tooltips have both), every column is as wide as
its widest count, every row one line high. The matrices sit side by side when all of them fit the
panel whole; otherwise one shows at a time, chosen with buttons named in the models' colours (as
Orange's Confusion Matrix widget does). The choice is taken again on every resize and text-size change.
"""

from __future__ import annotations

import html
from html import escape

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy, QStyle,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from modelrace.gui.window.theme import background, model_hue, model_text_color
from modelrace.models.data import covtype
from modelrace.models.results.document import Result
from modelrace.models.system.colors import best_text_on, blend
from modelrace.models.system.formatting import percent
from modelrace.models.trainers.registry import label as model_label

MATRIX_CAPTION = "Rows: true class. Columns: predicted, by number. Shading: share of the row."
CELL_ROOM = 6  # pixels beside a matrix's widest count, so the digits never touch the grid lines


class ConfusionPanel(QWidget):
    """One confusion matrix per model: counts, shaded by each true class's share (see the module's docstring).

    Each model's title, table and picker button are made once and refilled for every result (making new
    widgets for each race would leave Qt memory behind over a day of races).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(MATRIX_CAPTION)
        self.caption.setWordWrap(True)
        self.caption.setToolTip("Each row is a true class, each column the class predicted (numbered as the rows). "
                                "A cell's shade is its share of the row's rows; hover a count for its classes' names.")
        self._picker = QButtonGroup(self)
        self._picker.setExclusive(True)
        self._picker.idClicked.connect(self._picked)
        self._buttons: dict[str, QPushButton] = {}
        self._side = QWidget()  # the picker's buttons over the caption, right of the matrices
        self._side_layout = QVBoxLayout(self._side)
        self._side_layout.setContentsMargins(0, 0, 0, 0)
        self._side_layout.addWidget(self.caption)
        self._side_layout.addStretch(1)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self._side)
        self._row.addStretch(1)  # the matrices and the caption keep to the left, side by side
        self._boxes: dict[str, tuple[QWidget, QLabel, _Matrix]] = {}
        self._shown: list[str] = []  # the models whose matrices the result has, in its order
        self._chosen: str | None = None  # the model shown when one shows at a time
        self.one_at_a_time = False
        self._refit = QTimer(self)  # text size changes arrive widget by widget: refit once they are all in
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)

    def show_result(self, result: Result) -> None:
        """Fill the matrices of every scored model (the others' are hidden) and arrange them."""
        classes = result["dataset"]["classes"]
        is_covtype = result["dataset"].get("kind") == "covtype"
        scored = [(key, model["confusion_matrix"]) for key, model in result["models"].items()
                  if model.get("confusion_matrix")]
        self._shown = [key for key, _ in scored]
        for key, matrix in scored:
            _fill_matrix(self._box(key)[2], np.asarray(matrix), classes, is_covtype)
        if self._chosen not in self._shown:
            self._chosen = self._shown[0] if self._shown else None
        self._fit()

    def visible_tables(self) -> list[QTableWidget]:
        """The matrices of the result shown (side by side, or one at a time behind the picker)."""
        return [self._boxes[key][2] for key in self._shown]

    def on_screen_tables(self) -> list[QTableWidget]:
        """The matrices on screen now."""
        return [table for box, _, table in self._boxes.values() if box.isVisibleTo(self)]

    def picker_buttons(self) -> dict[str, QPushButton]:
        """The buttons that choose the matrix shown one at a time (hidden while all fit)."""
        return {key: button for key, button in self._buttons.items() if key in self._shown}

    def choose(self, key: str) -> None:
        """Show ``key``'s matrix (when one shows at a time)."""
        if key in self._shown:
            self._chosen = key
            self._arrange()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Another size: all side by side, or one at a time."""
        super().resizeEvent(event)
        self._arrange()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Arrange for the size the tab has when it comes to the front."""
        super().showEvent(event)
        self._arrange()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Presenter mode changed the text size, or the theme changed: size and colour everything again."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._refit.start()

    def _fit(self) -> None:
        # Size every column to its digits and every row to the text, then decide the arrangement.
        for key in self._shown:
            _, title, table = self._boxes[key]
            _size_matrix(table)
            title.setText(f"<b style='color:{model_text_color(key)}'>{escape(model_label(key))}</b>")
            self._buttons[key].setStyleSheet(_picker_style(key))
        self._arrange()

    def _arrange(self) -> None:
        shown = [self._boxes[key] for key in self._shown]
        if not shown:
            for box, _, _ in self._boxes.values():
                box.setVisible(False)
            self._side.setVisible(False)
            return
        spacing = self._row.spacing()
        width = max(table.content_size.width() for _, _, table in shown)
        height = max(table.content_size.height() for _, _, table in shown)
        title = shown[0][1].sizeHint().height() + shown[0][0].layout().spacing()
        em = self.caption.fontMetrics().horizontalAdvance("m")
        least = max([12 * em, *(self._buttons[key].sizeHint().width() for key in self._shown)])
        spare = self.width() - len(shown) * (width + spacing)
        self.one_at_a_time = len(shown) > 1 and (spare < least or title + height > self.height())
        if self.one_at_a_time:
            spare = self.width() - width - spacing
        for key, (box, title_label, _) in self._boxes.items():
            box.setVisible(key in self._shown and (not self.one_at_a_time or key == self._chosen))
            title_label.setVisible(not self.one_at_a_time)  # the picker names the one shown
        for key, button in self._buttons.items():
            button.setVisible(self.one_at_a_time and key in self._shown)
            button.setChecked(key == self._chosen)
        # The caption's column takes what the matrices leave, within 12 to 26 em (limits taken from the text
        # size, never from the panel's own width: a minimum taken from it would hold the window wide).
        self._side.setMinimumWidth(least)
        self._side.setMaximumWidth(max(least, min(spare, 26 * em)))
        self._side.setVisible(True)

    def _picked(self, index: int) -> None:
        self.choose(list(self._buttons)[index])

    def _box(self, key: str) -> tuple[QWidget, QLabel, _Matrix]:
        if key not in self._boxes:
            box = QWidget()
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            title = QLabel()  # one line: the matrices' tops align
            table = _Matrix()
            layout.addWidget(title)
            layout.addWidget(table, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            layout.addStretch(1)
            self._row.insertWidget(len(self._boxes), box, 0, Qt.AlignmentFlag.AlignTop)
            self._boxes[key] = (box, title, table)
            button = QPushButton(model_label(key))
            button.setCheckable(True)
            button.setToolTip(f"Show {model_label(key)}'s confusion matrix")
            self._picker.addButton(button, len(self._buttons))
            self._side_layout.insertWidget(len(self._buttons), button)
            self._buttons[key] = button
        return self._boxes[key]


class _Matrix(QTableWidget):
    """A confusion matrix's table: exactly as big as its counts need, never stretched."""

    def __init__(self) -> None:
        super().__init__()
        self.content_size = QSize(0, 0)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        # Never a scroll bar: the table is given its whole size, or the panel shows one matrix at a time. (A
        # scroll bar that appeared while the tab was hidden and smaller could otherwise stay, over the last column.)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setCornerButtonEnabled(False)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setHighlightSections(False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Every row and column, headers and frame included."""
        return self.content_size


def _size_matrix(table: _Matrix) -> None:
    """Give every column the width of the widest count or number (all alike) and every row one line of text."""
    style = table.style()
    cell_margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    header_margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, table.horizontalHeader())
    cells = table.fontMetrics()
    heads = table.horizontalHeader().fontMetrics()
    texts = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c) is not None]
    names = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    column = max([cells.horizontalAdvance(t) + cell_margin for t in texts]
                 + [heads.horizontalAdvance(n) + header_margin for n in names] + [0]) + CELL_ROOM
    row = max(cells.height(), table.verticalHeader().fontMetrics().height()) + 2  # a projector has no pixel to spare
    for header, size in ((table.horizontalHeader(), column), (table.verticalHeader(), row)):
        header.setMinimumSectionSize(min(size, header.minimumSectionSize()))
        header.setDefaultSectionSize(size)
    for c in range(table.columnCount()):
        table.setColumnWidth(c, column)
    for r in range(table.rowCount()):
        table.setRowHeight(r, row)
    frame = 2 * table.frameWidth()
    table.content_size = QSize(table.verticalHeader().sizeHint().width() + column * table.columnCount() + frame,
                               table.horizontalHeader().sizeHint().height() + row * table.rowCount() + frame)
    table.setMaximumSize(table.content_size)
    table.updateGeometry()


def _picker_style(key: str) -> str:
    """A picker button: the model's name in its text colour; the chosen one framed in the model's colour."""
    return (f"QPushButton {{ color: {model_text_color(key)}; text-align: left; padding: 3px 8px;"
            " background: transparent; border: 1px solid palette(mid); border-radius: 4px; }"
            f"QPushButton:checked {{ border: 3px solid {model_hue(key)}; font-weight: bold; }}")


def _fill_matrix(table: QTableWidget, matrix: np.ndarray, classes: list[str], is_covtype: bool) -> None:
    """Put ``matrix`` into ``table``: counts, shaded by each true class's share; numbers over the columns,
    names on the rows and in the tooltips."""
    table.clearContents()
    table.setRowCount(matrix.shape[0])
    table.setColumnCount(matrix.shape[1])
    names = covtype.class_names(classes) if is_covtype else list(classes)
    # Short labels (Covertype's 1-7) head the columns as they are; longer ones are numbered, the rows say which.
    short = all(len(c) <= 3 for c in classes)
    numbers = list(classes) if short else [str(i + 1) for i in range(len(classes))]
    rows = names if short else [f"{n} {name}" for n, name in zip(numbers, names)]
    table.setHorizontalHeaderLabels(numbers)
    table.setVerticalHeaderLabels(rows)
    totals = matrix.sum(axis=1, keepdims=True).clip(min=1)
    shares = matrix / totals
    full = [html.escape(_class_name(c, is_covtype)) for c in classes]  # for tooltips, which Qt may read as rich text
    for i in range(matrix.shape[0]):
        table.verticalHeaderItem(i).setToolTip(f"true class {full[i]}")
        table.horizontalHeaderItem(i).setToolTip(f"predicted class {full[i]}")
        for j in range(matrix.shape[1]):
            item = QTableWidgetItem(str(int(matrix[i, j])))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            share = float(shares[i, j])
            alpha = min(1.0, 0.08 + 0.85 * share) if matrix[i, j] else 0.0
            shade = blend("#0072B2" if i == j else "#D55E00", alpha, background())
            item.setBackground(QColor(shade))
            item.setForeground(QColor(best_text_on(shade)))
            what = "right" if i == j else f"predicted as {full[j]}"
            item.setToolTip(f"true {full[i]}, {what}: {int(matrix[i, j])} ({percent(share)} of true {full[i]})")
            table.setItem(i, j, item)


def _class_name(label: str, is_covtype: bool) -> str:
    """A class's label with its Covertype name ("2 Lodgepole Pine"), or the label itself."""
    return covtype.class_names([label])[0] if is_covtype else label
