"""A stopped repeated race counts only its complete runs, and says it was interrupted (repeats and sizes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelrace.models.data.opening import open_dataset
from modelrace.models.race.engine import run
from modelrace.models.race.events import RaceEvent, RaceStarted, Steps
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings


class StopAt:
    """Sets the stop when the ``race``-th race (from 1) reaches boosting round ``rounds`` (XGBoost races last)."""

    def __init__(self, race: int, rounds: int) -> None:
        import threading

        self.stop = threading.Event()
        self.races = 0
        self.race, self.rounds = race, rounds

    def __call__(self, event: RaceEvent) -> None:
        if isinstance(event, RaceStarted):
            self.races += 1
        elif isinstance(event, Steps):
            if any(self.races == self.race and s.model == "xgb" and s.step >= self.rounds for s in event.steps):
                self.stop.set()


def race(sample_file: Path, stop_at: StopAt, **settings) -> dict:
    base = RaceSettings(load_preset("quick"), ["rf", "xgb"], **settings)
    return run(open_dataset(str(sample_file)), base, stop_at, stop_at.stop)


@pytest.mark.parametrize("stop_in, complete", [(2, 1), (3, 2)])
def test_only_complete_runs_count(sample_file: Path, stop_in: int, complete: int) -> None:
    result = race(sample_file, StopAt(stop_in, 25), rows=2000, repeats=4)
    repeats = result["repeats"]
    assert repeats["count"] == complete and repeats["planned"] == 4 and repeats["interrupted"] is True
    assert len(repeats["runs"]) == complete and len(repeats["claim_per_run"]) == complete
    assert {s["runs"] for s in repeats["summary"].values()} == {complete}, "every model over the same runs"
    assert {s["test_accuracy"]["n"] for s in repeats["summary"].values()} == {complete}
    assert all(m["status"] == "finished" for r in repeats["runs"] for m in r["models"].values() if m["status"] != "skipped")
    assert f"interrupted: {complete} of 4 runs were complete" in result["verdict"]["text"]


def test_a_stop_in_the_first_run_gives_that_run_and_says_so(sample_file: Path) -> None:
    result = race(sample_file, StopAt(1, 25), rows=2000, repeats=3)
    assert "repeats" not in result and result["models"]["xgb"]["status"] == "stopped"
    assert "stopped during the first of 3 seeds" in result["verdict"]["text"]


def test_a_stop_between_sizes_keeps_the_complete_sizes(sample_file: Path) -> None:
    result = race(sample_file, StopAt(2, 25), sizes=(500, 1000, 1500))
    curve = result["size_curve"]
    assert curve["sizes"] == [500] and curve["planned_sizes"] == [500, 1000, 1500] and curve["interrupted"] is True
    assert result["split"]["train"] == 500, "the result is the largest complete size's"
    assert "1 of 3 sizes were complete" in result["verdict"]["text"]


def test_ctrl_c_during_repeats_writes_only_complete_runs(tmp_path: Path) -> None:
    out = tmp_path / "stopped.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelrace.gui", "race", "--models", "rf,xgb", "--preset", "strong", "--rows", "4000",
         "--repeats", "4", "--json", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seen, blocks = "", 0
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # wait for the second run's forest to be growing
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
        blocks += line.startswith("covtype-16k:")
        if blocks == 2 and "trees" in line:
            break
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr[-2000:]
    repeats = json.loads(out.read_text())["repeats"]
    assert repeats["count"] == 1 and repeats["interrupted"] is True and repeats["planned"] == 4
    assert "1 of 4 runs were complete" in " ".join(stdout.split())  # the verdict is wrapped at 100 columns
