"""scikit-learn's HistGradientBoostingClassifier: one curve step per boosting iteration, and its spec.

The model is fitted with one ordinary ``fit`` call. scikit-learn has no per-iteration callback, but
it calls a callable ``scoring`` once per iteration when ``early_stopping`` is on; with
``validation_fraction=None`` no row is held out and with ``n_iter_no_change`` past ``max_iter`` it
never stops early, so the trees are those of ``early_stopping=False`` (a test checks the predictions
are identical). That call is the hook: it is timed as monitoring, adds only the newest trees'
predictions on the validation rows (binned once), and raises to stop; the iterations already done
become the partial model.

This module stays light: scikit-learn is imported inside ``fit``.
"""

from __future__ import annotations

import pickle
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelrace.models.trainers.configs import check_settings, setting
from modelrace.models.trainers.protocol import (
    MONITOR_BUDGET, FitResult, Sink, Step, TrainClock, Trainer, validation_scores,
)
from modelrace.models.trainers.spec import Library, ModelSpec

if typing.TYPE_CHECKING:
    from modelrace.models.data.split import Split

#: The curve keeps at least this many points, whatever the monitoring budget.
MIN_POINTS = 20


@dataclass(frozen=True)
class HGBConfig:
    """HistGradientBoosting settings; the defaults are scikit-learn's, with early stopping off (the curve shows it)."""

    max_iter: int = setting(100, "Iterations", "Boosting iterations: each adds one tree per class that corrects the "
                            "previous ones.", minimum=1, maximum=10_000)
    learning_rate: float = setting(0.1, "Learning rate", "Shrinks each new tree's contribution (scikit-learn "
                                   "default 0.1).", minimum=0.001, maximum=1, decimals=3, step=0.05)
    max_leaf_nodes: int = setting(31, "Max leaves", "Leaves per tree (no limit = grow by depth only).", minimum=0,
                                  maximum=10_000, zero_text="no limit")
    max_depth: int = setting(0, "Max depth", "Deepest split allowed in a tree (no limit = bounded by the leaves).",
                             minimum=0, maximum=200, zero_text="no limit", advanced=True)
    min_samples_leaf: int = setting(20, "Min rows per leaf", "Every leaf keeps at least this many rows.", minimum=1,
                                    maximum=10_000, advanced=True)
    l2_regularization: float = setting(0.0, "L2 penalty", "L2 regularisation on leaf values (0 = none).", minimum=0,
                                       maximum=1000, decimals=3, step=0.1, advanced=True)
    max_features: float = setting(1.0, "Feature share", "Share of features drawn at random for each split (1 = all).",
                                  minimum=0.01, maximum=1, decimals=2, step=0.05, advanced=True)
    max_bins: int = setting(255, "Max bins", "Bins per feature (at most 255).", minimum=2, maximum=255, advanced=True)

    def __post_init__(self) -> None:
        check_settings(self)
        if self.max_leaf_nodes == 1:
            raise ValueError("max_leaf_nodes must be 0 (no limit) or at least 2, got 1")

    def sklearn_params(self) -> dict[str, Any]:
        """Keyword arguments for HistGradientBoostingClassifier (0 means no limit)."""
        return {
            "max_iter": self.max_iter, "learning_rate": self.learning_rate,
            "max_leaf_nodes": self.max_leaf_nodes or None, "max_depth": self.max_depth or None,
            "min_samples_leaf": self.min_samples_leaf, "l2_regularization": self.l2_regularization,
            "max_features": self.max_features, "max_bins": self.max_bins,
        }


class _Stop(Exception):
    """Raised from the per-iteration hook to end the fit when a stop was requested."""


