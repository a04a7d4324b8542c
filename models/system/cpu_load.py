"""How much of the machine other programs used while a model trained (psutil), so unfair timings are flagged.

A busy machine, not the models, can decide a race: measured here, one quick race trained XGBoost for
305 s beside a CPU-heavy process, against about 2 s on a quiet machine. Each model's training is
watched: the share of the machine's CPU time that went to other processes (everything busy minus
this process), as a mean over the whole training and as the peak over half-second stretches. The
verdict warns when the mean passes :data:`WARN_SHARE` (``models.judging.fairness``; pyperf's system
checks and hyperfine's outlier warnings are the models followed).
"""

from __future__ import annotations

import time

import psutil

#: Other programs' mean share of the CPU above which the verdict warns that timings may be unfair.
WARN_SHARE = 0.10
#: Seconds between samples for the peak.
INTERVAL = 0.5


def _busy_and_own() -> tuple[float, float]:
    """Machine-wide busy CPU seconds (all cores), and this process's own CPU seconds."""
    total = psutil.cpu_times()
    idle = total.idle + getattr(total, "iowait", 0.0)
    busy = sum(total) - idle - getattr(total, "guest", 0.0) - getattr(total, "guest_nice", 0.0)
    own = psutil.Process().cpu_times()
    return busy, own.user + own.system + own.children_user + own.children_system


class OtherLoad:
    """Other processes' share of the CPU between :meth:`start` and :meth:`stop`, sampled as training reports steps."""

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self._cores = psutil.cpu_count() or 1
        self._first: tuple[float, float, float] | None = None
        self._last: tuple[float, float, float] | None = None
        self._peak = 0.0

    def start(self) -> None:
        """Begin watching (a model starts training)."""
        self._first = self._last = (time.monotonic(), *_busy_and_own())
        self._peak = 0.0

    def sample(self) -> None:
        """Take a sample if the last is at least ``interval`` old (cheap: called at every step)."""
        if self._last is None or time.monotonic() - self._last[0] < self.interval:
            return
        now = (time.monotonic(), *_busy_and_own())
        self._peak = max(self._peak, self._share(self._last, now))
        self._last = now

    def stop(self) -> dict[str, float] | None:
        """The mean and peak share of the CPU other processes used while watched (None if never started)."""
        if self._first is None:
            return None
        now = (time.monotonic(), *_busy_and_own())
        mean = self._share(self._first, now)
        if self._last is not None and now[0] - self._last[0] > 0.05:
            self._peak = max(self._peak, self._share(self._last, now))
        return {"mean": round(mean, 4), "peak": round(max(self._peak, mean), 4)}

    def _share(self, before: tuple[float, float, float], after: tuple[float, float, float]) -> float:
        wall = after[0] - before[0]
        if wall <= 0:
            return 0.0
        others = (after[1] - before[1]) - (after[2] - before[2])
        return min(1.0, max(0.0, others / (wall * self._cores)))


def others_share_now(seconds: float = 0.25) -> float:
    """Other processes' share of the CPU over the next ``seconds`` (this call sleeps that long)."""
    watch = OtherLoad()
    watch.start()
    time.sleep(seconds)
    shares = watch.stop()
    return shares["mean"] if shares else 0.0
