"""The engine's entry point: one call runs whatever the settings ask for (a race, repeats, or sizes).

Both front ends call :func:`run`; the rules that choose between a single race, repeated seeds and a
size curve, and that keep sizes and rows apart (see RaceSettings), live here and in the settings,
once.
"""

from __future__ import annotations

import threading

from modelrace.models.data.dataset import Dataset
from modelrace.models.race.hooks import RaceHooks
from modelrace.models.race.events import Listener
from modelrace.models.race.one_race import run_race
from modelrace.models.race.repeats import run_repeats
from modelrace.models.race.settings import RaceSettings
from modelrace.models.race.sizes import run_sizes
from modelrace.models.race.workers import Workers
from modelrace.models.results.document import Result


def run(
    dataset: Dataset,
    settings: RaceSettings,
    listen: Listener | None = None,
    stop: threading.Event | None = None,
    workers: Workers | None = None,
) -> Result:
    """Race ``dataset`` as ``settings`` say and return the result (a JSON-ready document).

    ``listen`` hears every event (``models.race.events``, from worker threads), setting ``stop`` ends the race at each
    model's next step (finished and partial models are kept), and ``workers`` starts each model's
    worker: Python threads by default, one QThread per model in the window.
    """
    quiet = RaceHooks()
    hooks = RaceHooks(listen or quiet.listen, stop or quiet.stop, workers or quiet.workers)
    if settings.sizes:
        return run_sizes(dataset, settings, hooks)
    if settings.repeats > 1:
        return run_repeats(dataset, settings, hooks)
    return run_race(dataset, settings, hooks)
