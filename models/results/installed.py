"""A result's models against the models installed here (the registry): their order, and the ones missing.

A result names its models by key. A key of a registered model (modelrace's own or an installed
plugin's) is read with that model's spec: its settings are checked, its label, colour and unit are
shown. A result may also name a model whose plugin is not installed here (a colleague raced it): the
file still opens, since every score, curve and matrix it holds is plain data that the schema has
checked, and the model is shown under its key, in grey. What needs the model's own code (its
settings' names and checks, racing it again, its part of the reproduction script) waits for the
plugin, and :func:`not_installed_line` says so in one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from modelrace.models.results.document import Result, raced_models
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


def not_installed(result: Result) -> list[str]:
    """Keys of the raced models of ``result`` that no installed model (nor plugin) provides here."""
    return [key for key in raced_models(result) if not registry.known(key)]


def not_installed_line(result: Result, where: str = "this result") -> str | None:
    """One line naming the file, each raced model not installed here, and what to install; None if all are."""
    missing = not_installed(result)
    if not missing:
        return None
    named = ", ".join(f"'{key}'" for key in missing)
    if len(missing) == 1:
        return (f"{where}: model {named} is not installed here; install the plugin that provides it to race it "
                "again or write its script (its scores are shown as recorded, under its key)")
    return (f"{where}: models {named} are not installed here; install the plugins that provide them to race them "
            "again or write their script (their scores are shown as recorded, under their keys)")
