"""A compact progress line per model under the verdict, always on screen (the cards may be scrolled away).

Each model's bar is painted here, not by the style, so that its text always reads: a light tint of the
model's colour fills the done part of the empty groove, a band of the full colour runs along the fill's
bottom edge (below the text), and the text, the model's name as the legend writes it (every bar its
short name where the bars are narrow) and then its progress, has one colour that reaches WCAG AA on both
the tint and the groove. No word changes colour where the fill ends. :meth:`ModelBar.colors` gives the
colours painted, for the contrast test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QSizePolicy, QWidget

from modelrace.gui.window.theme import model_hue
from modelrace.models.results.document import ModelEntry
from modelrace.models.system.colors import AA_CONTRAST, blend, contrast_ratio, readable
from modelrace.models.system.formatting import accuracy, status_word, steps
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import MODEL_KEYS, label, short_label, unit

#: Strongest tint of a model's colour a fill may take (more would look like the plain colour again).
STRONGEST_TINT = 0.45
BAND = 3  # pixels of the full colour along the bottom of the done part
PAD = 6  # pixels between the bar's edge and its text
#: The most of a bar's text room a full name may take (the rest is for "finished 150/150"); above it, short names.
NAME_SHARE = 0.6


@dataclass(frozen=True)
class StripColors:
    """What one bar paints: the empty groove, the tinted fill, its band, and the two text colours."""

    groove: str
    fill: str
    band: str
    text: str
    name: str


def strip_colors(key: str, groove: str, ink: str) -> StripColors:
    """A model's bar colours on ``groove`` with text ``ink``: the strongest tint of its colour (up to
    :data:`STRONGEST_TINT`) on which ``ink`` still reaches AA, and its name in its own hue made readable on both."""
    hue = model_hue(key)
    if contrast_ratio(ink, groove) < AA_CONTRAST:  # a palette whose text does not read on its own base
        ink = readable(ink, groove)
    fill = groove
    for step in range(int(STRONGEST_TINT * 100), 0, -5):
        tint = blend(hue, step / 100, groove)
        if contrast_ratio(ink, tint) >= AA_CONTRAST:
            fill = tint
            break
    name = readable(readable(hue, groove), fill)
    if min(contrast_ratio(name, groove), contrast_ratio(name, fill)) < AA_CONTRAST:
        name = ink
    return StripColors(groove=groove, fill=fill, band=hue.lower(), text=ink, name=name)


class ModelBar(QProgressBar):
    """One model's bar: its name and progress on a tint of its colour (see the module's docstring).

    ``format()`` holds the progress words (the name is painted before them); they are shortened, never
    cut inside a number, when the bar is narrow, and the tooltip always has everything.
    """

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setRange(0, 1000)
        self.setTextVisible(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.short_name = False  # the strip's choice, the same for every bar: the model's short name ("HGB")
        self.setFormat("")

    def setFormat(self, text: str) -> None:  # noqa: N802 - Qt's name
        """New progress words; the tooltip says them in full after the name (callers may set a fuller one after)."""
        super().setFormat(text)
        self.setToolTip(f"{self.name()}: {text}" if text else self.name())

    def colors(self) -> StripColors:
        """The colours painted now, from the current palette."""
        palette = self.palette()
        return strip_colors(self.key, palette.color(QPalette.ColorRole.Base).name(),
                            palette.color(QPalette.ColorRole.Text).name())

    def name(self) -> str:
        """The model's name, as the legend and the tables write it."""
        return label(self.key)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Room for the name and the progress words on one line, above the band."""
        metrics = self.fontMetrics()
        width = QFontMetrics(self._name_font()).horizontalAdvance(self.name()) + metrics.horizontalAdvance(
            "  " + self.format()) + 2 * PAD
        return QSize(width, self._height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Narrow enough for a projector: the words give way first (see :meth:`shown_texts`)."""
        return QSize(self.fontMetrics().horizontalAdvance("M" * 4) + 2 * PAD, self._height())

    def name_room(self) -> float:
        """The share of the bar's text room its full name takes (the strip switches to short names above NAME_SHARE)."""
        room = max(1, self.width() - 2 * PAD)
        return QFontMetrics(self._name_font()).horizontalAdvance(self.name()) / room

    def shown_texts(self) -> tuple[str, str]:
        """The name and the progress words as painted at the bar's width (shortened only when they do not fit)."""
        room = self.width() - 2 * PAD
        name_metrics, metrics = QFontMetrics(self._name_font()), self.fontMetrics()
        name = short_label(self.key) if self.short_name else self.name()
        if name_metrics.horizontalAdvance(name) > room:
            return name_metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(0, room)), ""
        gap = metrics.horizontalAdvance("  ")
        left = room - name_metrics.horizontalAdvance(name) - gap
        for words in self._shorter_words():
            if metrics.horizontalAdvance(words) <= left:
                return name, words
        return name, ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Groove, tinted fill with its band, then the text in one colour over both."""
        colors = self.colors()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        shape = QPainterPath()
        shape.addRoundedRect(outline, 3, 3)
        painter.fillPath(shape, QColor(colors.groove))
        span = self.maximum() - self.minimum()
        fraction = max(0.0, min(1.0, (self.value() - self.minimum()) / span)) if span else 0.0
        if fraction > 0:
            painter.save()
            painter.setClipPath(shape)
            done = QRectF(outline.left(), outline.top(), outline.width() * fraction, outline.height())
            painter.fillRect(done, QColor(colors.fill))
            painter.fillRect(QRectF(done.left(), done.bottom() - BAND, done.width(), BAND), QColor(colors.band))
            painter.restore()
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawPath(shape)
        name, words = self.shown_texts()
        text_box = self.rect().adjusted(PAD, 1, -PAD, -BAND)
        painter.setFont(self._name_font())
        painter.setPen(QColor(colors.name))
        painter.drawText(text_box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name)
        painter.setFont(self.font())
        painter.setPen(QColor(colors.text))
        painter.drawText(text_box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), words)
        painter.end()

    def _shorter_words(self) -> list[str]:
        """The progress words, then shorter forms of them: the part before " · ", then the state's word alone."""
        words = self.format()
        forms = [words, words.split(" · ")[0]]
        first = words.split(" ")[0]
        if not any(ch.isdigit() for ch in first):
            forms.append(first)
        return [form for i, form in enumerate(forms) if form and form not in forms[:i]]

    def _name_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _height(self) -> int:
        return self.fontMetrics().height() + 4 + BAND


