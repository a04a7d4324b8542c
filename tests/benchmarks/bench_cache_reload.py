"""Cache reload against CSV parsing, side by side in one run (alternating, medians).

    python tests/benchmarks/bench_cache_reload.py [--data PATH] [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from bench_common import SAMPLE_FILE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SAMPLE_FILE))
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    os.environ["MODELRACE_HOME"] = tempfile.mkdtemp(prefix="modelrace-bench-")

    from modelrace.models.data.cache import load_cached

    from modelrace.models.data.importing import import_file
    from modelrace.models.data.importer import read_table

    dataset = import_file(Path(args.data), name="bench")
    parse, load = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        read_table(Path(args.data))
        parse.append(time.perf_counter() - start)
        start = time.perf_counter()
        load_cached("bench")
        load.append(time.perf_counter() - start)
    size = sum(p.stat().st_size for p in (Path(os.environ["MODELRACE_HOME"]) / "datasets" / "bench").iterdir())
    print(f"{dataset.rows:,} rows x {dataset.X.shape[1]} features; cache {size / 1e6:.1f} MB on disk")
    print(f"parse CSV median {1000 * statistics.median(parse):.1f} ms; reload cache median "
          f"{1000 * statistics.median(load):.2f} ms; ratio {statistics.median(parse) / statistics.median(load):.0f}x "
          "(target >= 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
