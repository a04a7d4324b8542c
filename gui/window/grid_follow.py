"""How the window shows a race grid while it runs: the Cells tab, and the live curves of one cell at a time.

Several cells train at once, each with its own three models, so the curves follow one cell: the
first to start, then the newest running one when it ends, or whichever row the user clicks. Every
running cell's steps are kept, so switching redraws the chosen cell's curves at once. As cells
finish, the mean curves and 95% bands of the finished cells (of the followed cell's size) fill in
behind the live curves. The grid's final result is shown as any race's.
"""

from __future__ import annotations

import typing

from PySide6.QtCore import QObject

from modelrace.models.cluster.grid_plan import GridCell, where_words
from modelrace.models.system.formatting import accuracy, seconds, status_word
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import label

if typing.TYPE_CHECKING:
    from modelrace.gui.window.grid_table import GridTable
    from modelrace.gui.window.live_plot import LivePlots
    from modelrace.gui.window.model_card import ModelCard
    from modelrace.gui.window.progress_strip import ProgressStrip
    from modelrace.gui.window.race_session import RaceSession
    from modelrace.gui.window.results_panel import VerdictBanner


class GridWindow(typing.Protocol):
    """The parts of the main window a grid drives (the window itself is not imported: it imports this)."""

    session: RaceSession
    grid_table: GridTable
    plots: LivePlots
    cards: dict[str, ModelCard]
    progress_strip: ProgressStrip
    banner: VerdictBanner

    def log(self, text: str) -> None: ...
    def show_tab(self, name: str) -> None: ...
    def show_steps(self, steps: list) -> None: ...


