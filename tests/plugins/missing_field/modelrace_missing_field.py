"""A plugin whose spec leaves out a required field (its side): ModelSpec(...) raises TypeError at import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelrace.models.trainers.protocol import FitResult, Sink, Trainer
from modelrace.models.trainers.spec import ModelSpec


@dataclass(frozen=True)
class HalfConfig:
    """No settings."""


class HalfTrainer(Trainer):
    """Never trains: its spec cannot be made."""

    def planned_steps(self) -> int:
        """One step."""
        return 1

    def fit(self, split: Any, sink: Sink) -> FitResult:
        """Never reached."""
        raise AssertionError("a plugin without a spec was raced")


def _script(config: dict[str, Any], jobs: int, entry: dict[str, Any], literal: Any) -> str:
    return "\n"


# No side= (on purpose): the dataclass raises TypeError here, so importing the module fails.
SPEC = ModelSpec(key="half", label="Half a spec", short_label="HALF", unit="step", config=HalfConfig,
                 trainer=HalfTrainer, libraries=(), repro=_script)
