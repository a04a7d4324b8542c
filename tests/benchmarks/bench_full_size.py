"""Full-size races: wall time, peak memory, each model's time-to-target and monitoring share.

The real rows are resampled to the full 581,012 x 55 shape (for timing only), imported once, and
each preset is raced in a fresh process whose peak resident memory is read at exit.
Targets: peak RSS of the quick race <= 3 GB; monitoring <= 3% of each model's training time.

    python tests/benchmarks/bench_full_size.py [--presets quick,tutorial] [--rows 581012]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_common import SAMPLE_FILE

WRAPPER = (
    "import resource, sys\n"
    "from modelrace.gui.terminal.main import main\n"
    "sys.argv = ['modelrace'] + sys.argv[1:]\n"
    "try:\n"
    "    code = main()\n"
    "finally:\n"
    "    print('peak-rss-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default="quick,tutorial")
    parser.add_argument("--rows", type=int, default=581_012)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="modelrace-full-"))
    env = {**os.environ, "MODELRACE_HOME": str(work / "home")}
    rows = pd.read_csv(SAMPLE_FILE).to_numpy()
    big = rows[np.random.default_rng(0).integers(0, len(rows), args.rows)]
    archive = work / "covtype.data.gz"
    with gzip.open(archive, "wt", compresslevel=6) as handle:
        np.savetxt(handle, big, fmt="%d", delimiter=",")
    subprocess.run([sys.executable, "-m", "modelrace.gui", "data", "import", str(archive), "--name", "full"],
                   env=env, check=True, capture_output=True)
    from modelrace.models.system.environment import cpu_count, cpu_model

    print(f"machine: {cpu_model()}, {cpu_count()} cores; {args.rows:,} resampled real rows", flush=True)
    for preset in args.presets.split(","):
        out = work / f"{preset}.json"
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", WRAPPER, "race", "--data", "full", "--preset", preset,
                               "--json", str(out)], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("peak-rss-kb")), 0)
        if proc.returncode != 0:
            print(f"{preset}: failed ({proc.returncode}): {proc.stderr[-500:]}")
            continue
        result = json.loads(out.read_text())
        print(f"\n{preset}: wall {wall:.1f} s, peak RSS {peak / 1e6:.2f} GB, {result['split']['train']:,} training rows")
        for key, model in result["models"].items():
            if model["status"] == "skipped":
                continue
            share = model["monitor_seconds"] / model["train_seconds"] if model["train_seconds"] else 0
            reached = result["verdict"]["time_to_target"].get(key)
            print(f"  {key:<4} train {model['train_seconds']:8.1f} s  monitoring {100 * share:4.1f}%  test acc "
                  f"{model['test_accuracy']:.4f}  to target {'never' if reached is None else f'{reached:.1f} s'}")
        print(f"  verdict: {result['verdict']['text']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
