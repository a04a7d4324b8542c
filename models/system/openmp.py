"""OpenMP's threads wait passively, so that a busy machine does not multiply a boosted model's training time.

GNU OpenMP's threads spin between parallel regions by default. XGBoost and HistGradientBoosting run
thousands of small regions; when other programs hold the cores, the spinning threads take them from
the one with work. Measured beside a few busy processes on 2 cores (``tests/benchmarks/bench_openmp_wait.py``):
HistGradientBoosting's fit took a median 110.7 s spinning against 11.7 s waiting passively, XGBoost's
5.3 s against 1.7 s. The policy is read once, when the OpenMP runtime loads, so it is set before any
model's library is imported; a value the user set is kept.
"""

from __future__ import annotations

import os

POLICY_ENV = "OMP_WAIT_POLICY"


def wait_passively() -> None:
    """Ask OpenMP threads to sleep, not spin, while they wait (unless the user chose a policy)."""
    os.environ.setdefault(POLICY_ENV, "PASSIVE")
