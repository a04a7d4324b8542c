"""A result's models against the models installed here (the registry): their order, and the ones missing.

A result names its models by key. A key of a registered model (modelrace's own or an installed
plugin's) is read with that model's spec: its settings are checked, its label, colour and unit are
shown. A result may also name a model whose plugin is not installed here (a colleague raced it): the
file still opens, since every score, curve and matrix it holds is plain data that the schema has
checked, and the model is shown under its key, in grey. What needs the model's own code (its
settings' names and checks, racing it again, its part of the reproduction script) waits for the
plugin, and :func:`not_installed_line` says so in one line.

A skipped entry of a model not installed here is tolerated too: it holds no score (schema 1 writes
one for each of the tutorial's three that a race left out), so it opens, and it is said only when
the race had selected that model (one stopped before its turn).
"""

from __future__ import annotations

from modelrace.models.results.document import Result, raced_models
from modelrace.models.results.model_order import in_registry_order, ordered
from modelrace.models.trainers import registry

__all__ = ["in_registry_order", "not_installed", "not_installed_line", "ordered"]


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
