"""What a race tells its front end: frozen event objects, one class per kind of news.

The engine and the grid hand each event to a :data:`Listener`, a plain callable, from whichever
thread the news arose in (a model's worker, the race's coordinator, Dask's event loop). The
terminal draws them at once; the window puts them into one queue that its GUI thread drains
(``modelrace.workers.event_relay``). Both read the same types.

What crosses a thread must be immutable or a copy: every event deep-copies the dicts it is given
as it is made, so the engine may go on changing its own (it pops keys from an entry once the
race is scored, and rewrites a repeat's verdict once all the seeds are in) without a reader on
another thread ever seeing it happen. A grid's events carry the cell they belong to; a plain
race's carry ``cell=None``.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

if typing.TYPE_CHECKING:
    from modelrace.models.results.document import ModelEntry, Result
    from modelrace.models.trainers.protocol import Step


def own_copies(event: object, *names: str) -> None:
    """Replace the named fields of a frozen ``event`` with deep copies (see the module's docstring)."""
    for name in names:
        object.__setattr__(event, name, copy.deepcopy(getattr(event, name)))


@dataclass(frozen=True)
class RaceEvent:
    """Any event of a race; ``cell`` names the grid cell it belongs to (None: a race run here)."""

    cell: Hashable | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class RaceStarted(RaceEvent):
    """The split is cut: ``plan`` maps each model to race to its planned steps (a repeat starts one too)."""

    plan: Mapping[str, int]
    split: Mapping[str, Any]  # the result's ``split`` block
    dataset: Mapping[str, Any]  # the result's ``dataset`` block

    def __post_init__(self) -> None:
        own_copies(self, "plan", "split", "dataset")


@dataclass(frozen=True)
class ModelStarted(RaceEvent):
    """A model began training."""

    model: str


@dataclass(frozen=True)
class LibraryLoading(RaceEvent):
    """A model that has started is first loading its library, which takes seconds before its first step.

    Sent right after :class:`ModelStarted`, and only when ``library`` ("TensorFlow", "JAX",
    "XGBoost", "scikit-learn") is not loaded in this process yet (or an idle-time preload of it is
    still under way): in practice the first race after a start. ``description`` says it in a few
    plain words ("loading TensorFlow (first race only)"); the model's first :class:`Steps` ends it.
    """

    model: str
    library: str
    description: str


@dataclass(frozen=True)
class Steps(RaceEvent):
    """Steps reported by the models, in the order they were reported.

    ``delay`` (a grid's batches only) is how many seconds ago the oldest of them was reported on its
    worker.
    """

    steps: tuple[Step, ...]
    delay: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))


@dataclass(frozen=True)
class ModelFinished(RaceEvent):
    """A model ended (finished, stopped or failed): its result entry (a grid cell's: its summary)."""

    model: str
    entry: ModelEntry | Mapping[str, Any]

    def __post_init__(self) -> None:
        own_copies(self, "entry")


@dataclass(frozen=True)
class RepeatFinished(RaceEvent):
    """One seed of a repeated race is done (``index`` counts from 0), with that seed's result."""

    index: int
    run: Result

    def __post_init__(self) -> None:
        own_copies(self, "run")


@dataclass(frozen=True)
class DatasetOpened(RaceEvent):
    """The data a run will race has opened (``dataset``: its description)."""

    dataset: Mapping[str, Any]

    def __post_init__(self) -> None:
        own_copies(self, "dataset")


@dataclass(frozen=True)
class RaceFinished(RaceEvent):
    """The run is over: its result (complete, or what a stop left), or None when it stopped before any model ran."""

    result: Result | None

    def __post_init__(self) -> None:
        own_copies(self, "result")


@dataclass(frozen=True)
class RaceFailed(RaceEvent):
    """The run could not go on at all (its data would not open, the cluster was unreachable, ...)."""

    error: BaseException


#: Where a race sends its events: called from the engine's threads, it must return quickly.
Listener = Callable[[RaceEvent], None]


def ignore(event: RaceEvent) -> None:
    """The listener of a race nobody watches."""


def merge_steps(events: list[RaceEvent]) -> list[RaceEvent]:
    """``events`` with each run of adjacent :class:`Steps` of one cell joined into one (order kept).

    A front end that redraws a few times a second then grows each curve once per redraw.
    """
    merged: list[RaceEvent] = []
    run: list[Steps] = []

    def close_run() -> None:
        if len(run) == 1:
            merged.append(run[0])
        elif run:
            delays = [s.delay for s in run if s.delay is not None]
            joined = tuple(step for steps in run for step in steps.steps)
            merged.append(Steps(joined, delay=max(delays) if delays else None, cell=run[0].cell))
        run.clear()

    for event in events:
        if isinstance(event, Steps) and (not run or run[0].cell == event.cell):
            run.append(event)
            continue
        close_run()
        if isinstance(event, Steps):
            run.append(event)
        else:
            merged.append(event)
    close_run()
    return merged
