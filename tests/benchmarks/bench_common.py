"""What the benchmark scripts share: the real sample (bundled with modelrace), a sink that ignores steps,
and a controlled background load."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator

from modelrace.models.data import bundled
from modelrace.models.system.environment import cpu_count

_BUSY = "import time\nend = time.monotonic() + 3600\nwhile time.monotonic() < end: pass\n"

#: The 16,000 real Covertype rows that ship inside the package.
SAMPLE_FILE = bundled.path()


class NullSink:
    """A trainer sink that drops every step and never asks to stop."""

    def put(self, step: object) -> None:
        """Ignore the step."""

    def stop_requested(self) -> bool:
        """Never stop."""
        return False


def load_processes() -> int:
    """Busy processes for a controlled load: one on a 2-core machine, one per other core elsewhere."""
    return 1 if cpu_count() <= 2 else cpu_count() - 1


@contextlib.contextmanager
def background_load(count: int) -> Iterator[int]:
    """``count`` CPU-bound processes running beside the block (0: none); yields the count."""
    procs = [subprocess.Popen([sys.executable, "-c", _BUSY]) for _ in range(count)]
    try:
        if procs:
            time.sleep(0.5)  # let them take the CPU before anything is measured
        yield count
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
