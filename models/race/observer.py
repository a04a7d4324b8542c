"""How a race reports progress: an observer whose methods the engine calls from its threads."""

from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    from modelrace.models.data.dataset import Dataset
    from modelrace.models.data.split import Split
    from modelrace.models.results.document import ModelEntry, Result
    from modelrace.models.trainers.protocol import Step


class RaceObserver:
    """Receives race events; every method may be called from a worker thread. Override what you need."""

    def race_started(self, plan: dict[str, int], split: Split, dataset: Dataset) -> None:
        """The split is ready; ``plan`` maps each model to race to its planned steps."""

    def model_started(self, key: str) -> None:
        """A trainer started."""

    def step(self, step: Step) -> None:
        """A trainer reported a step (from the model's worker)."""

    def model_finished(self, key: str, entry: ModelEntry) -> None:
        """A trainer ended (finished, stopped or failed) and its test scores are in ``entry``."""

    def repeat_finished(self, index: int, run: Result) -> None:
        """One seed of a repeated race is done (``index`` counts from 0); not called for the sizes of a size curve."""
