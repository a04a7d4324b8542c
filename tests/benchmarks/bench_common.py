"""What the benchmark scripts share: where the real sample is, and a sink that ignores steps."""

from __future__ import annotations

import os
from pathlib import Path

#: The folder of the real Covertype rows (../shared/data beside the repository, or MODELRACE_SAMPLE_DIR).
SAMPLE = Path(os.environ.get("MODELRACE_SAMPLE_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "data"))


class NullSink:
    """A trainer sink that drops every step and never asks to stop."""

    def put(self, step: object) -> None:
        """Ignore the step."""

    def stop_requested(self) -> bool:
        """Never stop."""
        return False
