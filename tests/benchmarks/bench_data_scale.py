"""Data at full Covertype size: import a 581,012 x 55 UCI covtype.data.gz, reload it from the cache.

The real sample's rows are resampled (with replacement) to the full shape, for timing only.
Targets: import <= 8 s, reload <= 1 s. Also prints the cache's size on disk.

    python tests/benchmarks/bench_data_scale.py [--rows 581012] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_common import SAMPLE_FILE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=581_012)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="modelrace-scale-"))
    os.environ["MODELRACE_HOME"] = str(work / "home")

    from modelrace.models.data.cache import load_cached

    from modelrace.models.data.importing import import_file
    from modelrace.models.system.environment import cpu_count, cpu_model
    from modelrace.models.system.paths import datasets_dir

    rows = pd.read_csv(SAMPLE_FILE).to_numpy()
    big = rows[np.random.default_rng(0).integers(0, len(rows), args.rows)]
    archive = work / "covtype.data.gz"
    with gzip.open(archive, "wt", compresslevel=6) as handle:
        np.savetxt(handle, big, fmt="%d", delimiter=",")
    print(f"machine: {cpu_model()}, {cpu_count()} cores; {args.rows:,} x 55 UCI file, {archive.stat().st_size / 1e6:.1f} MB gz")

    imports, loads = [], []
    for i in range(args.repeats):
        start = time.perf_counter()
        dataset = import_file(archive, name=f"scale{i}")
        imports.append(time.perf_counter() - start)
        start = time.perf_counter()
        again = load_cached(f"scale{i}")
        loads.append(time.perf_counter() - start)
        assert again.rows == dataset.rows == args.rows
    size = sum(p.stat().st_size for p in (datasets_dir() / "scale0").iterdir())
    print(f"import (parse, check, hash, cache): median {statistics.median(imports):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in imports)}) — target <= 8 s")
    print(f"reload from cache: median {statistics.median(loads):.3f} s ({', '.join(f'{t:.3f}' for t in loads)}) — target <= 1 s")
    print(f"cache on disk: {size / 1e6:.1f} MB (float32 features + int32 labels, uncompressed .npy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
