"""Fixtures of the terminal's tests."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

import pytest


@pytest.fixture
def read_until() -> Callable[[subprocess.Popen, str, float], str]:
    """``read_until(proc, text, seconds)``: read the process's stderr until ``text`` appears (or it ends, or time runs
    out); return what was read, with ``text`` checked to be in it."""

    def read(proc: subprocess.Popen, text: str, seconds: float = 240) -> str:
        seen = ""
        deadline = time.monotonic() + seconds
        while text not in seen and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            seen += line
        assert text in seen, seen
        return seen

    return read