class ProgressStrip(QWidget):
    """One small bar per model of the race: whole steps done of planned, validation accuracy, ETA or end state.

    A bar is made for every registered model; only those of the race shown (or, before the first race, of
    the models ticked) are on screen, so five registered models never crowd a three-model race.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bars: dict[str, ModelBar] = {}
        for key in MODEL_KEYS:
            bar = ModelBar(key)
            layout.addWidget(bar, 1)
            self.bars[key] = bar
        self.reset({})

    def reset(self, planned: dict[str, bool]) -> None:
        """A new race: every bar empty; the bars of the models that will run are shown, queued (all, empty, if none)."""
        for key, bar in self.bars.items():
            bar.setValue(0)
            bar.setFormat(status_word("queued") if planned.get(key) else status_word("skipped") if planned else "")
        self.show_only([key for key, runs in planned.items() if runs])

    def show_only(self, keys: Iterable[str]) -> None:
        """Show the bars of ``keys`` only (every bar when there are none): the models of the race shown, or to come."""
        wanted = set(keys) & self.bars.keys()
        for key, bar in self.bars.items():
            bar.setVisible(not wanted or key in wanted)
        self._choose_names()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Another width: full names, or short ones for every bar."""
        super().resizeEvent(event)
        self._choose_names()

    def _choose_names(self) -> None:
        """Every bar writes its model's full name, or (where any full name would leave too little room for the
        words, as five bars on a projector do) every bar its short name: one style, never "MLP" beside "XGBoost"."""
        self.layout().activate()  # the bars' widths for the bars shown now
        shown = [bar for bar in self.bars.values() if not bar.isHidden()]
        short = any(bar.name_room() > NAME_SHARE for bar in shown)
        for bar in shown:
            if bar.short_name != short:
                bar.short_name = short
                bar.update()

    def shown(self) -> list[str]:
        """The models whose bars are shown (for tests)."""
        return [key for key, bar in self.bars.items() if not bar.isHidden()]

    def show_step(self, step: Step) -> None:
        """Advance a model's bar."""
        bar = self.bars[step.model]
        fraction = min(1.0, step.step / step.total) if step.total else 0.0
        bar.setValue(int(1000 * fraction))
        left = step.wall / step.step * (step.total - step.step) if step.step and step.total else 0.0
        # Short enough for a 1024-pixel screen; the card and the tooltip have the rest.
        bar.setFormat(f"{steps(step.step, step.total)} · ETA {left:.0f} s")
        bar.setToolTip(f"{label(step.model)}: {steps(step.step, step.total, unit(step.model))}, validation "
                       f"accuracy {accuracy(step.val_accuracy)}, about {left:.1f} s left")

    def show_entry(self, key: str, entry: ModelEntry) -> None:
        """A model's end state: whole steps done and the word for how it ended."""
        bar = self.bars[key]
        planned = entry.get("planned_steps") or 0
        done = entry.get("steps_done") or 0
        if planned:
            bar.setValue(int(1000 * min(1.0, done / planned)))
        word = status_word(entry["status"])
        if planned:  # short, for narrow screens; the tooltip has the unit
            bar.setFormat(f"{word} at {steps(done, planned)}" if entry["status"] == "stopped" else f"{word} {steps(done, planned)}")
            bar.setToolTip(f"{label(key)} {word}: {steps(done, planned, unit(key))}")
        else:
            bar.setFormat(word)

    def text(self, key: str) -> str:
        """What a model's bar says now, after its name (for tests)."""
        return self.bars[key].format()
