"""How the window shows a run while it goes: one controller for the cards, the strip, the curves and the Cells tab.

It reads the session's single event stream (``models.race.events``, ``models.cluster.events``). A
race run here drives the views directly. A grid races several cells at once, each with its own
models, so the views follow one cell: the first to start, then the newest running one when it
ends, or whichever row the user clicks. Every running cell's events are kept, so switching
redraws the chosen cell at once, and a followed cell's events go through the very code that
shows a race's. As cells (or a race's repeats) finish, their curves fill in the mean curves and
bands behind the live ones.
"""

from __future__ import annotations

import typing
from collections.abc import Hashable
from dataclasses import dataclass, field

from modelrace.models.cluster.events import CellFinished, CellStarted, CellWarming, GridStarted
from modelrace.models.cluster.grid_plan import GridCell, where_words
from modelrace.models.race.events import (
    DatasetOpened, LibraryLoading, ModelFinished, ModelStarted, RaceEvent, RaceStarted, RepeatFinished, Steps,
)
from modelrace.models.system.formatting import accuracy, seconds, status_word
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import label

if typing.TYPE_CHECKING:
    from collections.abc import Mapping

    from modelrace.gui.window.dataset_panel import DatasetPanel
    from modelrace.gui.window.grid_table import GridTable
    from modelrace.gui.window.live_plot import LivePlots
    from modelrace.gui.window.model_card import ModelCard
    from modelrace.gui.window.progress_strip import ProgressStrip
    from modelrace.gui.window.race_session import RaceSession
    from modelrace.gui.window.results_panel import ResultsPanel
    from modelrace.gui.window.verdict_banner import VerdictBanner
    from modelrace.models.race.settings import RaceSettings


class RaceWindow(typing.Protocol):
    """The parts of the main window a run drives (the window is not imported: it imports this)."""

    session: RaceSession
    dataset_panel: DatasetPanel
    grid_table: GridTable
    plots: LivePlots
    cards: dict[str, ModelCard]
    progress_strip: ProgressStrip
    banner: VerdictBanner
    results: ResultsPanel

    def log(self, text: str) -> None: ...
    def show_tab(self, name: str) -> None: ...
    def status_message(self, text: str, milliseconds: int = 0) -> None: ...


@dataclass
class _CellState:
    """What a grid cell has shown so far, to redraw it when it is followed."""

    cell: GridCell
    steps: list[Step] = field(default_factory=list)  # of its current attempt
    models: dict[str, Mapping | None] = field(default_factory=dict)  # model -> its summary once ended (None: training)
    curves: dict[str, list] | None = None  # once finished: its final curves


