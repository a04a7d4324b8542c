"""Engine overhead: each model's fit through the engine against the same fit as bare library calls.

Same data, split, seed, threads and settings (the ``tutorial`` preset). Runs alternate bare/engine
(A B A B ...) so that machine noise hits both alike; prints medians and the ratio
engine train seconds / bare fit seconds (monitoring excluded from the engine's figure, as the
engine reports it).

    python tests/benchmarks/bench_engine_overhead.py [--data PATH] [--repeats N] [--rows N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from bench_common import NullSink, SAMPLE_FILE
from modelrace.models.data.opening import open_dataset
from modelrace.models.system.environment import cpu_count, cpu_model
from modelrace.models.trainers.keras_setup import import_keras
from modelrace.models.race.presets import load_preset
from modelrace.models.race.one_race import prepare, run_model
from modelrace.models.race.settings import RaceSettings


def bare_mlp(split, config, threads: int, seed: int) -> float:
    keras, _ = import_keras(threads)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(split.X_train.shape[1],))])
    for units in config.hidden:
        model.add(keras.layers.Dense(units, activation=config.activation))
        model.add(keras.layers.Dropout(config.dropout))
    model.add(keras.layers.Dense(split.n_classes, activation="softmax"))
    schedule = keras.optimizers.schedules.InverseTimeDecay(config.learning_rate, decay_steps=1, decay_rate=config.decay)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    targets = np.eye(split.n_classes, dtype=np.float32)[split.y_train]
    start = time.perf_counter()
    model.fit(split.X_train, targets, batch_size=config.batch_size, epochs=config.epochs, shuffle=True, verbose=0)
    return time.perf_counter() - start


def bare_rf(split, config, threads: int, seed: int) -> float:
    from sklearn.ensemble import RandomForestClassifier

    forest = RandomForestClassifier(n_jobs=threads, random_state=seed, **config.sklearn_params())
    start = time.perf_counter()
    forest.fit(split.X_train, split.y_train)
    return time.perf_counter() - start


def bare_xgb(split, config, threads: int, seed: int) -> float:
    from dataclasses import asdict

    import xgboost as xgb

    model = xgb.XGBClassifier(n_jobs=threads, random_state=seed, **asdict(config))
    start = time.perf_counter()
    model.fit(split.X_train, split.y_train)
    return time.perf_counter() - start


BARE = {"mlp": bare_mlp, "rf": bare_rf, "xgb": bare_xgb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SAMPLE_FILE))
    parser.add_argument("--preset", default="tutorial")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--models", default="mlp,rf,xgb")
    args = parser.parse_args()

    preset = load_preset(args.preset)
    settings = RaceSettings(preset=preset, rows=args.rows)
    dataset, split = prepare(open_dataset(args.data), settings)
    threads, seed = cpu_count(), settings.resolved_seed()
    print(f"machine: {cpu_model()}, {threads} cores; data {dataset.name}: {len(split.y_train):,} training rows; "
          f"preset {preset.name}; {args.repeats} alternating repeats")
    print(f"{'model':<5} {'bare median s':>14} {'engine median s':>16} {'ratio':>7} {'monitor %':>10}")
    worst = 0.0
    for key in args.models.split(","):
        config = preset.models[key]
        BARE[key](split, config, threads, seed)  # warm-up: imports, first-call compilation
        bare, engine, monitor = [], [], []
        for _ in range(args.repeats):
            bare.append(BARE[key](split, config, threads, seed))
            entry = run_model(key, config, split, dataset.classes, threads, seed, NullSink())
            engine.append(entry["train_seconds"])
            monitor.append(entry["monitor_seconds"] / entry["train_seconds"])
        ratio = statistics.median(engine) / statistics.median(bare)
        worst = max(worst, ratio)
        print(f"{key:<5} {statistics.median(bare):>14.3f} {statistics.median(engine):>16.3f} {ratio:>7.3f} "
              f"{100 * statistics.median(monitor):>9.1f}%", flush=True)
    print(f"worst ratio {worst:.3f} (target <= 1.05)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
