"""Background jobs for the window, on superqt workers: opening a dataset and running a race.

Every job connects ``errored``, so an unexpected failure is reported to the window instead of being
lost in a thread; one model's failure never reaches here (the engine records it in that model's
entry and the others carry on).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from superqt.utils import create_worker

from modelrace.models.race_settings import RaceSettings
from modelrace.models.thread_priority import lower_thread_priority

if typing.TYPE_CHECKING:
    from modelrace.models.datasets import Dataset
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


def _run_in_background(dataset: Dataset, settings: RaceSettings, bridge: RaceBridge, repeats: int,
                       sizes: list[int] | None) -> dict:
    from modelrace.models.race import run_race  # the engine and its ML libraries load with the first race
    from modelrace.models.repeats import run_repeats, run_sizes

    # Training yields the CPU to the window whenever both want it, so the event loop keeps running on
    # a 2-core laptop; with nothing else to run, training is as fast as before.
    lower_thread_priority(5)
    if sizes:
        return run_sizes(dataset, settings, sizes, repeats, bridge.observer, bridge.stop)
    if repeats > 1:
        return run_repeats(dataset, settings, repeats, bridge.observer, bridge.stop, on_run=bridge.repeat_done)
    return run_race(dataset, settings, bridge.observer, bridge.stop)


def start_race(
    dataset: Dataset,
    settings: RaceSettings,
    bridge: RaceBridge,
    on_result: Callable[[dict], None],
    on_error: Callable[[BaseException], None],
    repeats: int = 1,
    sizes: list[int] | None = None,
) -> Any:
    """Run a race (repeated, or over training-set sizes) in the background, reporting through ``bridge``."""
    return start_job(_run_in_background, dataset, settings, bridge, repeats, sizes, on_result=on_result, on_error=on_error)
