"""The models a race can use: every :class:`ModelSpec` registered under the ``modelrace.trainers`` entry points.

modelrace registers its own models in its ``pyproject.toml``; another installed package adds one the
same way (as pytest finds its plugins)::

    [project.entry-points."modelrace.trainers"]
    et = "my_package.extra_trees:SPEC"

Each entry point names a :class:`ModelSpec` whose module stays light (its ML library is imported
inside ``fit``). A plugin that fails to load, declares a key already taken, or whose spec is missing
a field is left out with one line naming it (:func:`problems`); every other model still races.

Tests may register replacement trainers (for example, faulty ones) in ``TRAINERS``.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from modelrace.models.system.errors import ConfigError
from modelrace.models.trainers.spec import OKABE_ITO, SIDES, ModelSpec, Side, SpecError, check_spec

if TYPE_CHECKING:
    from modelrace.models.trainers.protocol import Trainer

ENTRY_POINT_GROUP = "modelrace.trainers"
#: The tutorial's three: the default race, and the models every schema-1 result lists.
DEFAULT_MODELS = ("mlp", "rf", "xgb")
_OWN_DISTRIBUTION = "modelrace"


@dataclass
class _Registry:
    specs: dict[str, ModelSpec] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)
    trainers: dict[str, type[Trainer]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    """modelrace's own entry points first (the tutorial's three, then the rest by name), then other packages', by name.

    Installers may write entry points in any order, so the order is decided here.
    """
    found = list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
    rank = {key: i for i, key in enumerate(DEFAULT_MODELS)}
    own = sorted((ep for ep in found if _distribution(ep) == _OWN_DISTRIBUTION),
                 key=lambda ep: (rank.get(ep.name, len(rank)), ep.name))
    others = sorted((ep for ep in found if _distribution(ep) != _OWN_DISTRIBUTION), key=lambda ep: (ep.name, ep.value))
    seen: set[tuple[str, str]] = set()
    unique = []
    for ep in own + others:  # an editable install can list the same entry point twice
        if (ep.name, ep.value) not in seen:
            seen.add((ep.name, ep.value))
            unique.append(ep)
    return unique


def _distribution(ep: importlib.metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    return (dist.name if dist is not None else "") or ""


def _plugin_name(ep: importlib.metadata.EntryPoint) -> str:
    dist = _distribution(ep)
    return f"plugin {dist or ep.value.split(':')[0]} ({ep.name} = {ep.value})"


def _load(points: Iterable[importlib.metadata.EntryPoint]) -> _Registry:
    registry = _Registry()
    for ep in points:
        try:
            spec = ep.load()
            if not isinstance(spec, ModelSpec):
                raise SpecError(f"{ep.value} is a {type(spec).__name__}, not a modelrace ModelSpec")
            check_spec(spec)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must never stop the other models
            registry.problems.append(f"{_plugin_name(ep)} was left out: {type(exc).__name__}: {exc}".strip())
            continue
        if spec.key in registry.specs:
            registry.problems.append(f"{_plugin_name(ep)} was left out: the key '{spec.key}' is already "
                                     f"{registry.specs[spec.key].label}'s; give the plugin's model another key")
            continue
        registry.specs[spec.key] = spec
        registry.trainers[spec.key] = _bound_trainer(spec)
    taken = {spec.color.upper() for spec in registry.specs.values() if spec.color}
    free = iter([c for c in OKABE_ITO if c.upper() not in taken])
    for key, spec in registry.specs.items():
        registry.colors[key] = spec.color or next(free, "#999999")
    return registry


def _bound_trainer(spec: ModelSpec) -> type[Trainer]:
    """The spec's trainer class, reading its key and unit from this spec.

    A plugin may reuse a trainer class another spec declared (say modelrace's ForestTrainer under a
    key of its own); it then races a subclass bound to its own spec, and the original stays the other's.
    """
    trainer: type[Trainer] = spec.trainer
    if vars(trainer).get("spec") is spec:
        return trainer
    return type(trainer.__name__, (trainer,), {"spec": spec, "__module__": trainer.__module__,
                                                "__qualname__": trainer.__qualname__})


def _load_all() -> _Registry:
    points = _entry_points()
    registry = _load(points)
    if not any(_distribution(ep) == _OWN_DISTRIBUTION for ep in points):
        registry.problems.insert(0, "modelrace's own models are not registered: its install is missing or stale "
                                    "(a leftover modelrace.egg-info?); install it again with pip install -e .")
    return registry


_REGISTRY = _load_all()


def specs() -> dict[str, ModelSpec]:
    """Every registered model's spec, by key, in race order (modelrace's own first)."""
    return dict(_REGISTRY.specs)


def problems() -> list[str]:
    """One line per plugin that was left out, naming it and saying why (empty when all loaded)."""
    return list(_REGISTRY.problems)


def spec(key: str) -> ModelSpec:
    """The spec of model ``key``; ConfigError naming the known keys if there is none."""
    try:
        return _REGISTRY.specs[key]
    except KeyError:
        raise ConfigError(f"unknown model '{key}'; choose from {', '.join(MODEL_KEYS)}") from None


def known(key: object) -> bool:
    """True if ``key`` names a registered model."""
    return key in _REGISTRY.specs


def label(key: str) -> str:
    """A model's display name (the key itself for a model not installed here)."""
    return _REGISTRY.specs[key].label if key in _REGISTRY.specs else key


