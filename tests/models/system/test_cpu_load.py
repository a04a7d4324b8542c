"""Other programs' share of the CPU while a model trains, and the verdict's warning when it is unfair."""

from __future__ import annotations

import time
from pathlib import Path

from modelrace.models.judging.fairness import contention_warning
from modelrace.models.system.cpu_load import WARN_SHARE, OtherLoad, others_share_now


def watch(seconds: float, work: bool = False) -> dict:
    load = OtherLoad(interval=0.2)
    load.start()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if work:
            sum(i * i for i in range(20_000))  # this process's own work is not "other programs"
        else:
            time.sleep(0.05)
        load.sample()
    return load.stop()


def test_other_processes_are_seen(busy_machine) -> None:
    share = watch(1.5)
    assert share["mean"] > 0.3 and share["peak"] >= share["mean"]
    assert others_share_now(0.5) > 0.3, "the quick look a race takes as it starts sees them too"


def test_this_process_is_not_counted_as_others() -> None:
    # Busy on one core, this process would add 1/cores to the share if it were counted; measured against
    # an idle stretch, so whatever else the shared machine runs cancels out.
    import psutil

    idle, working = watch(1.5)["mean"], watch(1.5, work=True)["mean"]
    assert working < idle + 0.5 / (psutil.cpu_count() or 1), (idle, working)


def test_the_warning_names_every_contended_model() -> None:
    models = {"mlp": {"status": "finished", "contention": {"mean": 0.05, "peak": 0.2}},
              "xgb": {"status": "finished", "contention": {"mean": 0.38, "peak": 0.9}},
              "rf": {"status": "finished", "contention": {"mean": 0.12, "peak": 0.3}}}
    assert contention_warning(models) == ("Timings may be unfair: other programs used 38% of the CPU while XGBoost "
                                          "trained and 12% while RandomForest did; close them and race again.")
    models["xgb"]["contention"]["mean"] = models["rf"]["contention"]["mean"] = WARN_SHARE
    assert contention_warning(models) is None, "at the threshold, no warning"
    assert contention_warning({"rf": {"status": "failed", "contention": {"mean": 0.9, "peak": 1.0}}}) is None


def test_a_race_on_a_busy_machine_warns_in_the_verdict(busy_machine, sample_file: Path) -> None:
    from modelrace.models.data.opening import open_dataset
    from modelrace.models.judging.headline import headline
    from modelrace.models.race.one_race import run_race
    from modelrace.models.race.presets import load_preset
    from modelrace.models.race.settings import RaceSettings

    result = run_race(open_dataset(str(sample_file)), RaceSettings(load_preset("quick"), ["rf", "xgb"], rows=6000))
    verdict = result["verdict"]
    assert verdict["timing_warning"] and verdict["timing_warning"] in verdict["text"]
    assert "Timings may be unfair" in verdict["timing_warning"]
    assert all(result["models"][k]["contention"]["mean"] > WARN_SHARE for k in ("rf", "xgb"))
    assert "Timings" not in headline(result), "the headline stays the answer; the warning has its own place"
