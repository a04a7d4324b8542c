"""A well-formed plugin whose fit raises: its entry is 'failed' with the message while the other models race."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelrace.models.trainers.configs import setting
from modelrace.models.trainers.protocol import FitResult, Sink, Trainer
from modelrace.models.trainers.spec import ModelSpec

MESSAGE = "the failing-fit plugin broke on purpose"


@dataclass(frozen=True)
class BoomConfig:
    """One setting, as a real model would have."""

    steps: int = setting(5, "Steps", "Steps it would take.", minimum=1, maximum=100)


class BoomTrainer(Trainer):
    """Raises as soon as it is asked to train."""

    def planned_steps(self) -> int:
        """The steps it would take."""
        return self.config.steps

    def fit(self, split: Any, sink: Sink) -> FitResult:
        """Always fails."""
        raise RuntimeError(MESSAGE)


def _script(config: dict[str, Any], jobs: int, entry: dict[str, Any], literal: Any) -> str:
    return "\nprint('Boom has nothing to reproduce')\n"


SPEC = ModelSpec(key="boom", label="Boom", short_label="BOOM", unit="step", config=BoomConfig, trainer=BoomTrainer,
                 side="simpler", libraries=(), repro=_script)