class GridFollow(QObject):
    """Drives the Cells tab, the cards, the progress strip and the curves from a grid's signals."""

    def __init__(self, window: GridWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.cells: dict[str, GridCell] = {}
        self.steps: dict[str, list[Step]] = {}  # each running cell's steps, of its current attempt
        self.models: dict[str, dict[str, dict | None]] = {}  # cell -> model -> its summary once ended (None: training)
        self.curves: dict[str, dict[str, list]] = {}  # finished cells' curves, for the bands
        self.running: list[str] = []  # in the order they started
        self.followed: str | None = None
        self.where: dict = {}
        session = window.session
        session.gridStarted.connect(self._grid_started)
        session.cellStarted.connect(self._cell_started)
        session.cellWarming.connect(lambda cell: self._state(cell.key, "loading libraries (not timed)"))
        session.cellModelStarted.connect(self._model_started)
        session.cellSteps.connect(self._steps)
        session.cellModelFinished.connect(self._model_finished)
        session.cellFinished.connect(self._cell_finished)
        window.grid_table.cellChosen.connect(self.follow)

    def _grid_started(self, cells: list[GridCell], where: dict) -> None:
        self.cells = {cell.key: cell for cell in cells}
        self.steps, self.models, self.curves, self.running, self.followed = {}, {}, {}, [], None
        self.where = where
        place = where_words(where)
        self.window.grid_table.reset(cells)
        self.window.grid_table.caption.setText(
            f"{len(cells)} cells on {place}, {where.get('threads_per_race')} thread(s) each. The curves show one "
            "cell at a time: click a row to follow another.")
        self.window.log(f"Grid: {len(cells)} cells on {place}; dataset sent in {where.get('scatter_seconds', 0):.2f} s; "
                        f"the result is saved after every cell to {self.window.session.grid_file}")
        self.window.show_tab("cells")

    def _cell_started(self, cell: GridCell, attempt: int, worker: str) -> None:
        key = cell.key
        self.steps[key] = []  # a retry starts its curves afresh
        self.models[key] = {}
        if key not in self.running:
            self.running.append(key)
        self.window.grid_table.started(key, attempt, worker)
        again = f" (attempt {attempt}: its worker died)" if attempt > 1 else ""
        self.window.log(f"Cell {cell.describe()} started on {worker}{again}")
        if self.followed is None or self.followed not in self.running or self.followed == key:
            self.follow(key)

    def _model_started(self, cell: GridCell, model: str) -> None:
        self.models.setdefault(cell.key, {})[model] = None
        self._state(cell.key, f"training {label(model)}")
        if cell.key == self.followed:
            self.window.cards[model].set_state("training")
            self.window.progress_strip.bars[model].setFormat(status_word("training"))

    def _steps(self, cell: GridCell, steps: list[Step]) -> None:
        self.steps.setdefault(cell.key, []).extend(steps)
        if cell.key == self.followed:
            self.window.show_steps(steps)

    def _model_finished(self, cell: GridCell, model: str, summary: dict) -> None:
        self.models.setdefault(cell.key, {})[model] = summary
        if cell.key == self.followed:
            self.window.cards[model].show_entry(summary)  # type: ignore[arg-type]
            self.window.progress_strip.show_entry(model, summary)  # type: ignore[arg-type]

    def _cell_finished(self, cell: GridCell, record: dict) -> None:
        key = cell.key
        self.window.grid_table.finished(record)
        if key in self.running:
            self.running.remove(key)
        result = record.get("result")
        if record["state"] == "finished" and result:
            self.curves[key] = {m: e["curve"] for m, e in result["models"].items() if e.get("curve")}
            scores = ", ".join(f"{label(m)} {accuracy(e.get('test_accuracy'))}" for m, e in result["models"].items()
                               if e.get("test_accuracy") is not None)
            self.window.log(f"Cell {cell.describe()} finished on {record.get('worker')} in "
                            f"{seconds(record.get('wall_seconds'))}: {scores}")
        else:
            self.window.log(f"Cell {cell.describe()} {record['state']}" + (f": {record['error']}" if record.get("error") else ""))
        if key == self.followed and self.running:
            self.follow(self.running[-1])
        else:
            self._show_bands()

    def follow(self, key: str) -> None:
        """Show ``key``'s live curves (or, for a finished cell, its final ones) on the plots and cards."""
        if key not in self.cells:
            return
        self.followed = key
        window = self.window
        window.plots.clear()
        states = self.models.get(key, {})
        raced = set(self.where.get("grid", {}).get("models") or window.cards)
        window.progress_strip.reset({model: model in raced for model in window.cards})
        for model, card in window.cards.items():
            summary = states.get(model)
            if model not in raced:
                card.set_state("skipped")
            elif isinstance(summary, dict):
                card.show_entry(summary)  # type: ignore[arg-type]
                window.progress_strip.show_entry(model, summary)  # type: ignore[arg-type]
            else:
                card.set_state("training" if model in states else "queued")
        if key in self.curves:  # finished: its final curves
            for model, curve in self.curves[key].items():
                window.plots.load_curve(model, curve)
            window.plots.redraw()
        else:
            window.show_steps(self.steps.get(key, []))
        window.grid_table.select(key)
        window.banner.show_idle(f"Racing a grid on {self.place()}; the curves follow {self.cells[key].describe()}.")
        self._show_bands()

    def place(self) -> str:
        """Where the grid runs, in a few words."""
        if self.where.get("kind") == "local":
            return where_words(self.where)
        return str(self.where.get("address") or "a cluster")

    def _show_bands(self) -> None:
        """The mean curves and bands of the finished cells of the followed cell's size."""
        size = self.cells[self.followed].size if self.followed in self.cells else None
        by_model: dict[str, list[list]] = {}
        for key, curves in self.curves.items():
            if self.cells.get(key) is None or self.cells[key].size != size:
                continue
            for model, curve in curves.items():
                by_model.setdefault(model, []).append(curve)
        self.window.plots.set_bands(by_model)

    def _state(self, key: str, text: str) -> None:
        if key in self.cells:
            self.window.grid_table.set_state(key, text)
