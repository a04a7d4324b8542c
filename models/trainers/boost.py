"""XGBoost with a per-round callback that reports validation scores and can stop training.

The callback evaluates a validation DMatrix itself (timed as monitoring) rather than passing
``eval_set`` to ``fit``: XGBoost's own evaluation runs inside the training loop, where its cost
could not be told apart from training. Booster predictions on a DMatrix are cached between
rounds, so each round's evaluation only adds the newest trees.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

import numpy as np

from modelrace.models.trainers.devices import xgboost_device
from modelrace.models.trainers.configs import BoostConfig
from modelrace.models.trainers.protocol import (
    MONITOR_BUDGET, FitResult, Sink, Step, TrainClock, Trainer, validation_scores,
)
from modelrace.models.trainers.spec import Library, ModelSpec

if typing.TYPE_CHECKING:
    from modelrace.models.data.split import Split


#: The curve keeps at least this many points, whatever the budget.
MIN_POINTS = 20


def _probabilities(raw: np.ndarray) -> np.ndarray:
    """Booster output as a (rows x classes) matrix; binary models return one column."""
    raw = np.asarray(raw)
    return np.column_stack([1.0 - raw, raw]) if raw.ndim == 1 else raw


class BoostTrainer(Trainer):
    """XGBoost classifier with live per-round validation points."""

    def planned_steps(self) -> int:
        """Boosting rounds to run."""
        return self.config.n_estimators

    def fit(self, split: Split, sink: Sink) -> FitResult:
        """Boost round by round, reporting validation scores after each round."""
        import xgboost as xgb

        setup_start = TrainClock()
        config: BoostConfig = self.config
        trainer = self
        y_monitor = split.y_monitor
        dval = xgb.DMatrix(split.X_monitor, nthread=self.threads)
        # Evaluate every round while that costs under MONITOR_BUDGET of the training time; past it, skip
        # rounds, but never more than total/MIN_POINTS in a row, and always evaluate the last round.
        # Skipping loses nothing: the booster's prediction cache adds the skipped rounds' trees later.
        max_gap = max(1, config.n_estimators // MIN_POINTS)
        setup_seconds = setup_start.wall()

        class Reporter(xgb.callback.TrainingCallback):
            def __init__(self) -> None:
                super().__init__()
                self.curve: list[Step] = []
                self.stopped = False
                self.rounds = 0
                self.last_evaluated = 0

            def after_iteration(self, model: xgb.Booster, epoch: int, evals_log: dict) -> bool:
                self.rounds = epoch + 1
                trained = clock.train_seconds()  # read before the monitoring span opens
                stop = sink.stop_requested()
                due = (self.rounds == config.n_estimators or stop or self.rounds - self.last_evaluated >= max_gap
                       or clock.monitor_wall <= MONITOR_BUDGET * trained)
                if due:
                    self.evaluate(model, trained)
                    stop = stop or sink.stop_requested()
                self.stopped = stop and self.rounds < config.n_estimators
                return self.stopped

            def evaluate(self, model: xgb.Booster, trained: float) -> None:
                self.last_evaluated = self.rounds
                epoch = self.rounds - 1
                with clock.monitoring():
                    proba = _probabilities(model.predict(dval))
                    accuracy, loss = validation_scores(proba, y_monitor)
                    step = Step(
                        trainer.key, epoch + 1, trainer.unit, config.n_estimators,
                        trained, clock.wall(), accuracy, loss,
                    )
                    self.curve.append(step)
                    sink.put(step)

        reporter = Reporter()
        model = xgb.XGBClassifier(
            n_jobs=self.threads, random_state=self.seed, callbacks=[reporter], device=xgboost_device(self.device),
            **asdict(config)
        )
        clock = TrainClock()
        model.fit(split.X_train, split.y_train)
        train_seconds, cpu_seconds = clock.train_seconds(), clock.cpu_seconds()
        booster = model.get_booster()
        params = {k: v for k, v in model.get_params().items() if k != "callbacks"}
        return FitResult(
            status="stopped" if reporter.stopped else "finished",
            predict_proba=model.predict_proba,
            train_seconds=train_seconds,
            cpu_seconds=cpu_seconds,
            monitor_seconds=clock.monitor_wall,
            setup_seconds=setup_seconds,
            steps_done=reporter.rounds,
            model_bytes=len(booster.save_raw("ubj")),
            threads={"n_jobs": self.threads},
            params=params,
            curve=reporter.curve,
            model=model,
        )


def boost_script(config: Mapping[str, Any], jobs: int, entry: Mapping[str, Any], literal: Callable[[object], str]) -> str:
    """The reproduction script's XGBoost part."""
    arguments = literal(dict(config))
    return f'''
# Model: XGBoost (the race's test accuracy: XGB_RACE_ACCURACY).
XGB_RACE_ACCURACY = {literal(entry.get("test_accuracy"))}
from xgboost import XGBClassifier

booster = XGBClassifier(**{arguments}, n_jobs={literal(jobs)}, random_state=SEED)
booster.fit(X_train, y_train)
print(f"XGBoost test accuracy: {{accuracy_score(y_test, booster.predict(X_test)):.4f}}")
'''


SPEC = ModelSpec(
    key="xgb", label="XGBoost", short_label="XGB", unit="round", config=BoostConfig, trainer=BoostTrainer,
    side="simpler", libraries=(Library("xgboost", "xgboost", "XGBoost"),), repro=boost_script, color="#0072B2", gpu=True,
)
