"""Fits on a busy machine: engine against bare library fits, as the terminal and as the window runs them.

A controlled background load is started (one CPU-bound process on a 2-core machine, one per other
core elsewhere), then, per model and per repeat, alternating: a bare library fit; the engine's fit on
a plain thread (the terminal); the engine's fit on a thread lowered by the window's trainer niceness
(the window's QThread workers run there). The same three run on the quiet machine first. Prints
medians and each engine/bare ratio, under load and quiet (target: <= 1.2 under load).

    python tests/benchmarks/bench_under_load.py [--models xgb,rf,mlp] [--repeats 3] [--rows N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time

from bench_common import NullSink, SAMPLE_FILE
from bench_engine_overhead import BARE
from modelrace.models.data.opening import open_dataset
from modelrace.models.race.one_race import prepare, run_model
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.environment import cpu_count, cpu_model
from modelrace.models.system.thread_priority import lower_thread_priority
from modelrace.workers.model_threads import TRAINER_NICENESS

BUSY = "import time\nend = time.monotonic() + 3600\nwhile time.monotonic() < end: pass\n"


def on_thread(work, niceness: int = 0):  # noqa: ANN001, ANN201 - a benchmark helper
    """Run ``work`` on a new thread (lowered by ``niceness``, as the window's workers are) and return its value."""
    box: dict = {}

    def body() -> None:
        if niceness:
            lower_thread_priority(niceness)
        box["value"] = work()

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    return box["value"]


def measure(key: str, split, dataset, config, threads: int, seed: int, repeats: int) -> dict[str, list[float]]:  # noqa: ANN001
    """Alternate bare, terminal-engine and window-engine fits; training seconds of each."""
    arms: dict[str, list[float]] = {"bare": [], "terminal": [], "window": []}
    for _ in range(repeats):
        arms["bare"].append(on_thread(lambda: BARE[key](split, config, threads, seed)))
        for arm, niceness in (("terminal", 0), ("window", TRAINER_NICENESS)):
            entry = on_thread(lambda: run_model(key, config, split, dataset.classes, threads, seed, NullSink()), niceness)
            arms[arm].append(entry["train_seconds"])
    return arms


def main() -> int:
    """Quiet figures, then the same under a background load; one line per model and phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SAMPLE_FILE))
    parser.add_argument("--preset", default="tutorial")
    parser.add_argument("--models", default="xgb,rf,mlp")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int)
    args = parser.parse_args()
    preset = load_preset(args.preset)
    settings = RaceSettings(preset=preset, rows=args.rows)
    dataset, split = prepare(open_dataset(args.data), settings)
    threads, seed = cpu_count(), settings.resolved_seed()
    busy_count = 1 if threads <= 2 else threads - 1
    print(f"machine: {cpu_model()}, {threads} cores; {len(split.y_train):,} training rows; preset {preset.name}; "
          f"{args.repeats} alternating repeats; load: {busy_count} busy process(es); window niceness {TRAINER_NICENESS}")
    print(f"{'model':<5} {'phase':<6} {'bare s':>8} {'terminal s':>11} {'window s':>9} {'terminal/bare':>14} {'window/bare':>12}")
    for key in args.models.split(","):
        config = preset.models[key]
        BARE[key](split, config, threads, seed)  # warm-up: imports, first-call compilation
        for phase in ("quiet", "loaded"):
            load = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(busy_count if phase == "loaded" else 0)]
            time.sleep(0.5 if load else 0)
            try:
                arms = measure(key, split, dataset, config, threads, seed, args.repeats)
            finally:
                for proc in load:
                    proc.kill()
                    proc.wait()
            bare, terminal, window = (statistics.median(arms[a]) for a in ("bare", "terminal", "window"))
            print(f"{key:<5} {phase:<6} {bare:>8.2f} {terminal:>11.2f} {window:>9.2f} {terminal / bare:>14.2f} "
                  f"{window / bare:>12.2f}", flush=True)
    print("target: engine/bare <= 1.2 under load, in the window as in the terminal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
