"""OpenMP's wait policy: XGBoost's and HistGradientBoosting's training time, spinning (the default) against passive.

GNU OpenMP's threads spin between parallel regions by default. On an idle machine that saves a
wake-up; on a busy one the spinning threads take the cores from the thread with work, and models
built of many small parallel regions slow down many times over. Each arm fits in a fresh process
(the policy is read when the OpenMP runtime loads), on the bundled rows with 2 threads, idle and
beside ``--busy`` processes that each spin one core. Arms alternate in rounds so the machine's noise
falls on both. Prints median training seconds per arm and the passive/default ratio.

    python tests/benchmarks/bench_openmp_wait.py [--rounds 3] [--busy 2] [--models xgb,hgb]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

POLICIES = {"default": None, "passive": "PASSIVE"}


def child(model: str, threads: int) -> None:
    """Fit one model with the tutorial preset's settings and print its training seconds as JSON."""
    from modelrace.models.data import bundled
    from modelrace.models.data.split import make_split
    from modelrace.models.race.presets import load_preset
    from modelrace.models.trainers.registry import trainer_class

    preset = load_preset("tutorial")
    split = make_split(bundled.load(), preset.split)

    class Quiet:
        def put(self, step: object) -> None:
            pass

        def stop_requested(self) -> bool:
            return False

    result = trainer_class(model)(preset.models[model], threads, 0).fit(split, Quiet())
    print(json.dumps({"seconds": result.train_seconds}))


def measure(model: str, policy: str | None, threads: int) -> float:
    """Training seconds of one fit in a fresh process under ``policy``."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if policy:
        env["OMP_WAIT_POLICY"] = policy
    out = subprocess.run([sys.executable, __file__, "--child", model, "--threads", str(threads)], env=env,
                         capture_output=True, text=True, check=True, timeout=3600)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


def main() -> None:
    """Run the arms and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--busy", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--models", default="xgb,hgb")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.threads)
        return
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for busy in (0, args.busy):
        spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
        try:
            time.sleep(1 if busy else 0)
            for model in args.models.split(","):
                times: dict[str, list[float]] = {name: [] for name in POLICIES}
                for _ in range(args.rounds):
                    for name, policy in POLICIES.items():
                        times[name].append(measure(model, policy, args.threads))
                medians = {name: statistics.median(values) for name, values in times.items()}
                print(f"{model:4} beside {busy} busy: default {medians['default']:7.2f} s  passive "
                      f"{medians['passive']:7.2f} s  passive/default {medians['passive'] / medians['default']:.2f}  "
                      f"(all: {json.dumps({k: [round(v, 2) for v in vs] for k, vs in times.items()})})", flush=True)
        finally:
            for spinner in spinners:
                spinner.kill()


if __name__ == "__main__":
    main()
