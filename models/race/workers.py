"""How the engine starts the worker that trains one model: a small protocol, and plain Python threads.

The engine never creates threads itself; a front end hands it a :class:`Workers`. The terminal uses
:class:`PythonThreads`; the window uses one QThread per model (``modelrace.workers.model_threads``).
Each result records which kind trained each model (``models.<key>.worker``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol


class Workers(Protocol):
    """Starts one worker per model; ``kind`` names it in results ("thread", "QThread")."""

    kind: str

    def start(self, name: str, work: Callable[[], None]) -> threading.Event:
        """Run ``work()`` in a new worker named ``name``; the event is set once it has returned.

        ``work`` reports its own failures (it never raises). The event is also set, without ``work``
        having run, if the worker could not start because the front end is shutting down.
        """


class PythonThreads:
    """One daemon ``threading.Thread`` per model (the terminal's way)."""

    kind = "thread"

    def start(self, name: str, work: Callable[[], None]) -> threading.Event:
        """Run ``work`` in a new daemon thread; the event is set when it returns."""
        done = threading.Event()

        def run() -> None:
            try:
                work()
            finally:
                done.set()

        threading.Thread(target=run, name=name, daemon=True).start()
        return done


def wait(done: threading.Event) -> None:
    """Wait for a worker in short slices, so the waiting thread still runs signal handlers (Ctrl+C).

    An Event, not ``Thread.join``: join from a Qt pool thread registers a dummy Thread that is never freed.
    """
    while not done.wait(0.1):
        pass