def short_label(key: str) -> str:
    """A model's short name for narrow columns (the key itself for a model not installed here)."""
    return _REGISTRY.specs[key].short_label if key in _REGISTRY.specs else key


def sentence_name(key: str, start: bool = False) -> str:
    """A model's name in a sentence ("the MLP"); ``start`` capitalises it for the start of one."""
    name = _REGISTRY.specs[key].name_in_sentence if key in _REGISTRY.specs else key
    return name[0].upper() + name[1:] if start else name


def unit(key: str) -> str:
    """A model's native unit of training (one step of its curve)."""
    return _REGISTRY.specs[key].unit if key in _REGISTRY.specs else "step"


def color(key: str, fallback: str = "#999999") -> str:
    """A model's colour in the window and every report."""
    return _REGISTRY.colors.get(key, fallback)


def side(key: str) -> Side | None:
    """Which side of the tutorial's claim a model stands on ("neural" or "simpler"); None if unknown."""
    return _REGISTRY.specs[key].side if key in _REGISTRY.specs else None


def uses_library(key: str, module: str) -> bool:
    """True if model ``key`` trains with the library imported as ``module`` ("keras", "xgboost")."""
    return key in _REGISTRY.specs and any(lib.module == module for lib in _REGISTRY.specs[key].libraries)


def on_side(which: Side, keys: Iterable[str] | None = None) -> list[str]:
    """The keys (of ``keys``, or of every registered model) on side ``which``, in the order given."""
    assert which in SIDES
    return [key for key in (MODEL_KEYS if keys is None else keys) if side(key) == which]


def side_name(which: Side, keys: Iterable[str]) -> str:
    """How a sentence names one side among ``keys``: "the MLP", "RandomForest or XGBoost", "the simpler models"."""
    members = on_side(which, keys)
    if len(members) == 1:
        return sentence_name(members[0])
    if len(members) == 2:
        return f"{sentence_name(members[0])} or {sentence_name(members[1])}"
    return "the neural networks" if which == "neural" else "the simpler models"


class _Trainers(MutableMapping[str, "type[Trainer]"]):
    """key -> trainer class: each spec's own, unless a test put a replacement here."""

    def __init__(self) -> None:
        self._replaced: dict[str, type[Trainer]] = {}

    def __getitem__(self, key: str) -> type[Trainer]:
        if key in self._replaced:
            return self._replaced[key]
        if key in _REGISTRY.specs:
            return _REGISTRY.trainers[key]
        raise KeyError(key)

    def __setitem__(self, key: str, value: type[Trainer]) -> None:
        self._replaced[key] = value

    def __delitem__(self, key: str) -> None:
        del self._replaced[key]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*_REGISTRY.specs, *self._replaced]))

    def __len__(self) -> int:
        return len(set(_REGISTRY.specs) | set(self._replaced))


TRAINERS: MutableMapping[str, type[Trainer]] = _Trainers()


def trainer_class(key: str) -> type[Trainer]:
    """Return the trainer class registered under ``key``."""
    try:
        return TRAINERS[key]
    except KeyError:
        raise ConfigError(f"unknown model '{key}'; choose from {', '.join(MODEL_KEYS)}") from None


def config_class(key: str) -> type:
    """The config dataclass of a model (no ML library is imported)."""
    return spec(key).config


def parse_models(text: str) -> list[str]:
    """Parse a ``--models`` list such as ``mlp,rf`` into known keys, in the order given."""
    keys = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not keys:
        raise ConfigError(f"--models '{text}' names no model; use a comma list such as {','.join(MODEL_KEYS)}")
    for key in keys:
        config_class(key)
    if len(set(keys)) != len(keys):
        raise ConfigError(f"--models '{text}' names a model twice; list each once")
    return keys


#: Every registered model's key, in race order.
MODEL_KEYS: tuple[str, ...] = tuple(_REGISTRY.specs)
#: Display names, native units and colours by key (derived from the specs).
LABELS: dict[str, str] = {key: s.label for key, s in _REGISTRY.specs.items()}
UNITS: dict[str, str] = {key: s.unit for key, s in _REGISTRY.specs.items()}
MODEL_COLORS: dict[str, str] = dict(_REGISTRY.colors)
