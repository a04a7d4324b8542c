"""A race grid's faults: a worker killed mid-cell, Stop and --resume, other versions, and no process left behind.

RandomForest and XGBoost only, on 3,000 rows: a worker that never loads TensorFlow starts in about a
second, so a killed worker's replacement is quick.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import psutil
import pytest

from modelrace.models.cluster.connect import Connection, start_local
from modelrace.models.cluster.grid import run_grid
from modelrace.models.cluster.grid_plan import GridOptions, grid_fingerprint
from modelrace.models.cluster.events import CellFinished, CellStarted
from modelrace.models.cluster.records import finished_records
from modelrace.models.cluster.versions import VersionMismatch, check_versions
from modelrace.models.data import bundled
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.files import save_result
from modelrace.models.system.errors import ConfigError


def _settings(repeats: int) -> RaceSettings:
    return RaceSettings(preset=load_preset("quick"), models=["rf", "xgb"], rows=3000, repeats=repeats)


def _workers_left() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True)
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(p.cmdline())]


class Killer:
    """SIGKILLs the worker of ``victim`` when one of its attempts starts (``times`` times at most)."""

    def __init__(self, victim: str, times: int) -> None:
        self.victim, self.times = victim, times
        self.connection: Connection | None = None
        self.starts: list[tuple[str, int]] = []
        self.killed = 0

    def __call__(self, event) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(event, CellStarted):
            return
        self.starts.append((event.cell.key, event.attempt))
        if event.cell.key == self.victim and self.killed < self.times and self.connection is not None:
            # The scheduler knows the pid of every worker it registered; a Nanny may not know its new worker's
            # address yet when that worker's first task starts.
            os.kill(self.connection.local_cluster.scheduler.workers[event.worker].pid, signal.SIGKILL)
            self.killed += 1


def test_a_worker_killed_mid_cell_is_retried_and_the_grid_completes() -> None:
    killer = Killer("seed1", times=1)
    result = run_grid(bundled.load(), _settings(2), GridOptions(workers=2, threads=1), killer,
                      on_connection=lambda c: setattr(killer, "connection", c))
    cells = {c["key"]: c for c in result["cluster"]["cells"]}
    assert killer.killed == 1
    assert cells["seed1"]["state"] == "finished" and cells["seed1"]["attempts"] == 2
    assert cells["seed0"]["state"] == "finished" and cells["seed0"]["attempts"] == 1
    assert ("seed1", 2) in killer.starts
    assert result["repeats"]["count"] == 2 and not result["repeats"]["interrupted"]
    assert _workers_left() == []


def test_a_cell_whose_worker_dies_every_time_fails_after_three_starts_and_the_rest_finish() -> None:
    killer = Killer("seed0", times=99)
    result = run_grid(bundled.load(), _settings(2), GridOptions(workers=2, threads=1), killer,
                      on_connection=lambda c: setattr(killer, "connection", c))
    cells = {c["key"]: c for c in result["cluster"]["cells"]}
    assert killer.killed == 3, "the first start and two retries"
    failed = cells["seed0"]
    assert failed["state"] == "failed" and failed["result"] is None
    assert "died 3 times" in failed["error"] and "\n" not in failed["error"]
    assert cells["seed1"]["state"] == "finished", "one cell's failure leaves the others running"
    assert "1 of 2 cells failed" in result["verdict"]["text"]
    assert _workers_left() == []


def test_stop_mid_grid_keeps_finished_cells_and_resume_races_only_the_rest(tmp_path: Path) -> None:
    dataset = bundled.load()
    settings = _settings(4)
    path = tmp_path / "grid.json"
    stop = threading.Event()

    def stop_after_first(event) -> None:  # type: ignore[no-untyped-def]
        if isinstance(event, CellFinished):
            stop.set()

    first = run_grid(dataset, settings, GridOptions(workers=2, threads=1), stop_after_first, stop,
                     save=lambda r: save_result(r, path))
    states = [c["state"] for c in first["cluster"]["cells"]]
    assert states.count("finished") >= 1 and "cancelled" in states, states
    assert len(states) == 4, "every planned cell has a record, raced or not"
    assert _workers_left() == [], "the local cluster shut down after the stop"

    kept = finished_records(path, settings, grid_fingerprint(settings, dataset, None))
    assert set(kept) == {c["key"] for c in first["cluster"]["cells"] if c["state"] == "finished"}
    started: list[str] = []

    def starts(event) -> None:  # type: ignore[no-untyped-def]
        if isinstance(event, CellStarted):
            started.append(event.cell.key)

    second = run_grid(dataset, settings, GridOptions(workers=2, threads=1), starts, resumed=kept,
                      save=lambda r: save_result(r, path))
    assert sorted(started) == sorted({"seed0", "seed1", "seed2", "seed3"} - set(kept)), "only the missing cells raced"
    assert [c["state"] for c in second["cluster"]["cells"]] == ["finished"] * 4
    for key, record in kept.items():
        again = next(c for c in second["cluster"]["cells"] if c["key"] == key)
        assert again["pid"] == record["pid"] and again["result"]["models"] == record["result"]["models"]
    assert second["repeats"]["count"] == 4 and not second["repeats"]["interrupted"]


def test_resume_refuses_a_grid_made_with_other_settings(grid_run: dict) -> None:
    dataset = bundled.load()
    other = RaceSettings(preset=load_preset("quick"), repeats=2, sizes=(1000, 4000))
    with pytest.raises(ConfigError) as caught:
        finished_records(grid_run["path"], other, grid_fingerprint(other, dataset, "tensorflow"))
    assert "other settings" in str(caught.value) and "sizes 1000,2000 there, 1000,4000 here" in str(caught.value)
    assert "\n" not in str(caught.value)
    other = RaceSettings(preset=load_preset("tutorial"), repeats=2, sizes=(1000, 2000))
    with pytest.raises(ConfigError, match="preset"):
        finished_records(grid_run["path"], other, grid_fingerprint(other, dataset, "tensorflow"))


def _fake_xgboost() -> int:
    import distributed.versions as versions

    real = versions._version_cached
    versions._version_cached = lambda name: "0.0.1" if name == "xgboost" else real(name)  # type: ignore[assignment]
    return os.getpid()


def test_other_versions_on_a_worker_are_refused_naming_the_package() -> None:
    connection = start_local(2)
    try:
        check_versions(connection.client, "tensorflow")  # the same versions pass
        victim = sorted(connection.client.scheduler_info()["workers"])[0]
        connection.client.run(_fake_xgboost, workers=[victim])
        with pytest.raises(VersionMismatch) as caught:
            check_versions(connection.client, "tensorflow")
    finally:
        connection.close()
    text = str(caught.value)
    assert f"worker {victim}: xgboost 0.0.1, here " in text and "\n" not in text
    assert "install the same versions" in text


def test_starting_workers_leaves_this_process_environment_alone() -> None:
    before = dict(os.environ)
    connection = start_local(1)
    try:
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MALLOC_TRIM_THRESHOLD_"):
            assert os.environ.get(name) == before.get(name), name
    finally:
        connection.close()


def test_workers_that_cannot_start_are_one_line(monkeypatch) -> None:
    import distributed

    from modelrace.models.cluster.connect import WorkersDidNotStart

    def refuse(**kwargs: object) -> None:
        raise RuntimeError("Nanny failed to start.") from OSError(24, "Too many open files")

    monkeypatch.setattr(distributed, "LocalCluster", refuse)
    with pytest.raises(WorkersDidNotStart) as caught:
        start_local(2)
    text = str(caught.value)
    assert "could not start 2 local worker process(es): OSError" in text and "without --workers" in text
    assert "\n" not in text
