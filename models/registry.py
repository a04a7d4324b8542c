"""The trainers a race can use, by key. Tests and the GUI may register extra ones (e.g. faulty)."""

from __future__ import annotations

from modelrace.models.errors import ConfigError
from modelrace.models.trainer_api import Trainer
from modelrace.models.trainer_mlp import MLPTrainer
from modelrace.models.trainer_rf import ForestTrainer
from modelrace.models.trainer_xgb import BoostTrainer

#: Race order and the canonical model keys.
MODEL_KEYS = ("mlp", "rf", "xgb")

TRAINERS: dict[str, type[Trainer]] = {cls.key: cls for cls in (MLPTrainer, ForestTrainer, BoostTrainer)}


def trainer_class(key: str) -> type[Trainer]:
    """Return the trainer class registered under ``key``."""
    try:
        return TRAINERS[key]
    except KeyError:
        raise ConfigError(f"unknown model '{key}'; choose from {', '.join(TRAINERS)}") from None


def parse_models(text: str) -> list[str]:
    """Parse a ``--models`` list such as ``mlp,rf`` into known keys, in the order given."""
    keys = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not keys:
        raise ConfigError(f"--models '{text}' names no model; use a comma list such as mlp,rf,xgb")
    for key in keys:
        trainer_class(key)
    if len(set(keys)) != len(keys):
        raise ConfigError(f"--models '{text}' names a model twice; list each once")
    return keys
