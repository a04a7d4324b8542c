"""The models a race can use, by key. Names and configs are light; trainer classes load on first use.

Tests and the window may register replacement trainers (for example, faulty ones) in ``TRAINERS``.
"""

from __future__ import annotations

import importlib
from typing import Any

from modelrace.models.system.errors import ConfigError
from modelrace.models.trainers.configs import CONFIGS

#: Race order and the canonical model keys.
MODEL_KEYS = ("mlp", "rf", "xgb")
LABELS = {"mlp": "Keras MLP", "rf": "RandomForest", "xgb": "XGBoost"}
#: Each model's native unit of training: one step of its curve.
UNITS = {"mlp": "epoch", "rf": "tree", "xgb": "round"}
#: One Okabe-Ito (colour-blind-safe) colour per model, in the window and in every report.
MODEL_COLORS = {"mlp": "#D55E00", "rf": "#009E73", "xgb": "#0072B2"}
_MODULES = {"mlp": ("mlp", "MLPTrainer"), "rf": ("forest", "ForestTrainer"), "xgb": ("boost", "BoostTrainer")}


class _LazyTrainers(dict):
    """key -> trainer class, importing a trainer's module (and its ML library) only when first asked."""

    def __missing__(self, key: str) -> Any:
        if key not in _MODULES:
            raise KeyError(key)
        module, name = _MODULES[key]
        cls = getattr(importlib.import_module(f"modelrace.models.trainers.{module}"), name)
        self[key] = cls
        return cls


TRAINERS: dict[str, Any] = _LazyTrainers()


def label(key: str) -> str:
    """A model's display name."""
    return LABELS.get(key, key)


def trainer_class(key: str) -> Any:
    """Return the trainer class registered under ``key``."""
    try:
        return TRAINERS[key]
    except KeyError:
        raise ConfigError(f"unknown model '{key}'; choose from {', '.join(MODEL_KEYS)}") from None


def config_class(key: str) -> type:
    """The config dataclass of a model (no ML library is imported)."""
    try:
        return CONFIGS[key]
    except KeyError:
        raise ConfigError(f"unknown model '{key}'; choose from {', '.join(MODEL_KEYS)}") from None


def parse_models(text: str) -> list[str]:
    """Parse a ``--models`` list such as ``mlp,rf`` into known keys, in the order given."""
    keys = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not keys:
        raise ConfigError(f"--models '{text}' names no model; use a comma list such as mlp,rf,xgb")
    for key in keys:
        config_class(key)
    if len(set(keys)) != len(keys):
        raise ConfigError(f"--models '{text}' names a model twice; list each once")
    return keys
