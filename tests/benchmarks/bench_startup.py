"""Start-up: from process start to the window's first paint, and which heavy libraries were loaded by then.

Runs `modelrace gui` in fresh processes (offscreen) N times, timing from just before the process
starts to the moment it reports its first paint. Prints the median and every run.
Target: <= 1.5 s; neither TensorFlow nor XGBoost imported.

    python tests/benchmarks/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def one_start() -> tuple[float, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "MODELRACE_STARTUP_PROBE": "1", "MODELRACE_HOME": tempfile.mkdtemp(prefix="modelrace-start-")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "modelrace.gui", "gui"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    line = ""
    for line in proc.stdout:
        if line.startswith("first-paint"):
            break
    elapsed = time.perf_counter() - start
    proc.wait(timeout=30)
    return elapsed, line.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    one_start()  # warm the OS file cache, as a second launch on a laptop would be
    times, lines = [], set()
    for _ in range(args.runs):
        elapsed, line = one_start()
        times.append(elapsed)
        lines.add(line)
    from modelrace.models.system.environment import cpu_count, cpu_model

    print(f"machine: {cpu_model()}, {cpu_count()} cores; {args.runs} starts (after one warm-up)")
    print("runs: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(f"process start -> first paint: median {statistics.median(times):.2f} s (target <= 1.5 s)")
    print("loaded by first paint: " + "; ".join(sorted(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