class LiveRace:
    """Turns the current run's events into what the cards, the strip, the curves and the Cells tab show."""

    def __init__(self, window: RaceWindow) -> None:
        self.window = window
        self.repeat_curves: dict[str, list[list]] = {}  # finished repeats' curves, for the bands
        self.repeats = 1  # seeds the current run races
        self.cells: dict[str, _CellState] = {}
        self.running: list[str] = []  # running cells' keys, in the order they started
        self.followed: str | None = None
        self.where: dict = {}
        self._loading: dict[str, str] = {}  # model -> the library load the status bar tells of
        window.session.event.connect(self.handle)
        window.grid_table.cellChosen.connect(self.follow)

    def reset(self, settings: RaceSettings) -> None:
        """A new run with ``settings``: forget the last one's repeats and cells; tell the results table the
        run's target (its rows fill in as the models finish)."""
        self.repeats = settings.repeats
        self.repeat_curves, self.cells, self.running, self.followed, self.where = {}, {}, [], None, {}
        self._loading.clear()
        self.window.results.expect_race(settings.target, settings.preset.race.target_fraction)

    # ------------------------------------------------------------------------------ the stream
    def handle(self, event: RaceEvent) -> None:
        """Show one event of the current run (the session passes on only those)."""
        if isinstance(event, DatasetOpened):
            self.window.dataset_panel.refresh()
        elif isinstance(event, GridStarted):
            self._grid_started(event)
        elif event.cell is not None:
            self._cell_event(event)
        elif isinstance(event, RaceStarted):
            self._race_started(event.plan, event.split, event.dataset)
        elif isinstance(event, ModelStarted):
            self._model_started(event.model)
            self.window.log(f"{label(event.model)} started")
        elif isinstance(event, LibraryLoading):
            self._library_loading(event.model, event.description)
            self.window.log(f"{label(event.model)}: {event.description}")
        elif isinstance(event, Steps):
            self.show_steps(event.steps)
        elif isinstance(event, ModelFinished):
            self._model_finished(event.model, event.entry)
            self._log_model(event.model, event.entry)
        elif isinstance(event, RepeatFinished):
            self._repeat_finished(event.index, event.run)

    def _race_started(self, plan: Mapping[str, int], split: Mapping, dataset: Mapping) -> None:
        window = self.window
        window.plots.clear()  # a repeat or size starts: its own live curves (bands stay)
        for key in plan:
            window.cards[key].set_state("queued")
        window.progress_strip.reset({key: key in plan for key in window.cards})
        window.results.start_live(split)
        window.log(f"Split: {split['train']:,} train / {split['validation']:,} validation / {split['test']:,} test "
                   f"rows (seed {split['seed']}); {dataset['rows']:,} rows of '{dataset['name']}'")

    def _model_started(self, key: str) -> None:
        self.window.cards[key].set_state("training")
        self.window.progress_strip.bars[key].setFormat(status_word("training"))

    def _library_loading(self, key: str, description: str) -> None:
        """Say why a model that started shows no step yet: its library is loading (the first race only)."""
        self.window.cards[key].set_state("training", description)
        self.window.progress_strip.bars[key].setFormat(description)
        self._loading[key] = f"{label(key)}: {description}…"
        self.window.status_message(self._loading[key])

    def show_steps(self, steps: typing.Sequence[Step]) -> None:
        """Grow the live curves, the cards and the progress strip by a batch of steps."""
        window = self.window
        window.plots.add_steps(list(steps))
        latest = {step.model: step for step in steps}
        loaded = self._loading.keys() & latest.keys()  # their libraries have loaded: their first steps are here
        if loaded:
            for key in loaded:
                del self._loading[key]
                window.cards[key].set_state("training")
            # Another model may still be loading (simultaneous mode): say that one, else the race goes on.
            window.status_message(next(iter(self._loading.values()), "Racing…"))
        for key, step in latest.items():
            window.cards[key].show_step(step)
            window.progress_strip.show_step(step)

    def _model_finished(self, key: str, entry: Mapping) -> None:
        self.window.cards[key].show_entry(entry)  # type: ignore[arg-type]
        self.window.progress_strip.show_entry(key, entry)  # type: ignore[arg-type]
        if self.followed is None:  # a race run here (a grid's cells have the Cells tab)
            self.window.results.show_entry(key, entry)

    def _log_model(self, key: str, entry: Mapping) -> None:
        if entry["status"] == "failed":
            self.window.log(f"{label(key)} failed: {entry['error']}")
            if entry.get("traceback"):
                self.window.log(str(entry["traceback"]).rstrip())
        else:
            self.window.log(f"{label(key)} {status_word(entry['status'])}: test accuracy "
                            f"{accuracy(entry['test_accuracy'])}, {seconds(entry['train_seconds'])} training, "
                            f"{seconds(entry['monitor_seconds'])} monitoring")

    def _repeat_finished(self, index: int, run: Mapping) -> None:
        for key, model in run["models"].items():
            if model.get("curve"):
                self.repeat_curves.setdefault(key, []).append(model["curve"])
        self.window.plots.set_bands(self.repeat_curves)
        self.window.log(f"Repeat {index + 1} of {self.repeats} (seed {run['split']['seed']}) done")

    # ------------------------------------------------------------------------------ a grid's cells
    def _grid_started(self, event: GridStarted) -> None:
        cells = list(event.cells)
        self.cells = {cell.key: _CellState(cell) for cell in cells}
        self.running, self.followed, self.where = [], None, dict(event.where)
        place = where_words(self.where)
        window = self.window
        window.grid_table.reset(cells, models=(self.where.get("grid") or {}).get("models"))
        window.grid_table.caption.setText(
            f"{len(cells)} cells on {place}, {self.where.get('threads_per_race')} thread(s) each. The curves show one "
            "cell at a time: click a row to follow another.")
        window.log(f"Grid: {len(cells)} cells on {place}; dataset sent in {self.where.get('scatter_seconds', 0):.2f} s; "
                   f"the result is saved after every cell to {window.session.grid_file}")
        window.show_tab("cells")

    def _cell_event(self, event: RaceEvent) -> None:
        """An event of one cell: kept, and shown through the race's own code if that cell is followed."""
        key = _cell_key(event.cell)
        state = self.cells.get(key)
        if state is None:
            return
        followed = key == self.followed
        table = self.window.grid_table
        if isinstance(event, CellStarted):
            state.steps, state.models, state.curves = [], {}, None  # a retry starts its curves afresh
            if key not in self.running:
                self.running.append(key)
            table.started(key, event.attempt, event.worker)
            again = f" (attempt {event.attempt}: its worker died)" if event.attempt > 1 else ""
            self.window.log(f"Cell {state.cell.describe()} started on {event.worker}{again}")
            if self.followed is None or self.followed not in self.running or followed:
                self.follow(key)
        elif isinstance(event, CellWarming):
            table.set_state(key, "loading libraries (not timed)")
        elif isinstance(event, ModelStarted):
            state.models[event.model] = None
            table.set_state(key, f"training {label(event.model)}")
            if followed:
                self._model_started(event.model)
        elif isinstance(event, LibraryLoading):
            table.set_state(key, f"{label(event.model)}: {event.description}")
            if followed:
                self._library_loading(event.model, event.description)
        elif isinstance(event, Steps):
            state.steps.extend(event.steps)
            if followed:
                self.show_steps(event.steps)
        elif isinstance(event, ModelFinished):
            state.models[event.model] = event.entry
            if followed:
                self._model_finished(event.model, event.entry)
        elif isinstance(event, CellFinished):
            self._cell_finished(state, dict(event.record))

    def _cell_finished(self, state: _CellState, record: dict) -> None:
        key = state.cell.key
        self.window.grid_table.finished(record)
        if key in self.running:
            self.running.remove(key)
        result = record.get("result")
        if record["state"] == "finished" and result:
            state.curves = {m: e["curve"] for m, e in result["models"].items() if e.get("curve")}
            scores = ", ".join(f"{label(m)} {accuracy(e.get('test_accuracy'))}" for m, e in result["models"].items()
                               if e.get("test_accuracy") is not None)
            self.window.log(f"Cell {state.cell.describe()} finished on {record.get('worker')} in "
                            f"{seconds(record.get('wall_seconds'))}: {scores}")
        else:
            self.window.log(f"Cell {state.cell.describe()} {record['state']}"
                            + (f": {record['error']}" if record.get("error") else ""))
        if key == self.followed and self.running:
            self.follow(self.running[-1])
        else:
            self._show_bands()

    def follow(self, key: str) -> None:
        """Show ``key``'s live curves (or, for a finished cell, its final ones) on the plots, cards and strip."""
        state = self.cells.get(key)
        if state is None:
            return
        self.followed = key
        window = self.window
        window.plots.clear()
        raced = set(self.where.get("grid", {}).get("models") or window.cards)
        window.progress_strip.reset({model: model in raced for model in window.cards})
        for model, card in window.cards.items():
            summary = state.models.get(model)
            if model not in raced:
                card.set_state("skipped")
            elif summary is not None:
                self._model_finished(model, summary)
            else:
                card.set_state("training" if model in state.models else "queued")
        if state.curves is not None:  # finished: its final curves
            for model, curve in state.curves.items():
                window.plots.load_curve(model, curve)
            window.plots.redraw()
        else:
            self.show_steps(state.steps)
        window.grid_table.select(key)
        window.banner.show_idle(f"Racing a grid on {self.place()}; the curves follow {state.cell.describe()}.")
        self._show_bands()

    def place(self) -> str:
        """Where the grid runs, in a few words."""
        if self.where.get("kind") == "local":
            return where_words(self.where)
        return str(self.where.get("address") or "a cluster")

    def _show_bands(self) -> None:
        """The mean curves and bands of the finished cells of the followed cell's size."""
        followed = self.cells.get(self.followed or "")
        size = followed.cell.size if followed is not None else None
        by_model: dict[str, list[list]] = {}
        for state in self.cells.values():
            if state.curves is None or state.cell.size != size:
                continue
            for model, curve in state.curves.items():
                by_model.setdefault(model, []).append(curve)
        self.window.plots.set_bands(by_model)


def _cell_key(cell: Hashable | None) -> str:
    return cell.key if isinstance(cell, GridCell) else str(cell)
