"""What to race and how, and how a race reports progress (light: importable by the window at start-up)."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field

from modelrace.models.errors import ConfigError
from modelrace.models.presets import MODES, Preset
from modelrace.models.registry import MODEL_KEYS

if typing.TYPE_CHECKING:
    from modelrace.models.datasets import Dataset
    from modelrace.models.split import Split
    from modelrace.models.trainer_api import Step


@dataclass
class RaceSettings:
    """What to race and how; ``None`` fields fall back to the preset."""

    preset: Preset
    models: list[str] = field(default_factory=lambda: list(MODEL_KEYS))
    mode: str | None = None
    target: float | None = None  # absolute validation accuracy; None: preset fraction of the best
    seed: int | None = None
    rows: int | None = None  # exact stratified sample size
    cores: int | None = None
    device: str = "cpu"  # "gpu": the MLP and XGBoost train on the GPU (see models.gpu)

    def resolved_mode(self) -> str:
        """The race mode in force."""
        mode = self.mode or self.preset.race.mode
        if mode not in MODES:
            raise ConfigError(f"unknown mode '{mode}'; choose fair or simultaneous")
        return mode

    def resolved_seed(self) -> int:
        """The seed in force, for the split and every model."""
        return self.preset.split.seed if self.seed is None else int(self.seed)


class RaceObserver:
    """Receives race events; all methods may be called from trainer threads. Override what you need."""

    def race_started(self, plan: dict[str, int], split: Split, dataset: Dataset) -> None:
        """The split is ready; ``plan`` maps each model to race to its planned steps."""

    def model_started(self, key: str) -> None:
        """A trainer started."""

    def step(self, step: Step) -> None:
        """A trainer reported a step."""

    def model_finished(self, key: str, entry: dict) -> None:
        """A trainer ended (finished, stopped or failed) and its test scores are in ``entry``."""


def thread_plan(models: list[str], mode: str, cores: int) -> dict[str, int]:
    """Threads per model: every core each in fair mode, an even share each in simultaneous mode."""
    if mode == "fair":
        return {key: cores for key in models}
    share, extra = divmod(cores, max(1, len(models)))
    return {key: max(1, share + (1 if i < extra else 0)) for i, key in enumerate(models)}
