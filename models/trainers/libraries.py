"""What the registered models need: their libraries, the distributions to check and to ship, and Keras' case.

Every list here is read from the specs (``models.trainers.registry``), so a model a plugin registers
is preloaded, warmed up, version-checked, self-tested and shipped in a kit like modelrace's own. A
library whose module is ``keras`` means Keras and its backend (TensorFlow or JAX, chosen once per
process: ``keras_setup``); the backend is a distribution of its own, which the callers name.

The registry is imported when a function is called, never at import: the models' own modules
import modules that import this one, and importing the registry from there would have it load a
model's module that is only half imported (and leave that model out).
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterable

from modelrace.models.trainers.spec import Library, ModelSpec

#: The module of a library that means Keras and its backend.
KERAS = "keras"


def _specs(keys: Iterable[str] | None) -> list[ModelSpec]:
    """The specs of ``keys`` (every registered model when None), in that order; unknown keys are skipped."""
    from modelrace.models.trainers import registry

    found = registry.specs()
    return [found[key] for key in (found if keys is None else keys) if key in found]


def libraries(keys: Iterable[str] | None = None) -> list[Library]:
    """The libraries the models ``keys`` (all when None) train with, each once, in race order."""
    seen: dict[str, Library] = {}
    for spec in _specs(keys):
        for library in spec.libraries:
            seen.setdefault(library.module, library)
    return list(seen.values())


def modules(keys: Iterable[str] | None = None) -> list[str]:
    """The modules that show the models' libraries are loaded ("keras", "sklearn.ensemble", "xgboost")."""
    return [library.module for library in libraries(keys)]


def uses_keras(keys: Iterable[str] | None = None) -> bool:
    """True if any of the models ``keys`` (all when None) trains with Keras (and so needs a backend)."""
    return KERAS in modules(keys)


def keras_models(keys: Iterable[str] | None = None) -> list[str]:
    """The keys (of ``keys``, or every registered model) that train with Keras."""
    return [spec.key for spec in _specs(keys) if any(library.module == KERAS for library in spec.libraries)]


def providers(keys: Iterable[str] | None = None) -> list[str]:
    """The distributions that register the models ``keys`` ("modelrace" for its own, a plugin's package for its)."""
    from modelrace.models.trainers.registry import ENTRY_POINT_GROUP

    wanted = {spec.key: spec for spec in _specs(keys)}
    found: dict[str, str] = {}
    for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(point, "dist", None)
        if dist is None or not dist.name or point.module not in sys.modules:
            continue  # a module the registry could not import registers no model: it is not imported again
        try:
            loaded = point.load()  # already imported by the registry: only a look-up
        except Exception:  # noqa: BLE001 - a plugin the registry left out registers nothing here either
            continue
        if isinstance(loaded, ModelSpec) and wanted.get(loaded.key) is loaded:
            found.setdefault(loaded.key, dist.name)
    return list(dict.fromkeys(found[key] for key in wanted if key in found))


def distributions(keys: Iterable[str] | None = None, backends: Iterable[str] = ()) -> list[str]:
    """The pip distributions the models ``keys`` (all when None) need, each once, for version checks and kits.

    Their libraries' distributions, with ``backends`` (Keras backends, e.g. the one in use) after
    Keras' when a model uses it, then the packages that register the models (a plugin's own).
    """
    names: list[str] = []
    for library in libraries(keys):
        names.append(library.distribution)
        if library.module == KERAS:
            names.extend(backends)
    names.extend(providers(keys))
    return list(dict.fromkeys(names))


def names(keys: Iterable[str] | None = None) -> list[str]:
    """How people call the models' libraries ("Keras", "scikit-learn", "XGBoost"), each once."""
    return list(dict.fromkeys(library.name for library in libraries(keys)))


def in_words(items: Iterable[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``: items joined for a sentence."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def recorded_packages(keys: Iterable[str] | None = None) -> list[str]:
    """The distributions whose versions a result records and About lists: the fixed ones, then the models'.

    ``environment.PACKAGES`` first, then the distributions of the models ``keys`` (all when None)
    with every Keras backend after Keras, when one of them uses it.
    """
    from modelrace.models.system.environment import PACKAGES
    from modelrace.models.trainers.keras_setup import BACKENDS

    return list(dict.fromkeys([*PACKAGES, *distributions(keys, backends=BACKENDS)]))
