"""A race grid on a cluster that was already running (``--scheduler``): here a LocalCluster the test starts itself."""

from __future__ import annotations

import logging

import pytest
from distributed import LocalCluster

from modelrace.models.cluster.grid import run_grid
from modelrace.models.cluster.grid_plan import GridOptions
from modelrace.models.data import bundled
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.errors import ConfigError


def _settings() -> RaceSettings:
    return RaceSettings(preset=load_preset("quick"), models=["rf", "xgb"], rows=2000, repeats=2)


def test_a_grid_on_a_running_scheduler_uses_its_workers_and_leaves_them_running() -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        result = run_grid(bundled.load(), _settings(), GridOptions(scheduler=cluster.scheduler_address))
        block = result["cluster"]
        assert block["kind"] == "scheduler" and block["address"] == cluster.scheduler_address
        assert block["workers"] == 2 and block["threads_per_race"] >= 1
        assert [cell["state"] for cell in block["cells"]] == ["finished", "finished"]
        assert {cell["worker"] for cell in block["cells"]} <= set(cluster.scheduler_info["workers"])
        assert len(cluster.scheduler_info["workers"]) == 2, "a cluster modelrace did not start is left as it was"


def test_workers_that_run_several_tasks_at_once_are_refused() -> None:
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        with pytest.raises(ConfigError) as caught:
            run_grid(bundled.load(), _settings(), GridOptions(scheduler=cluster.scheduler_address))
    assert "runs 2 tasks at once" in str(caught.value) and "--nthreads 1" in str(caught.value)
