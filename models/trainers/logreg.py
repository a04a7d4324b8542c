"""The trivial baseline: multinomial logistic regression trained by epochs, one curve step per epoch, and its spec.

A softmax over a linear map of the features, fitted with log loss, an L2 penalty and mini-batch
Adam or SGD: scikit-learn's ``MLPClassifier`` with no hidden layer is exactly that model (one
weight matrix and a softmax output), and its ``partial_fit`` runs one epoch per call. Unlike
``SGDClassifier(loss="log_loss")``, which fits one binary model per class, this one is multinomial.
Every comparison needs such an anchor: a model that is not better than it has learned little.

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
class LogRegConfig:
    """Logistic-regression settings; the defaults are scikit-learn's (Adam, batches of 200, alpha 1e-4)."""

    epochs: int = setting(20, "Epochs", "Full passes over the training rows.", minimum=1, maximum=10_000)
    alpha: float = setting(0.0001, "L2 penalty", "Strength of the L2 penalty on the weights (0 = none).", minimum=0,
                           maximum=10, decimals=6, step=0.0001)
    solver: str = setting("adam", "Optimizer", "How the weights are updated from the gradients.",
                          choices=("adam", "sgd"), advanced=True)
    learning_rate: float = setting(0.001, "Learning rate", "Step size of the optimizer (scikit-learn default 0.001).",
                                   minimum=1e-6, maximum=10, decimals=6, step=0.0005)
    batch_size: int = setting(200, "Batch size", "Rows per gradient step.", minimum=1, maximum=65_536, advanced=True)

    def __post_init__(self) -> None:
        check_settings(self)

    def sklearn_params(self) -> dict[str, Any]:
        """Keyword arguments for MLPClassifier with no hidden layer."""
        return {"hidden_layer_sizes": (), "alpha": self.alpha, "solver": self.solver,
                "learning_rate_init": self.learning_rate, "batch_size": self.batch_size}


class LogRegTrainer(Trainer):
    """Multinomial logistic regression with a validation point after each epoch."""

    def planned_steps(self) -> int:
        """Epochs to run."""
        return self.config.epochs

    def fit(self, split: Split, sink: Sink) -> FitResult:
        """Run one ``partial_fit`` epoch at a time; stop between epochs when asked."""
        from sklearn.neural_network import MLPClassifier
        from threadpoolctl import threadpool_limits

        config: LogRegConfig = self.config
        total = config.epochs
        max_gap = max(1, total // MIN_POINTS)
        # A RandomState object (not an int) draws a new shuffle every epoch, as one ``fit`` over many epochs does.
        model = MLPClassifier(**config.sklearn_params(), random_state=np.random.RandomState(self.seed), shuffle=True)
        classes = np.unique(split.y_train)
        curve: list[Step] = []
        done = last_evaluated = 0
        stopped = False
        clock = TrainClock()
        with threadpool_limits(limits=self.threads, user_api="blas"):
            while done < total:
                model.partial_fit(split.X_train, split.y_train, classes=classes)
                done += 1
                trained = clock.train_seconds()
                stop = sink.stop_requested() and done < total
                if (done == total or stop or done - last_evaluated >= max_gap
                        or clock.monitor_wall <= MONITOR_BUDGET * trained):
                    with clock.monitoring():
                        accuracy, loss = validation_scores(model.predict_proba(split.X_monitor), split.y_monitor)
                        step = Step(self.key, done, self.unit, total, trained, clock.wall(), accuracy, loss)
                        curve.append(step)
                        sink.put(step)
                    last_evaluated = done
                if stop:
                    stopped = True
                    break
        params = model.get_params()
        params["random_state"] = self.seed  # the seed of the RandomState it was given
        return FitResult(
            status="stopped" if stopped else "finished",
            predict_proba=model.predict_proba,
            train_seconds=clock.train_seconds(),
            cpu_seconds=clock.cpu_seconds(),
            monitor_seconds=clock.monitor_wall,
            setup_seconds=0.0,
            steps_done=done,
            model_bytes=len(pickle.dumps(model)),
            threads={"blas": self.threads},
            params=params,
            curve=curve,
            model=model,
        )


def logreg_script(config: Mapping[str, Any], jobs: int, entry: Mapping[str, Any], literal: Callable[[object], str]) -> str:
    """The reproduction script's logistic-regression part: the same epochs, one ``partial_fit`` each."""
    arguments = LogRegConfig(**config).sklearn_params()
    return f'''
# Model: logistic regression, multinomial (the race's test accuracy: LOGREG_RACE_ACCURACY). An MLPClassifier
# with no hidden layer is a softmax over a linear map: multinomial logistic regression, trained epoch by epoch.
LOGREG_RACE_ACCURACY = {literal(entry.get("test_accuracy"))}
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

logreg = MLPClassifier(**{literal(arguments)}, random_state=np.random.RandomState(SEED), shuffle=True)
with threadpool_limits(limits={literal(jobs)}, user_api="blas"):
    for epoch in range({literal(config["epochs"])}):
        logreg.partial_fit(X_train, y_train, classes=np.unique(y_train))
print(f"Logistic regression test accuracy: {{accuracy_score(y_test, logreg.predict(X_test)):.4f}}")
'''


SPEC = ModelSpec(
    key="logreg", label="Logistic regression", short_label="LogReg", sentence_name="logistic regression",
    unit="epoch", config=LogRegConfig, trainer=LogRegTrainer, side="simpler",
    libraries=(Library("sklearn.neural_network", "scikit-learn", "scikit-learn"),), repro=logreg_script,
)
