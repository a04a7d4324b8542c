"""The same 8-cell race grid three ways: in one process (as without Dask), on 2 local workers, and on 1.

    python tests/benchmarks/bench_grid.py [--sizes 1000,2000,4000,8000] [--repeats 2] [--preset quick]

Prints, for each way: the grid's wall time, the sum of its cells' wall times, and the distribution
overhead, grid wall ÷ (sum of cell walls ÷ workers) (target ≤ 1.15: at least 85% of the workers'
time goes to cells). Also the per-cell costs of distribution: starting the cluster, scattering the
dataset, the gap between a cell ending and the next starting on the same worker, and the libraries'
load on each fresh worker. Last, the memory-bandwidth cost of sharing a machine: each cell's
training seconds on 2 workers against 1 (same cells, same threads).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from modelrace.models.cluster.grid import run_grid  # noqa: E402
from modelrace.models.cluster.grid_plan import GridOptions, cell_settings, plan_cells  # noqa: E402
from modelrace.models.cluster.events import CellFinished, CellStarted  # noqa: E402
from modelrace.models.data import bundled  # noqa: E402
from modelrace.models.race.engine import run  # noqa: E402
from modelrace.models.race.presets import load_preset  # noqa: E402
from modelrace.models.race.settings import RaceSettings  # noqa: E402
from modelrace.models.trainers.preload import preload_libraries  # noqa: E402


class Timeline:
    """When each cell started and ended, as seen by the client."""

    def __init__(self) -> None:
        self.started: dict[str, tuple[float, str]] = {}
        self.ended: dict[str, float] = {}

    def __call__(self, event) -> None:  # type: ignore[no-untyped-def]
        if isinstance(event, CellStarted):
            self.started[event.cell.key] = (time.perf_counter(), event.worker)
        elif isinstance(event, CellFinished):
            self.ended[event.cell.key] = time.perf_counter()

    def gaps(self) -> list[float]:
        """Seconds between a cell ending and the next one starting on the same worker."""
        per_worker: dict[str, list[str]] = {}
        for key, (_, worker) in sorted(self.started.items(), key=lambda item: item[1][0]):
            per_worker.setdefault(worker, []).append(key)
        return [self.started[b][0] - self.ended[a] for keys in per_worker.values() for a, b in zip(keys, keys[1:])]


def in_one_process(settings: RaceSettings) -> tuple[float, list[float]]:
    """Every cell raced here, one after another, as modelrace does without --workers (libraries loaded first)."""
    dataset = bundled.load()
    preload_libraries(1)
    walls = []
    began = time.perf_counter()
    for cell in plan_cells(settings):
        t = time.perf_counter()
        run(dataset, cell_settings(settings, cell, threads=1))
        walls.append(time.perf_counter() - t)
    return time.perf_counter() - began, walls


def on_workers(settings: RaceSettings, workers: int) -> dict:
    """The grid on a LocalCluster of ``workers`` (1 thread each); its timings."""
    timeline = Timeline()
    began = time.perf_counter()
    result = run_grid(bundled.load(), settings, GridOptions(workers=workers, threads=1), timeline)
    wall = time.perf_counter() - began
    block = result["cluster"]
    cells = block["cells"]
    assert all(c["state"] == "finished" for c in cells), [c["state"] for c in cells]
    return {"wall": wall, "cells": cells, "cell_walls": [c["wall_seconds"] for c in cells],
            "setup": [c["setup_seconds"] for c in cells], "train": {c["key"]: c["train_seconds"] for c in cells},
            "connect": block["connect_seconds"], "scatter": block["scatter_seconds"], "gaps": timeline.gaps()}


def main() -> None:
    """Run the three ways and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--preset", default="quick")
    args = parser.parse_args()
    settings = RaceSettings(preset=load_preset(args.preset), repeats=args.repeats,
                            sizes=tuple(int(s) for s in args.sizes.split(",")))
    count = len(plan_cells(settings))
    print(f"grid: {count} cells ({args.repeats} seeds × sizes {args.sizes}), preset {args.preset}, all three models, "
          "1 thread per cell")
    two = on_workers(settings, 2)
    one = on_workers(settings, 1)
    alone_wall, alone_cells = in_one_process(settings)
    print(f"\n{'way':<26}{'grid wall':>11}{'sum of cells':>14}{'overhead':>10}")
    print(f"{'one process (no Dask)':<26}{alone_wall:>10.1f}s{sum(alone_cells):>13.1f}s{alone_wall / sum(alone_cells):>10.3f}")
    for name, arm, workers in (("--workers 2", two, 2), ("--workers 1", one, 1)):
        overhead = arm["wall"] / (sum(arm["cell_walls"]) / workers)
        print(f"{name:<26}{arm['wall']:>10.1f}s{sum(arm['cell_walls']):>13.1f}s{overhead:>10.3f}"
              f"{'  (target <= 1.15)' if workers == 2 else ''}")
    print(f"\nspeed-up of --workers 2 over one process: {alone_wall / two['wall']:.2f}x")
    for name, arm in (("--workers 2", two), ("--workers 1", one)):
        gaps = arm["gaps"]
        warm = [s for s in arm["setup"] if s > 1.0]
        print(f"{name}: cluster start {arm['connect']:.2f} s; dataset scattered in {arm['scatter']:.3f} s; "
              f"gap between cells on a worker: median {statistics.median(gaps) * 1000:.0f} ms, max {max(gaps) * 1000:.0f} ms "
              f"({len(gaps)} gaps); libraries loaded on {len(warm)} fresh worker(s), median {statistics.median(warm):.1f} s"
              if gaps and warm else f"{name}: cluster start {arm['connect']:.2f} s; scatter {arm['scatter']:.3f} s")
    ratios = [two["train"][key] / one["train"][key] for key in two["train"]]
    print(f"\nshared memory bandwidth: a cell's training seconds on 2 workers ÷ on 1: median {statistics.median(ratios):.3f}, "
          f"max {max(ratios):.3f} ({len(ratios)} cells)")
    largest = max(settings.sizes)
    big = [c["train_seconds"] for c in two["cells"] if c["size"] == largest]
    print(f"cells of the largest size ({largest:,}): median training {statistics.median(big):.2f} s, "
          f"wall {statistics.median([c['wall_seconds'] for c in two['cells'] if c['size'] == largest]):.2f} s")


if __name__ == "__main__":
    main()
