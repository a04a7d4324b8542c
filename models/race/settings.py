"""What to race and how (light: the window imports it at start-up), and how cores are shared out."""

from __future__ import annotations

from dataclasses import dataclass, field

from modelrace.models.data.split_config import check_seed
from modelrace.models.race.presets import MODES, Preset
from modelrace.models.system.errors import ConfigError, words
from modelrace.models.trainers.registry import DEFAULT_MODELS, MODEL_KEYS, config_class


@dataclass
class RaceSettings:
    """What to race and how; ``None`` fields fall back to the preset. Checked when made.

    ``repeats`` races seeds seed, seed+1, ...; ``sizes`` races at each training-set size (with
    ``repeats`` seeds each). Sizes and ``rows`` both choose how many rows to race on, so they
    exclude each other.
    """

    preset: Preset
    models: list[str] = field(default_factory=lambda: list(DEFAULT_MODELS))
    mode: str | None = None
    target: float | None = None  # absolute validation accuracy; None: preset fraction of the best
    seed: int | None = None
    rows: int | None = None  # exact stratified sample size
    cores: int | None = None
    device: str = "cpu"  # "gpu": the MLP and XGBoost train on the GPU (see models.trainers.devices)
    repeats: int = 1
    sizes: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        self.sizes = tuple(sorted(set(self.sizes)))
        for key in self.models:
            config_class(key)
        if not self.models:
            raise ConfigError(f"no model to race; choose at least one of {', '.join(MODEL_KEYS)}")
        if self.repeats < 1:
            raise ConfigError(f"{words('repeats')} {self.repeats}: use at least 1")
        if any(size < 1 for size in self.sizes):
            raise ConfigError(f"{words('sizes')} must list training-set sizes of at least 1 row")
        check_seed(self.resolved_seed() if self.seed is None else self.seed, words("seed"), self.repeats)
        if self.sizes and self.rows is not None:
            raise ConfigError(f"{words('sizes')} and {words('rows')} both choose how many rows to race on; "
                              f"{words('one-of-sizes-rows')}")

    def resolved_mode(self) -> str:
        """The race mode in force."""
        mode = self.mode or self.preset.race.mode
        if mode not in MODES:
            raise ConfigError(f"unknown mode '{mode}'; choose fair or simultaneous")
        return mode

    def resolved_seed(self) -> int:
        """The seed in force, for the split and every model."""
        return self.preset.split.seed if self.seed is None else self.seed


def thread_plan(models: list[str], mode: str, cores: int) -> dict[str, int]:
    """Threads per model: every core each in fair mode, an even share each in simultaneous mode."""
    if mode == "fair":
        return {key: cores for key in models}
    share, extra = divmod(cores, max(1, len(models)))
    return {key: max(1, share + (1 if i < extra else 0)) for i, key in enumerate(models)}
