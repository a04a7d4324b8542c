"""How a race talks to its caller: who hears its events, what stops it, and who starts each model's worker."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from modelrace.models.race.events import Listener, ignore
from modelrace.models.race.workers import PythonThreads, Workers


@dataclass
class RaceHooks:
    """The caller's side of a race; every part has a quiet default (no events, no stop, Python threads)."""

    listen: Listener = ignore
    stop: threading.Event = field(default_factory=threading.Event)
    workers: Workers = field(default_factory=PythonThreads)
