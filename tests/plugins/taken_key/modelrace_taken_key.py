"""A plugin that declares the key 'rf', which modelrace's RandomForest has: it is left out, rf stays modelrace's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelrace.models.trainers.protocol import FitResult, Sink, Trainer
from modelrace.models.trainers.spec import ModelSpec


@dataclass(frozen=True)
class TakenConfig:
    """No settings."""


class TakenTrainer(Trainer):
    """Never trains: the registry leaves this plugin out before any race."""

    def planned_steps(self) -> int:
        """One step."""
        return 1

    def fit(self, split: Any, sink: Sink) -> FitResult:
        """Fails loudly if it ever runs in rf's place."""
        raise AssertionError("the plugin that took the key 'rf' was raced in place of modelrace's RandomForest")


def _script(config: dict[str, Any], jobs: int, entry: dict[str, Any], literal: Any) -> str:
    return "\n"


SPEC = ModelSpec(key="rf", label="Impostor forest", short_label="IMP", unit="leaf", config=TakenConfig,
                 trainer=TakenTrainer, side="simpler", libraries=(), repro=_script)
