"""Each model's settings as a plain dataclass, with every setting's range, choices and tooltip defined once.

The window builds its model cards from these specs, the presets and result files are parsed into
these classes, and the same ranges validate them, so a value the window cannot show is refused
everywhere. The module is light (no ML library): the window imports it at start-up.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import asdict, dataclass, field
from typing import Any

from modelrace.models.system.errors import ConfigError


@dataclass(frozen=True)
class Spec:
    """How one setting is shown and which values it accepts."""

    label: str
    tooltip: str
    minimum: float | None = None
    maximum: float | None = None
    decimals: int = 0  # digits shown for a float
    step: float = 1  # spin-box step
    choices: tuple[str, ...] = ()
    advanced: bool = False  # in the card's Advanced section
    zero_text: str = ""  # shown instead of 0 (e.g. "no limit")
    only_when: tuple[str, str] | None = None  # (setting, value): shown only when that setting has that value


def setting(default: Any, label: str, tooltip: str, **spec: Any) -> Any:
    """A dataclass field with its :class:`Spec` (label, tooltip, range or choices)."""
    return field(default=default, metadata={"spec": Spec(label, tooltip, **spec)})


@dataclass(frozen=True)
class SettingInfo:
    """One setting of a config class, as a front end needs it: name, widget kind and spec."""

    name: str
    kind: str  # "int", "float", "choice", "bool" or "layers"
    spec: Spec


def settings_of(config_class: type) -> list[SettingInfo]:
    """The settings of a config class, in declaration order."""
    hints = typing.get_type_hints(config_class)
    return [SettingInfo(f.name, _kind(hints[f.name]), f.metadata["spec"]) for f in dataclasses.fields(config_class)]


def setting_applies(setting: SettingInfo, values: dict[str, Any] | Any) -> bool:
    """True if ``setting`` is used with the other ``values`` of its config (False for SGD's momentum with Adam).

    The model cards show, and the reports list, only the settings that apply.
    """
    if setting.spec.only_when is None:
        return True
    other, wanted = setting.spec.only_when
    return str(values.get(other)) == wanted


def _kind(hint: Any) -> str:
    if typing.get_origin(hint) is tuple:
        return "layers"
    return {int: "int", float: "float", bool: "bool", str: "choice"}[hint]


def check_settings(config: Any) -> None:
    """Raise ValueError naming the first setting outside its range or choices (NaN and infinities included)."""
    for info in settings_of(type(config)):
        value, spec = getattr(config, info.name), info.spec
        if info.kind == "choice":
            if value not in spec.choices:
                raise ValueError(f"{info.name} must be one of {', '.join(spec.choices)}, got {value!r}")
        elif info.kind == "layers":
            if not 1 <= len(value) <= 10 or any(not 1 <= units <= spec.maximum for units in value):
                raise ValueError(f"{info.name} must list 1 to 10 layer sizes from 1 to {spec.maximum:g}, got {list(value)}")
        elif info.kind in ("int", "float"):
            if not math.isfinite(value) or not spec.minimum <= value <= spec.maximum:
                raise ValueError(f"{info.name} must be between {spec.minimum:g} and {spec.maximum:g}, got {value!r}")


OPTIMIZERS = ("adam", "adamw", "rmsprop", "sgd")
ACTIVATIONS = ("relu", "elu", "gelu", "selu", "tanh", "sigmoid", "swish")


@dataclass(frozen=True)
class MLPConfig:
    """Keras MLP settings; the defaults are the tutorial's."""

    hidden: tuple[int, ...] = setting((64, 32), "Hidden layers", "Units in each hidden layer, comma-separated (the "
                                      "tutorial: 64, 32).", maximum=99_999)
    dropout: float = setting(0.5, "Dropout", "Fraction of hidden units switched off at random in each step, against "
                             "overfitting.", minimum=0, maximum=0.95, decimals=2, step=0.05, advanced=True)
    l2: float = setting(0.0, "L2 penalty", "Weight decay on each hidden layer's weights and biases (0 = none).",
                        minimum=0, maximum=1, decimals=5, step=0.0001, advanced=True)
    activation: str = setting("relu", "Activation", "Non-linearity of the hidden layers.", choices=ACTIVATIONS,
                              advanced=True)
    optimizer: str = setting("adam", "Optimizer", "How the weights are updated from the gradients.", choices=OPTIMIZERS,
                             advanced=True)
    learning_rate: float = setting(0.001, "Learning rate", "Step size of the optimizer (the tutorial: 0.001).",
                                   minimum=1e-6, maximum=10, decimals=6, step=0.0005)
    decay: float = setting(1e-5, "LR decay", "Keras 1/2 decay: lr / (1 + decay x step) (the tutorial: 1e-5).",
                           minimum=0, maximum=1, decimals=6, step=0.00001, advanced=True)
    momentum: float = setting(0.9, "Momentum", "Momentum of SGD (other optimizers ignore it).", minimum=0,
                              maximum=0.999, decimals=3, step=0.05, advanced=True, only_when=("optimizer", "sgd"))
    batch_size: int = setting(32, "Batch size", "Rows per gradient step; small batches are slow per epoch but learn "
                              "more per epoch.", minimum=1, maximum=65_536)
    epochs: int = setting(20, "Epochs", "Full passes over the training rows.", minimum=1, maximum=10_000)

    def __post_init__(self) -> None:
        check_settings(self)


@dataclass(frozen=True)
class ForestConfig:
    """RandomForest settings; the defaults are scikit-learn's. 0 means "no limit" for max_depth."""

    n_estimators: int = setting(100, "Trees", "Number of trees; more trees average out noise but take longer.",
                                minimum=1, maximum=5000)
    criterion: str = setting("gini", "Criterion", "How the quality of a split is measured.",
                             choices=("gini", "entropy", "log_loss"), advanced=True)
    max_depth: int = setting(0, "Max depth", "Deepest split allowed in a tree (no limit = grow until leaves are pure).",
                             minimum=0, maximum=200, zero_text="no limit")
    min_samples_split: int = setting(2, "Min rows to split", "A node needs at least this many rows to be split.",
                                     minimum=2, maximum=10_000, advanced=True)
    min_samples_leaf: int = setting(1, "Min rows per leaf", "Every leaf keeps at least this many rows.", minimum=1,
                                    maximum=10_000, advanced=True)
    max_features: str = setting("sqrt", "Features per split", "Features considered at each split: sqrt or log2 of all, "
                                "or all.", choices=("sqrt", "log2", "all"), advanced=True)
    bootstrap: bool = setting(True, "Bootstrap", "Train each tree on a resample of the rows (drawn with replacement).",
                              advanced=True)

    def __post_init__(self) -> None:
        check_settings(self)

    def sklearn_params(self) -> dict:
        """Keyword arguments for RandomForestClassifier."""
        params = asdict(self)
        params["max_depth"] = self.max_depth or None
        params["max_features"] = None if self.max_features == "all" else self.max_features
        return params


@dataclass(frozen=True)
class BoostConfig:
    """XGBoost settings; the defaults are XGBoost's own."""

    n_estimators: int = setting(100, "Rounds", "Boosting rounds: each adds one tree per class that corrects the "
                                "previous ones.", minimum=1, maximum=10_000)
    max_depth: int = setting(6, "Max depth", "Deepest split allowed in each boosted tree (XGBoost default 6).",
                             minimum=0, maximum=50)
    learning_rate: float = setting(0.3, "Learning rate", "Shrinks each new tree's contribution (XGBoost default 0.3).",
                                   minimum=0.001, maximum=1, decimals=3, step=0.05)
    subsample: float = setting(1.0, "Row subsample", "Fraction of rows drawn for each tree (1 = all).", minimum=0.05,
                               maximum=1, decimals=2, step=0.05, advanced=True)
    colsample_bytree: float = setting(1.0, "Column subsample", "Fraction of features drawn for each tree (1 = all).",
                                      minimum=0.05, maximum=1, decimals=2, step=0.05, advanced=True)
    min_child_weight: float = setting(1.0, "Min child weight", "Minimum summed hessian in a leaf; larger is more "
                                      "conservative.", minimum=0, maximum=1000, decimals=2, step=0.5, advanced=True)
    reg_lambda: float = setting(1.0, "L2 (lambda)", "L2 regularisation on leaf weights.", minimum=0, maximum=1000,
                                decimals=2, step=0.5, advanced=True)
    tree_method: str = setting("hist", "Tree method", "hist bins features (fast); exact tries every split.",
                               choices=("hist", "approx", "exact"), advanced=True)
    max_bin: int = setting(256, "Max bins", "Bins per feature for the hist method.", minimum=2, maximum=4096,
                           advanced=True)

    def __post_init__(self) -> None:
        check_settings(self)


def config_from_dict(cls: type, values: dict[str, Any], section: str) -> Any:
    """Instantiate dataclass ``cls`` from ``values`` with clear errors for unknown keys and bad types."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"[{section}] has unknown setting(s) {', '.join(unknown)}; known: {', '.join(fields)}")
    hints = typing.get_type_hints(cls)
    clean: dict[str, Any] = {}
    for name, value in values.items():
        clean[name] = _coerce(section, name, value, hints[name])
    try:
        return cls(**clean)
    except (TypeError, ValueError, ConfigError) as exc:
        raise ConfigError(f"[{section}] {exc}") from exc


def _coerce(section: str, name: str, value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise ConfigError(f"[{section}] {name} must be a list of whole numbers, e.g. [64, 32]; got {value!r}")
        return tuple(value)
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is bool and isinstance(value, bool):
        return value
    if hint is str and isinstance(value, str):
        return value
    expected = getattr(hint, "__name__", str(hint))
    raise ConfigError(f"[{section}] {name} must be a {expected}; got {value!r}")
