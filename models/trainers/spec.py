"""A model's whole identity, declared once in its own module: the :class:`ModelSpec`.

Everything else (the registry, the CLI's choices, the verdict's sides, the window's cards and
curves, the reports, the reproduction script, the version checks, the preload and the workshop
check) reads the specs, so a model is added by declaring one spec and registering it under the
``modelrace.trainers`` entry-point group. See ``models.trainers.registry``.

A spec's module must stay light (no ML library imported at module level): the registry loads every
spec at start-up, and start-up stays free of the ML libraries.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Side = Literal["neural", "simpler"]
SIDES: tuple[Side, ...] = ("neural", "simpler")
#: A model key: short, lower case, usable in a comma list, a TOML section and a file name.
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
#: The Okabe-Ito colour-blind-safe palette, in the order free colours are handed out: sky blue first, the orange of
#: the target line late (a model in it turns that line grey), black and yellow last (black vanishes on the dark
#: theme, yellow on the light one).
OKABE_ITO = ("#D55E00", "#009E73", "#0072B2", "#56B4E9", "#CC79A7", "#E69F00", "#000000", "#F0E442")


class SpecError(ValueError):
    """A spec that cannot be used: a field missing or of the wrong kind."""


@dataclass(frozen=True)
class Library:
    """A library a model needs: how to see it is loaded, how pip names it, and how people call it."""

    module: str  # imported when the model first trains ("xgboost", "sklearn.ensemble"); "keras" means Keras + backend
    distribution: str  # the pip distribution, for version checks and the kit's wheels ("scikit-learn")
    name: str  # the name a person knows ("scikit-learn", "XGBoost")


#: ``snippet(config, jobs, entry, literal)``: Python source that trains the model on ``X_train``/``y_train``,
#: prints its test accuracy, and writes every value through ``literal`` (never spliced as code). ``config`` and
#: ``entry`` are the model's settings and entry as the result file holds them: JSON, read only.
ReproSnippet = Callable[[Mapping[str, Any], int, Mapping[str, Any], Callable[[object], str]], str]


@dataclass(frozen=True)
class ModelSpec:
    """One model, declared once: identity, looks, settings, trainer, side in the claim and needs.

    Creating a spec binds it to its trainer class (``trainer.spec``), so a trainer reads its key and
    unit from the one declaration.
    """

    key: str  # "rf": in --models, presets, result files
    label: str  # "RandomForest": cards, legends, tables
    short_label: str  # "RF": narrow columns and strips
    unit: str  # one step of its curve: "epoch", "tree", "round", "iteration"
    config: type  # the frozen settings dataclass (fields made with configs.setting)
    trainer: type[Any]  # a subclass of protocol.Trainer (not imported here: protocol imports this module)
    side: Side  # "neural" or "simpler": which side of the tutorial's claim it stands on
    libraries: tuple[Library, ...]  # loaded when it first trains
    repro: ReproSnippet  # its part of the reproduction script
    sentence_name: str = ""  # in a sentence ("the MLP"); the label when empty
    color: str = ""  # "#RRGGBB"; empty: the registry gives it a free Okabe-Ito colour
    gpu: bool = False  # can train on a GPU when the user asks for one

    def __post_init__(self) -> None:
        check_spec(self)
        if "spec" not in vars(self.trainer):  # a class another spec already declared stays that spec's
            self.trainer.spec = self  # the trainer's key and unit come from here

    @property
    def name_in_sentence(self) -> str:
        """How a sentence names the model ("the MLP", "RandomForest")."""
        return self.sentence_name or self.label


def check_spec(spec: ModelSpec) -> None:
    """Raise SpecError naming the first field that is missing or of the wrong kind."""
    if not isinstance(spec.key, str) or not KEY_PATTERN.match(spec.key):
        raise SpecError(f"key {spec.key!r} must be 1-16 lower-case letters, digits or _, starting with a letter")
    for name in ("label", "short_label", "unit"):
        value = getattr(spec, name)
        if not isinstance(value, str) or not value.strip():
            raise SpecError(f"{spec.key}: {name} must be a non-empty text, got {value!r}")
    if not (isinstance(spec.config, type) and dataclasses.is_dataclass(spec.config)):
        raise SpecError(f"{spec.key}: config must be a dataclass, got {spec.config!r}")
    try:
        spec.config()
    except Exception as exc:  # any failure means the defaults are unusable
        raise SpecError(f"{spec.key}: config {spec.config.__name__}() fails with its defaults: {exc}") from exc
    if not (isinstance(spec.trainer, type) and all(callable(getattr(spec.trainer, name, None))
                                                   for name in ("fit", "planned_steps"))):
        raise SpecError(f"{spec.key}: trainer must be a subclass of modelrace's Trainer, got {spec.trainer!r}")
    if spec.side not in SIDES:
        raise SpecError(f"{spec.key}: side must be 'neural' or 'simpler', got {spec.side!r}")
    if not isinstance(spec.libraries, tuple) or not all(isinstance(lib, Library) for lib in spec.libraries):
        raise SpecError(f"{spec.key}: libraries must be a tuple of Library, got {spec.libraries!r}")
    if not callable(spec.repro):
        raise SpecError(f"{spec.key}: repro must be a function that writes its script snippet")
    if spec.color and not re.fullmatch(r"#[0-9A-Fa-f]{6}", spec.color):
        raise SpecError(f"{spec.key}: color must be '#RRGGBB' or empty, got {spec.color!r}")

