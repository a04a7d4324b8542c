"""A race grid's own events: the grid started, a cell started, warmed up or ended.

Inside a cell, the grid passes on the race's own events (``models.race.events``: model started,
steps, model finished) with ``cell`` set, so a front end draws a cell with the code that draws a
race. Like those, these are frozen and own copies of what they carry.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from modelrace.models.race.events import RaceEvent, own_copies

if typing.TYPE_CHECKING:
    from modelrace.models.cluster.grid_plan import GridCell


@dataclass(frozen=True)
class GridStarted(RaceEvent):
    """The cluster is ready: ``cells`` will race (a resumed grid's finished cells are not among them)."""

    cells: tuple[GridCell, ...]
    where: Mapping[str, Any]  # kind, address, workers, threads_per_race, the grid's fingerprint, ...

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", tuple(self.cells))
        own_copies(self, "where")


@dataclass(frozen=True)
class CellStarted(RaceEvent):
    """``cell`` started on ``worker``; ``attempt`` counts from 1 (2 and 3 are retries after a worker died)."""

    attempt: int
    worker: str


@dataclass(frozen=True)
class CellWarming(RaceEvent):
    """``cell``'s worker is loading the libraries (the first cell on each worker; not timed)."""


@dataclass(frozen=True)
class CellFinished(RaceEvent):
    """``cell`` ended: ``record["state"]`` is finished, stopped, failed or cancelled (see ``models.cluster.records``)."""

    record: Mapping[str, Any]

    def __post_init__(self) -> None:
        own_copies(self, "record")
