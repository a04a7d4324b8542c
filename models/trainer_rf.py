"""scikit-learn RandomForest grown in chunks with ``warm_start``, validation accumulated per tree.

Each new tree's validation probabilities are added to a running sum, so drawing the whole curve
costs O(trees) predictions rather than O(trees^2). Growing with ``warm_start`` and an integer
``random_state`` builds exactly the forest that one ``fit`` with the same settings would build.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree._tree import NODE_DTYPE

from modelrace.models.split import Split
from modelrace.models.trainer_api import FitResult, Sink, Step, TrainClock, Trainer, validation_scores

#: The curve should have at least this many points, so the forest grows in at least this many chunks.
MIN_POINTS = 20


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


def chunk_size(n_estimators: int, threads: int) -> int:
    """Trees per ``fit`` call: a multiple of the thread count, small enough for MIN_POINTS points."""
    per_thread = max(1, n_estimators // (MIN_POINTS * threads))
    return max(1, min(threads * per_thread, math.ceil(n_estimators / MIN_POINTS)))


class ForestTrainer(Trainer):
    """RandomForest with live per-chunk validation points."""

    key = "rf"
    label = "RandomForest"
    unit = "tree"
    Config = ForestConfig

    def planned_steps(self) -> int:
        """Trees to grow."""
        return self.config.n_estimators

    def fit(self, split: Split, sink: Sink) -> FitResult:
        """Grow the forest chunk by chunk, reporting validation accuracy after each chunk."""
        config: ForestConfig = self.config
        forest = RandomForestClassifier(
            warm_start=True, n_jobs=self.threads, random_state=self.seed, **config.sklearn_params()
        )
        total = config.n_estimators
        chunk = chunk_size(total, self.threads)
        proba_sum = np.zeros((len(split.y_val), split.n_classes), dtype=np.float64)
        curve: list[Step] = []
        status = "finished"
        clock = TrainClock()
        # The data was validated when imported; skip sklearn's finiteness scan on every chunk.
        with sklearn.config_context(assume_finite=True):
            grown = 0
            while grown < total:
                if grown and sink.stop_requested():  # the first chunk always grows: a model to hand back
                    status = "stopped"
                    break
                forest.set_params(n_estimators=min(total, grown + chunk))
                forest.fit(split.X_train, split.y_train)
                new_trees = forest.estimators_[grown:]
                with clock.monitoring():
                    for tree in new_trees:
                        proba_sum += tree.predict_proba(split.X_val, check_input=False)
                    grown = len(forest.estimators_)
                    accuracy, loss = validation_scores(proba_sum / grown, split.y_val)
                    step = Step(self.key, grown, self.unit, total, clock.train_seconds(), clock.wall(), accuracy, loss)
                    curve.append(step)
                    sink.put(step)
        return FitResult(
            status=status,
            predict_proba=forest.predict_proba,
            train_seconds=clock.train_seconds(),
            cpu_seconds=clock.cpu_seconds(),
            monitor_seconds=clock.monitor_wall,
            setup_seconds=0.0,
            steps_done=grown,
            model_bytes=forest_bytes(forest),
            threads={"n_jobs": self.threads},
            params={**forest.get_params(), "chunk": chunk},
            curve=curve,
            model=forest,
        )


def forest_bytes(forest: RandomForestClassifier) -> int:
    """Bytes of the fitted trees' node and value arrays (what pickling them would store)."""
    total = 0
    for tree in forest.estimators_:
        total += tree.tree_.node_count * NODE_DTYPE.itemsize + tree.tree_.value.nbytes
    return int(total)
