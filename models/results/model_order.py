"""The order models are shown in everywhere: the registry's race order, models not installed here last.

Kept apart from ``installed`` (which reads the result document) so that the document can order its
models without an import cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from modelrace.models.trainers import registry

V = TypeVar("V")


def in_registry_order(keys: Iterable[str]) -> list[str]:
    """``keys`` (each once) in the registry's race order; keys of models not installed here follow, as given."""
    order = {key: index for index, key in enumerate(registry.MODEL_KEYS)}
    # A stable sort: the keys not installed here all sort equal, so they keep the order they came in.
    return sorted(dict.fromkeys(keys), key=lambda key: (key not in order, order.get(key, 0)))


def ordered(models: Mapping[str, V]) -> dict[str, V]:
    """``models`` (a mapping by model key) in the registry's race order, the models not installed here last."""
    return {key: models[key] for key in in_registry_order(models)}