class _IterationMonitor:
    """The per-iteration hook: scikit-learn calls it as ``scoring(estimator, X, y)`` after each iteration."""

    def __init__(self, trainer: HGBTrainer, split: Split, sink: Sink, clock: TrainClock) -> None:
        self._trainer, self._split, self._sink, self._clock = trainer, split, sink, clock
        self._total = trainer.config.max_iter
        self._max_gap = max(1, self._total // MIN_POINTS)
        self._binned: np.ndarray | None = None
        self._raw: np.ndarray | None = None
        self._added = 0  # iterations whose trees are in _raw
        self.last_evaluated = 0
        self.iterations = 0
        self.stopped = False
        self.curve: list[Step] = []

    def __call__(self, estimator: Any, X: Any, y: Any) -> float:  # noqa: N803 - scikit-learn's scorer signature
        done = len(estimator._predictors)
        if done == 0:
            return 0.0  # the call before the first tree
        self.iterations = done
        trained = self._clock.train_seconds()  # read before the monitoring span opens
        stop = self._sink.stop_requested() and done < self._total
        due = (done == self._total or stop or done - self.last_evaluated >= self._max_gap
               or self._clock.monitor_wall <= MONITOR_BUDGET * trained)
        if due:
            with self._clock.monitoring():
                self._evaluate(estimator, done, trained)
        if stop:
            self.stopped = True
            raise _Stop
        return 0.0

    def _evaluate(self, estimator: Any, done: int, trained: float) -> None:
        """Add the trees grown since the last evaluation to the validation rows' raw scores, and report a step."""
        if self._binned is None:
            self._binned = estimator._bin_mapper.transform(self._split.X_monitor)
            self._raw = np.zeros((len(self._binned), estimator.n_trees_per_iteration_), dtype=np.float64)
            self._raw += estimator._baseline_prediction
        assert self._raw is not None
        missing = estimator._bin_mapper.missing_values_bin_idx_
        for predictors in estimator._predictors[self._added:done]:
            for k, predictor in enumerate(predictors):
                self._raw[:, k] += predictor.predict_binned(self._binned, missing, self._trainer.threads)
        self._added = done
        proba = estimator._loss.predict_proba(self._raw[:, 0] if self._raw.shape[1] == 1 else self._raw)
        accuracy, loss = validation_scores(proba, self._split.y_monitor)
        step = Step(self._trainer.key, done, self._trainer.unit, self._total, trained, self._clock.wall(), accuracy, loss)
        self.curve.append(step)
        self.last_evaluated = done
        self._sink.put(step)


class HGBTrainer(Trainer):
    """HistGradientBoosting with live per-iteration validation points."""

    def planned_steps(self) -> int:
        """Boosting iterations to run."""
        return self.config.max_iter

    def fit(self, split: Split, sink: Sink) -> FitResult:
        """Boost iteration by iteration in one ``fit``, reporting validation scores from the hook."""
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        config: HGBConfig = self.config
        clock = TrainClock()
        monitor = _IterationMonitor(self, split, sink, clock)
        model = HistGradientBoostingClassifier(
            **config.sklearn_params(), early_stopping=True, validation_fraction=None,
            n_iter_no_change=config.max_iter + 1, scoring=monitor, random_state=self.seed,
        )
        with threadpool_limits(limits=self.threads, user_api="openmp"):
            try:
                model.fit(split.X_train, split.y_train)
            except _Stop:
                model.__dict__.pop("_in_fit", None)  # fit ends with this; a stopped fit must end it too
        train_seconds, cpu_seconds = clock.train_seconds(), clock.cpu_seconds()
        # The fitted trees are those of the plain model: record it as that model, and let go of the hook, which
        # holds the race's sink (a model that keeps it could neither be pickled nor free the split's rows).
        model.set_params(early_stopping=False, scoring="loss", n_iter_no_change=10)
        model._scorer = None
        return FitResult(
            status="stopped" if monitor.stopped else "finished",
            predict_proba=model.predict_proba,
            train_seconds=train_seconds,
            cpu_seconds=cpu_seconds,
            monitor_seconds=clock.monitor_wall,
            setup_seconds=0.0,
            steps_done=model.n_iter_,
            model_bytes=len(pickle.dumps(model)),
            threads={"openmp": self.threads},
            params=model.get_params(),
            curve=monitor.curve,
            model=model,
        )


def hgb_script(config: Mapping[str, Any], jobs: int, entry: Mapping[str, Any], literal: Callable[[object], str]) -> str:
    """The reproduction script's HistGradientBoosting part."""
    arguments = {**HGBConfig(**config).sklearn_params(), "early_stopping": False}
    return f'''
# Model: HistGradientBoosting (the race's test accuracy: HGB_RACE_ACCURACY).
HGB_RACE_ACCURACY = {literal(entry.get("test_accuracy"))}
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

with threadpool_limits(limits={literal(jobs)}, user_api="openmp"):
    hgb = HistGradientBoostingClassifier(**{literal(arguments)}, random_state=SEED)
    hgb.fit(X_train, y_train)
print(f"HistGradientBoosting test accuracy: {{accuracy_score(y_test, hgb.predict(X_test)):.4f}}")
'''


SPEC = ModelSpec(
    key="hgb", label="HistGradientBoosting", short_label="HGB", unit="iteration", config=HGBConfig,
    trainer=HGBTrainer, side="simpler", libraries=(Library("sklearn.ensemble", "scikit-learn", "scikit-learn"),),
    repro=hgb_script,
)
