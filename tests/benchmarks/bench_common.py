"""What the benchmark scripts share: the real sample (bundled with modelrace), and a sink that ignores steps."""

from __future__ import annotations

from modelrace.models.data import bundled

#: The 16,000 real Covertype rows that ship inside the package.
SAMPLE_FILE = bundled.path()


class NullSink:
    """A trainer sink that drops every step and never asks to stop."""

    def put(self, step: object) -> None:
        """Ignore the step."""

    def stop_requested(self) -> bool:
        """Never stop."""
        return False
