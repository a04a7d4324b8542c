"""GPU against CPU for the MLP and XGBoost, side by side in one run (needs an NVIDIA GPU).

Each model is trained on the CPU and on the GPU alternately (A B A B); prints median training
seconds and the ratio GPU / CPU (below 1: the GPU is faster). On a machine without a GPU it says
so and exits 0.

    python tests/benchmarks/bench_gpu.py [--data PATH] [--preset tutorial] [--repeats 3] [--rows N]
"""

from __future__ import annotations

import argparse
import statistics
import sys

from bench_common import NullSink, SAMPLE_FILE
from modelrace.models.data.opening import open_dataset
from modelrace.models.system.environment import cpu_count, cpu_model
from modelrace.models.system.gpus import detect_gpus
from modelrace.models.race.presets import load_preset
from modelrace.models.race.one_race import prepare, run_model
from modelrace.models.race.settings import RaceSettings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SAMPLE_FILE))
    parser.add_argument("--preset", default="tutorial")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--models", default="mlp,xgb")
    args = parser.parse_args()
    gpus = detect_gpus()
    if not gpus:
        print("no NVIDIA GPU found on this machine; nothing to compare")
        return 0
    preset = load_preset(args.preset)
    dataset, split = prepare(open_dataset(args.data), RaceSettings(preset=preset, rows=args.rows))
    threads, seed = cpu_count(), preset.split.seed
    print(f"machine: {cpu_model()}, {threads} cores, GPU {gpus[0]}; {len(split.y_train):,} training rows; "
          f"preset {preset.name}; {args.repeats} alternating repeats")
    print(f"{'model':<5} {'CPU median s':>13} {'GPU median s':>13} {'GPU/CPU':>8} {'CPU acc':>8} {'GPU acc':>8}")
    for key in args.models.split(","):
        config = preset.models[key]
        times: dict[str, list[float]] = {"cpu": [], "gpu": []}
        accuracy: dict[str, float] = {}
        run_model(key, config, split, dataset.classes, threads, seed, NullSink(), "gpu")  # warm-up: CUDA start-up
        for _ in range(args.repeats):
            for device in ("cpu", "gpu"):
                entry = run_model(key, config, split, dataset.classes, threads, seed, NullSink(), device)
                if entry["status"] == "failed":
                    print(f"{key} on {device} failed: {entry['error']}")
                    return 1
                times[device].append(entry["train_seconds"])
                accuracy[device] = entry["test_accuracy"]
        cpu, gpu = statistics.median(times["cpu"]), statistics.median(times["gpu"])
        print(f"{key:<5} {cpu:>13.2f} {gpu:>13.2f} {gpu / cpu:>8.2f} {accuracy['cpu']:>8.4f} {accuracy['gpu']:>8.4f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
