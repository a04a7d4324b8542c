"""How the rows are cut into train, validation and test parts (light: no ML library)."""

from __future__ import annotations

from dataclasses import dataclass

from modelrace.models.system.errors import ConfigError

#: Seeds are what NumPy, scikit-learn and Keras all accept: 0 to 2**32 - 1.
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class SplitConfig:
    """How to cut the rows: fractions, seed and whether to stratify by class."""

    test: float = 0.2
    validation: float = 0.2  # fraction of the rows left after the test set is removed
    seed: int = 0
    stratify: bool = True

    def __post_init__(self) -> None:
        for name in ("test", "validation"):
            value = getattr(self, name)
            if not 0.0 < value < 1.0:
                raise ConfigError(f"split {name} fraction {value} must be between 0 and 1 (exclusive), e.g. 0.2")
        check_seed(self.seed, "seed")


def check_seed(seed: object, name: str, repeats: int = 1) -> None:
    """Raise ConfigError unless ``seed`` (and the ``repeats - 1`` seeds after it) are whole numbers NumPy accepts."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ConfigError(f"{name} {seed!r} is not a whole number; use one from 0 to {MAX_SEED:,}")
    if not 0 <= seed <= MAX_SEED:
        raise ConfigError(f"{name} {seed} is out of range; a seed is a whole number from 0 to {MAX_SEED:,}")
    if seed + repeats - 1 > MAX_SEED:
        raise ConfigError(f"{name} {seed} with {repeats} repeats would need seeds up to {seed + repeats - 1:,}; "
                          f"use a seed of at most {MAX_SEED - repeats + 1:,}")
