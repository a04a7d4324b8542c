"""The allocator-arena limit: resident memory per race and training time, glibc's default against the app's limit.

Each arm runs in a fresh process, as the app would: the arena limit is set first (or not, for
"default"), then warm-up races, then measured races of all three models on the quick preset. Arms
alternate in rounds so that the machine's noise falls on both. Prints, per arm, the resident memory
each race adds (the slope over the measured races) and the median training seconds per model, and
the ratios against the default. Target: memory growth well below the default's; training time
ratios within noise (<= 1.05).

    python tests/benchmarks/bench_allocator.py [--rounds 2] [--races 10] [--rows 4000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ARMS = {"default": "0", "2 arenas": "2", "4 arenas": "4"}


def child(races: int, rows: int, warmup: int) -> None:
    """One arm: warm-up races, then measured ones; print JSON with RSS per race and training seconds."""
    import psutil

    from modelrace.models.data.opening import open_dataset
    from modelrace.models.race.engine import run
    from modelrace.models.race.presets import load_preset
    from modelrace.models.race.settings import RaceSettings
    from modelrace.models.system.memory import limit_allocator_arenas

    limit_allocator_arenas()
    dataset = open_dataset(None)
    process = psutil.Process()
    rss, seconds = [], {}
    for i in range(warmup + races):
        result = run(dataset, RaceSettings(load_preset("quick"), rows=rows, seed=i))
        if i >= warmup:
            rss.append(process.memory_info().rss / 1e6)
            for key, model in result["models"].items():
                seconds.setdefault(key, []).append(model["train_seconds"])
    print("RESULT " + json.dumps({"rss": rss, "seconds": seconds}))


def slope(values: list[float]) -> float:
    """Least-squares MB per race."""
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(values)
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / sum((x - mean_x) ** 2 for x in range(n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--races", type=int, default=10)
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.races, args.rows, args.warmup)
        return 0
    growth: dict[str, list[float]] = {arm: [] for arm in ARMS}
    seconds: dict[str, dict[str, list[float]]] = {arm: {} for arm in ARMS}
    for _ in range(args.rounds):
        for arm, value in ARMS.items():
            env = {**os.environ, "MODELRACE_MALLOC_ARENAS": value, "MODELRACE_HOME": tempfile.mkdtemp(prefix="modelrace-arena-")}
            run = subprocess.run([sys.executable, __file__, "--child", "--races", str(args.races), "--rows", str(args.rows),
                                  "--warmup", str(args.warmup)], env=env, capture_output=True, text=True, check=True)
            data = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))[7:])
            growth[arm].append(slope(data["rss"]))
            for key, values in data["seconds"].items():
                seconds[arm].setdefault(key, []).extend(values)
    from modelrace.models.system.environment import cpu_count, cpu_model

    print(f"machine: {cpu_model()}, {cpu_count()} cores; {args.rounds} rounds x {args.races} races per arm "
          f"(after {args.warmup} warm-up), quick preset, {args.rows:,} rows")
    base_growth = statistics.median(growth["default"])
    for arm in ARMS:
        line = f"{arm:>9}: RSS {statistics.median(growth[arm]):+.2f} MB/race"
        if arm != "default":
            line += f" (x{statistics.median(growth[arm]) / base_growth:.2f} of default)" if base_growth > 0 else ""
        for key, values in sorted(seconds[arm].items()):
            median = statistics.median(values)
            line += f"; {key} {median:.2f} s"
            if arm != "default":
                line += f" (x{median / statistics.median(seconds['default'][key]):.3f})"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
