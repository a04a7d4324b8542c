"""Fixtures of the terminal's tests."""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import psutil
import pytest


@pytest.fixture
def reaped() -> Iterator[Callable[[subprocess.Popen], subprocess.Popen]]:
    """``reaped(proc)``: ``proc`` and every process it started are killed after the test if still running, so a
    hung race (or a grid's workers, which leave its process group) can never slow or fail the tests after it."""
    started: list[subprocess.Popen] = []

    def track(proc: subprocess.Popen) -> subprocess.Popen:
        started.append(proc)
        return proc

    yield track
    for proc in started:
        kill_family(proc)
        proc.communicate()


def kill_family(proc: subprocess.Popen) -> None:
    """Kill ``proc``, if it still runs, and every process it started (first, while they are still its children)."""
    if proc.poll() is not None:
        return
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for child in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    proc.kill()


@pytest.fixture
def read_until() -> Callable[[subprocess.Popen, str, float], str]:
    """``read_until(proc, text, seconds)``: read the process's stderr until ``text`` appears (or it ends, or time runs
    out); return what was read, with ``text`` checked to be in it.

    A process still silent when the time is out is killed (a hang guard, not a timing assertion): a read of
    its stderr would otherwise wait for ever.
    """

    def read(proc: subprocess.Popen, text: str, seconds: float = 240) -> str:
        seen = ""
        deadline = time.monotonic() + seconds
        guard = threading.Timer(seconds, kill_family, (proc,))  # a blocked readline returns once the process is gone
        guard.start()
        try:
            while text not in seen and time.monotonic() < deadline:
                line = proc.stderr.readline()
                if not line:
                    break
                seen += line
        finally:
            guard.cancel()
        assert text in seen, seen
        return seen

    return read
