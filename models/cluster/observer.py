"""How a race grid reports progress: an observer whose methods the grid calls as cells start, step and end."""

from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    from modelrace.models.cluster.grid_plan import GridCell
    from modelrace.models.results.document import Result
    from modelrace.models.trainers.protocol import Step


class GridObserver:
    """Receives grid events, from the client's threads (Dask's event loop among them). Override what you need.

    Methods must return quickly and never block: a front end forwards them (a queued Qt signal, a
    redraw of the terminal's lines).
    """

    def grid_started(self, cells: list[GridCell], where: dict) -> None:
        """The cluster is ready; ``cells`` will run (finished cells of a resumed grid are not among them)."""

    def cell_started(self, cell: GridCell, attempt: int, worker: str) -> None:
        """A cell started on ``worker``; ``attempt`` counts from 1 (2 and 3 are retries after a worker died)."""

    def cell_warming(self, cell: GridCell) -> None:
        """A cell's worker is loading the libraries (the first cell on each worker; not timed)."""

    def model_started(self, cell: GridCell, key: str) -> None:
        """A model of a cell started training."""

    def steps(self, cell: GridCell, steps: list[Step], delay: float) -> None:
        """Steps a cell's models reported since the last batch (a few batches a second).

        ``delay`` is how long ago, in seconds, the oldest of them was reported on the worker (clocks of
        other machines may differ by a little).
        """

    def model_finished(self, cell: GridCell, key: str, summary: dict) -> None:
        """A model of a cell ended: ``summary`` has its status, test accuracy, seconds and error."""

    def cell_finished(self, cell: GridCell, record: dict) -> None:
        """A cell ended: ``record["state"]`` is finished, stopped, failed or cancelled (see ``models.cluster.records``)."""

    def grid_saved(self, result: Result) -> None:
        """The combined result was rebuilt (after each finished cell), and written if a file was asked for."""
