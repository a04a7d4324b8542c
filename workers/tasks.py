"""Background jobs for the window, on superqt workers: opening a dataset and running a race.

Every job connects ``errored``, so an unexpected failure is reported to the window instead of being
lost in a thread; one model's failure never reaches here (the engine records it in that model's
entry and the others carry on).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from superqt.utils import create_worker

from modelrace.models.datasets import Dataset
from modelrace.models.race import RaceSettings, run_race
from modelrace.workers.race_bridge import RaceBridge


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


def start_race(
    dataset: Dataset,
    settings: RaceSettings,
    bridge: RaceBridge,
    on_result: Callable[[dict], None],
    on_error: Callable[[BaseException], None],
    on_finished: Callable[[], None] | None = None,
) -> Any:
    """Run a whole race in the background, reporting through ``bridge``; ``on_result`` gets the result."""
    return start_job(
        run_race, dataset, settings, bridge.observer, bridge.stop,
        on_result=on_result, on_error=on_error, on_finished=on_finished,
    )
