"""Each model's settings as a plain dataclass: validated, and importable without any ML library.

The window builds its cards from these and the presets are parsed into them, so they must stay
light; the trainers that use them import their heavy libraries only when they train.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

OPTIMIZERS = ("adam", "adamw", "rmsprop", "sgd")
ACTIVATIONS = ("relu", "elu", "gelu", "selu", "tanh", "sigmoid", "swish")


@dataclass(frozen=True)
class MLPConfig:
    """Keras MLP settings; the defaults are the tutorial's."""

    hidden: tuple[int, ...] = (64, 32)
    dropout: float = 0.5
    l2: float = 0.0
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    decay: float = 1e-5
    momentum: float = 0.9  # used by sgd only
    batch_size: int = 32
    epochs: int = 20

    def __post_init__(self) -> None:
        if not self.hidden or any(units < 1 for units in self.hidden):
            raise ValueError(f"hidden must list at least one layer size >= 1, got {list(self.hidden)}")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.l2 < 0 or self.decay < 0 or self.learning_rate <= 0:
            raise ValueError("l2 and decay must be >= 0 and learning_rate > 0")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {self.activation!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}")
        if self.batch_size < 1 or self.epochs < 1:
            raise ValueError("batch_size and epochs must be at least 1")


@dataclass(frozen=True)
class ForestConfig:
    """RandomForest settings; the defaults are scikit-learn's. 0 means "no limit" for max_depth."""

    n_estimators: int = 100
    criterion: str = "gini"
    max_depth: int = 0
    min_samples_split: int = 2
    min_samples_leaf: int = 1
    max_features: str = "sqrt"
    bootstrap: bool = True

    def __post_init__(self) -> None:
        if self.n_estimators < 1:
            raise ValueError(f"n_estimators must be at least 1, got {self.n_estimators}")
        if self.criterion not in ("gini", "entropy", "log_loss"):
            raise ValueError(f"criterion must be gini, entropy or log_loss, got {self.criterion!r}")
        if self.max_depth < 0 or self.min_samples_split < 2 or self.min_samples_leaf < 1:
            raise ValueError("max_depth must be >= 0, min_samples_split >= 2 and min_samples_leaf >= 1")
        if self.max_features not in ("sqrt", "log2", "all"):
            raise ValueError(f"max_features must be sqrt, log2 or all, got {self.max_features!r}")

    def sklearn_params(self) -> dict:
        """Keyword arguments for RandomForestClassifier."""
        params = asdict(self)
        params["max_depth"] = self.max_depth or None
        params["max_features"] = None if self.max_features == "all" else self.max_features
        return params


@dataclass(frozen=True)
class BoostConfig:
    """XGBoost settings; the defaults are XGBoost's own."""

    n_estimators: int = 100
    max_depth: int = 6
    learning_rate: float = 0.3
    subsample: float = 1.0
    colsample_bytree: float = 1.0
    min_child_weight: float = 1.0
    reg_lambda: float = 1.0
    tree_method: str = "hist"
    max_bin: int = 256

    def __post_init__(self) -> None:
        if self.n_estimators < 1:
            raise ValueError(f"n_estimators must be at least 1, got {self.n_estimators}")
        if not 0 < self.learning_rate <= 1:
            raise ValueError(f"learning_rate must be in (0, 1], got {self.learning_rate}")
        if self.max_depth < 0 or not 0 < self.subsample <= 1 or not 0 < self.colsample_bytree <= 1:
            raise ValueError("max_depth must be >= 0, and subsample and colsample_bytree in (0, 1]")
        if self.tree_method not in ("hist", "approx", "exact"):
            raise ValueError(f"tree_method must be hist, approx or exact, got {self.tree_method!r}")


#: The config dataclass of each model key.
CONFIGS = {"mlp": MLPConfig, "rf": ForestConfig, "xgb": BoostConfig}
