"""How the rows are cut into train, validation and test parts (light: no ML library)."""

from __future__ import annotations

from dataclasses import dataclass

from modelrace.models.system.errors import ConfigError


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
