"""One run of the window (a race, its repeats or sizes, or a grid on Dask), coordinated off the GUI thread.

:func:`start_run` opens the data and races it in a Python thread of its own (the coordinator),
which touches no Qt object. Everything it learns goes onto the run's port as frozen events
(``models.race.events``, ``models.cluster.events``): the data opened, the race's own events, and
at the end :class:`RaceFinished` or :class:`RaceFailed`. Each model trains in a QThread of its own,
asked for through the same port (``workers.model_threads``).
"""

from __future__ import annotations

import threading
import typing
from dataclasses import dataclass, field
from pathlib import Path

from modelrace.models.race.events import DatasetOpened, RaceEvent, RaceFailed, RaceFinished
from modelrace.models.system.cpu_load import others_share_now
from modelrace.workers.event_relay import Port
from modelrace.workers.model_threads import ThreadRequests, trainer_niceness

if typing.TYPE_CHECKING:
    from modelrace.models.cluster.grid_plan import GridOptions
    from modelrace.models.data.dataset import Dataset
    from modelrace.models.race.settings import RaceSettings
    from modelrace.models.results.document import Result


@dataclass
class RunChannel:
    """What a run's background threads hold: its port, its stop, and the way to start model threads.

    Plain Python: nothing here is a Qt object, so a background thread holding the last reference
    to it destroys nothing of Qt's.
    """

    run_id: int
    port: Port
    stop: threading.Event = field(default_factory=threading.Event)
    abandon: threading.Event = field(default_factory=threading.Event)  # a grid ends without waiting for its cells
    workers: ThreadRequests = field(init=False)

    def __post_init__(self) -> None:
        self.workers = ThreadRequests(self.port)

    def put(self, event: RaceEvent) -> None:
        """The run's listener: queue ``event`` for the GUI thread (dropped once the run was let go)."""
        self.port.put(event)


def start_run(spec: str, settings: RaceSettings, channel: RunChannel, grid: GridOptions | None = None,
              save_to: Path | None = None) -> threading.Thread:
    """Open ``spec`` and race it in a new coordinating thread; its events go to ``channel``.

    With ``grid`` the cells race on Dask, and the combined result is written to ``save_to``
    (atomically) after every cell that ends.
    """
    thread = threading.Thread(target=_coordinate, args=(spec, settings, channel, grid, save_to),
                              name=f"modelrace-run-{channel.run_id}", daemon=True)
    thread.start()
    return thread


def _coordinate(spec: str, settings: RaceSettings, channel: RunChannel, grid: GridOptions | None,
                save_to: Path | None) -> None:
    from modelrace.models.data.opening import open_dataset  # the engine and its libraries load with the first race

    try:
        dataset = open_dataset(spec, None)
        channel.put(DatasetOpened(dataset.describe()))
        if channel.stop.is_set():
            channel.put(RaceFinished(None))
            return
        if grid is not None:
            result = _drive_grid(dataset, settings, grid, channel, save_to)
        else:
            from modelrace.models.race.engine import run

            # The trainers yield the CPU to the window only on a quiet machine (see trainer_niceness).
            channel.workers.niceness = trainer_niceness(others_share_now())
            result = run(dataset, settings, channel.put, channel.stop, channel.workers)
    except BaseException as exc:  # noqa: BLE001 - the window shows why the run could not go on
        channel.put(RaceFailed(exc))
    else:
        channel.put(RaceFinished(result))


def _drive_grid(dataset: Dataset, settings: RaceSettings, options: GridOptions, channel: RunChannel,
                save_to: Path | None) -> Result | None:
    from modelrace.models.cluster.grid import run_grid  # Dask loads with the first grid, never at start-up
    from modelrace.models.results.files import save_result

    def save(result: Result) -> None:
        if save_to is None:
            return
        try:
            save_to.parent.mkdir(parents=True, exist_ok=True)
            save_result(result, save_to)
        except OSError:  # a full disk must not end the grid: the result is still shown and can be saved by hand
            pass

    return run_grid(dataset, settings, options, channel.put, channel.stop, abandon=channel.abandon, save=save)
