"""The hyperparameters shown on each model card: widget kind, range, one-line tooltip, and placement."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One editable setting of a model's config dataclass."""

    name: str
    label: str
    kind: str  # "int", "float", "choice", "bool" or "layers"
    tooltip: str
    minimum: float = 0
    maximum: float = 1_000_000
    decimals: int = 0
    step: float = 1
    choices: tuple[str, ...] = ()
    advanced: bool = False
    zero_text: str = ""  # shown instead of 0 (e.g. "no limit")


FIELDS: dict[str, tuple[Field, ...]] = {
    "mlp": (
        Field("hidden", "Hidden layers", "layers", "Units in each hidden layer, comma-separated (the tutorial: 64, 32)."),
        Field("epochs", "Epochs", "int", "Full passes over the training rows.", 1, 10_000),
        Field("batch_size", "Batch size", "int", "Rows per gradient step; small batches are slow per epoch but learn more per epoch.", 1, 65_536),
        Field("learning_rate", "Learning rate", "float", "Step size of the optimizer (the tutorial: 0.001).", 1e-6, 10, 6, 0.0005),
        Field("dropout", "Dropout", "float", "Fraction of hidden units switched off at random in each step, against overfitting.", 0, 0.95, 2, 0.05, advanced=True),
        Field("l2", "L2 penalty", "float", "Weight decay on each hidden layer's weights and biases (0 = none).", 0, 1, 5, 0.0001, advanced=True),
        Field("activation", "Activation", "choice", "Non-linearity of the hidden layers.",
              choices=("relu", "elu", "gelu", "selu", "tanh", "sigmoid", "swish"), advanced=True),
        Field("optimizer", "Optimizer", "choice", "How the weights are updated from the gradients.",
              choices=("adam", "adamw", "rmsprop", "sgd"), advanced=True),
        Field("decay", "LR decay", "float", "Keras 1/2 decay: lr / (1 + decay x step) (the tutorial: 1e-5).", 0, 1, 6, 0.00001, advanced=True),
        Field("momentum", "Momentum", "float", "Momentum of SGD (other optimizers ignore it).", 0, 0.999, 3, 0.05, advanced=True),
    ),
    "rf": (
        Field("n_estimators", "Trees", "int", "Number of trees; more trees average out noise but take longer.", 1, 5000),
        Field("max_depth", "Max depth", "int", "Deepest split allowed in a tree (no limit = grow until leaves are pure).", 0, 200, zero_text="no limit"),
        Field("max_features", "Features per split", "choice", "Features considered at each split: sqrt or log2 of all, or all.",
              choices=("sqrt", "log2", "all"), advanced=True),
        Field("criterion", "Criterion", "choice", "How the quality of a split is measured.", choices=("gini", "entropy", "log_loss"), advanced=True),
        Field("min_samples_split", "Min rows to split", "int", "A node needs at least this many rows to be split.", 2, 10_000, advanced=True),
        Field("min_samples_leaf", "Min rows per leaf", "int", "Every leaf keeps at least this many rows.", 1, 10_000, advanced=True),
        Field("bootstrap", "Bootstrap", "bool", "Train each tree on a resample of the rows (drawn with replacement).", advanced=True),
    ),
    "xgb": (
        Field("n_estimators", "Rounds", "int", "Boosting rounds: each adds one tree per class that corrects the previous ones.", 1, 10_000),
        Field("max_depth", "Max depth", "int", "Deepest split allowed in each boosted tree (XGBoost default 6).", 0, 50),
        Field("learning_rate", "Learning rate", "float", "Shrinks each new tree's contribution (XGBoost default 0.3).", 0.001, 1, 3, 0.05),
        Field("subsample", "Row subsample", "float", "Fraction of rows drawn for each tree (1 = all).", 0.05, 1, 2, 0.05, advanced=True),
        Field("colsample_bytree", "Column subsample", "float", "Fraction of features drawn for each tree (1 = all).", 0.05, 1, 2, 0.05, advanced=True),
        Field("min_child_weight", "Min child weight", "float", "Minimum summed hessian in a leaf; larger is more conservative.", 0, 1000, 2, 0.5, advanced=True),
        Field("reg_lambda", "L2 (lambda)", "float", "L2 regularisation on leaf weights.", 0, 1000, 2, 0.5, advanced=True),
        Field("tree_method", "Tree method", "choice", "hist bins features (fast); exact tries every split.", choices=("hist", "approx", "exact"), advanced=True),
        Field("max_bin", "Max bins", "int", "Bins per feature for the hist method.", 2, 4096, advanced=True),
    ),
}
