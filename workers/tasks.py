"""Background jobs for the window, on superqt workers: opening a dataset, a race's coordination, exports.

Every job connects ``errored``, so an unexpected failure is reported to the window instead of being
lost in a thread; one model's failure never reaches here (the engine records it in that model's
entry and the others carry on). The models themselves train in QThreads of their own
(``modelrace.workers.model_threads``); the race job only coordinates them.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from superqt.utils import create_worker

from modelrace.models.system.cpu_load import others_share_now
from modelrace.workers.grid_bridge import GridBridge
from modelrace.workers.model_threads import QThreadWorkers, trainer_niceness
from modelrace.workers.race_bridge import RaceBridge

if typing.TYPE_CHECKING:
    from modelrace.models.cluster.grid_plan import GridOptions
    from modelrace.models.data.dataset import Dataset
    from modelrace.models.race.settings import RaceSettings
    from modelrace.models.results.document import Result


def start_job(
    function: Callable[..., Any],
    *args: Any,
    on_result: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_finished: Callable[[], None] | None = None,
) -> Any:
    """Run ``function(*args)`` on the thread pool; results and errors come back on the GUI thread."""
    connect: dict[str, Any] = {"returned": on_result, "errored": on_error}
    if on_finished is not None:
        connect["finished"] = on_finished
    return create_worker(function, *args, _connect=connect, _start_thread=True)


def start_stream(
    generator: Callable[..., Any],
    *args: Any,
    on_item: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_finished: Callable[[], None],
) -> Any:
    """Run a generator function on the thread pool; each yielded item comes back on the GUI thread."""
    connect = {"yielded": on_item, "errored": on_error, "finished": on_finished}
    return create_worker(generator, *args, _connect=connect, _start_thread=True)


def _coordinate(dataset: Dataset, settings: RaceSettings, bridge: RaceBridge, workers: QThreadWorkers) -> Result:
    from modelrace.models.race.engine import run  # the engine and its ML libraries load with the first race

    # The trainers yield the CPU to the window only on a quiet machine (see trainer_niceness).
    workers.niceness = trainer_niceness(others_share_now())
    return run(dataset, settings, bridge.observer, bridge.stop, workers)


def start_race(
    dataset: Dataset,
    settings: RaceSettings,
    bridge: RaceBridge,
    workers: QThreadWorkers,
    on_result: Callable[[Result], None],
    on_error: Callable[[BaseException], None],
) -> Any:
    """Run a race (or its repeats or sizes) in the background: one QThread per model, events through ``bridge``."""
    return start_job(_coordinate, dataset, settings, bridge, workers, on_result=on_result, on_error=on_error)


def _drive_grid(dataset: Dataset, settings: RaceSettings, options: GridOptions, bridge: GridBridge,
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

    return run_grid(dataset, settings, options, bridge.observer, bridge.stop, abandon=bridge.abandon, save=save)


def start_grid(
    dataset: Dataset,
    settings: RaceSettings,
    options: GridOptions,
    bridge: GridBridge,
    on_result: Callable[[Result | None], None],
    on_error: Callable[[BaseException], None],
    save_to: Path | None = None,
) -> Any:
    """Race a grid's cells on Dask in the background (the cluster trains; this thread only drives it).

    The combined result is written to ``save_to`` (atomically) after every cell that ends.
    """
    return start_job(_drive_grid, dataset, settings, options, bridge, save_to, on_result=on_result, on_error=on_error)
