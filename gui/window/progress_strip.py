"""A compact progress line per model under the verdict, always on screen (the cards may be scrolled away)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from modelrace.gui.window.theme import model_text_color
from modelrace.models.results.document import ModelEntry
from modelrace.models.system.formatting import accuracy, status_word, steps
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import MODEL_KEYS, UNITS, short_label



class ProgressStrip(QWidget):
    """One small bar per model: whole steps done of planned, validation accuracy, ETA or end state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bars: dict[str, QProgressBar] = {}
        self.names: dict[str, QLabel] = {}
        for key in MODEL_KEYS:
            name = QLabel(f"<b style='color:{model_text_color(key)}'>{short_label(key)}</b>")
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setTextVisible(True)
            bar.setMaximumHeight(bar.fontMetrics().height() + 6)
            layout.addWidget(name)
            layout.addWidget(bar, 1)
            self.bars[key], self.names[key] = bar, name
        self.reset({})

    def reset(self, planned: dict[str, bool]) -> None:
        """A new race: every bar empty, saying whether its model will run."""
        for key, bar in self.bars.items():
            bar.setValue(0)
            bar.setFormat(status_word("queued") if planned.get(key) else status_word("skipped") if planned else "")

    def show_step(self, step: Step) -> None:
        """Advance a model's bar."""
        bar = self.bars[step.model]
        fraction = min(1.0, step.step / step.total) if step.total else 0.0
        bar.setValue(int(1000 * fraction))
        left = step.wall / step.step * (step.total - step.step) if step.step and step.total else 0.0
        # Short enough for a 1024-pixel screen; the card and the tooltip have the rest.
        bar.setFormat(f"{steps(step.step, step.total)} · ETA {left:.0f} s")
        bar.setToolTip(f"{steps(step.step, step.total, UNITS[step.model])}, validation accuracy "
                       f"{accuracy(step.val_accuracy)}, about {left:.1f} s left")

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
            bar.setToolTip(f"{word}: {steps(done, planned, UNITS[key])}")
        else:
            bar.setFormat(word)

    def text(self, key: str) -> str:
        """What a model's bar says now (for tests)."""
        return self.bars[key].format()
