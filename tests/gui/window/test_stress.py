"""The short storm: about 100 cycles of Run, a random wait and Stop in the real window, with restarts, Open
results mid-race, a grid started and stopped, and windows closed mid-race (tests/benchmarks/stress_window.py).

It runs in child processes, so a hang (the watchdog dumps every thread and exits) or an abort fails
this test instead of hanging or killing the test run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

STRESS = Path(__file__).resolve().parents[2] / "benchmarks" / "stress_window.py"


@pytest.mark.slow
def test_a_short_storm_neither_hangs_nor_aborts_and_threads_return_to_baseline(tmp_path: Path) -> None:
    out = tmp_path / "stress.json"
    done = subprocess.run([sys.executable, str(STRESS), "--cycles", "100", "--watchdog", "120", "--seed", "7",
                           "--json", str(out)], capture_output=True, text=True, timeout=1500)
    figures = json.loads(out.read_text())
    assert figures["hangs"] == 0 and figures["aborts"] == 0, done.stdout[-2000:] + done.stderr[-6000:]
    assert figures["failures"] == [], figures["failures"]
    assert figures["cycles"] == 100 and len(figures["children"]) == 1
    threads = figures["children"][-1]["threads"]
    assert threads["end"] <= threads["baseline"], threads
    assert threads["qthreads_end"] <= threads["qthreads_baseline"], threads
    assert done.returncode == 0, done.stdout[-2000:]
