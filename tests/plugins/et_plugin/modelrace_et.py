"""scikit-learn's ExtraTrees as a modelrace model: a plugin registered by its package's entry point alone.

The module stays light (modelrace loads every spec at start-up): scikit-learn is imported inside
``fit``. The forest grows one tree per ``fit`` call (``warm_start``), which grows exactly the trees a
single ``fit`` would (scikit-learn draws each new tree's seed from the same stream), so the
reproduction script's plain ``fit`` gives the same forest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelrace.models.trainers.configs import check_settings, setting
from modelrace.models.trainers.protocol import FitResult, Sink, Step, Trainer, TrainClock, validation_scores
from modelrace.models.trainers.spec import Library, ModelSpec


@dataclass(frozen=True)
class ExtraTreesConfig:
    """ExtraTrees settings; the defaults are small enough for a test race."""

    n_estimators: int = setting(40, "Trees", "Number of extremely randomised trees.", minimum=1, maximum=5000)
    max_features: str = setting("sqrt", "Features per split", "Features tried at each random split.",
                                choices=("sqrt", "log2"), advanced=True)

    def __post_init__(self) -> None:
        check_settings(self)


class ExtraTreesTrainer(Trainer):
    """ExtraTrees grown tree by tree, a validation point after each tree."""

    def planned_steps(self) -> int:
        """Trees to grow."""
        return self.config.n_estimators

    def fit(self, split: Any, sink: Sink) -> FitResult:
        """Grow one tree per step; the running mean of the trees' probabilities draws the curve."""
        from sklearn.ensemble import ExtraTreesClassifier

        config: ExtraTreesConfig = self.config
        forest = ExtraTreesClassifier(n_estimators=0, max_features=config.max_features, warm_start=True,
                                      n_jobs=self.threads, random_state=self.seed)
        proba_sum = np.zeros((len(split.y_monitor), split.n_classes))
        curve: list[Step] = []
        clock = TrainClock()
        status = "finished"
        for grown in range(1, config.n_estimators + 1):
            if grown > 1 and sink.stop_requested():  # keep at least one tree: a model to hand back
                status = "stopped"
                break
            forest.set_params(n_estimators=grown)
            forest.fit(split.X_train, split.y_train)
            trained = clock.train_seconds()
            with clock.monitoring():
                proba_sum += forest.estimators_[-1].predict_proba(split.X_monitor)
                accuracy, loss = validation_scores(proba_sum / grown, split.y_monitor)
                step = Step(self.key, grown, self.unit, config.n_estimators, trained, clock.wall(), accuracy, loss)
                curve.append(step)
                sink.put(step)
        return FitResult(
            status=status, predict_proba=forest.predict_proba, train_seconds=clock.train_seconds(),
            cpu_seconds=clock.cpu_seconds(), monitor_seconds=clock.monitor_wall, setup_seconds=0.0,
            steps_done=len(forest.estimators_), model_bytes=sum(t.tree_.node_count for t in forest.estimators_) * 64,
            threads={"n_jobs": self.threads}, params=forest.get_params(), curve=curve, model=forest,
        )


def et_script(config: dict[str, Any], jobs: int, entry: dict[str, Any], literal: Callable[[object], str]) -> str:
    """The reproduction script's ExtraTrees part (every value through ``literal``)."""
    return f'''
# Model: ExtraTrees (the race's test accuracy: ET_RACE_ACCURACY).
ET_RACE_ACCURACY = {literal(entry.get("test_accuracy"))}
from sklearn.ensemble import ExtraTreesClassifier

extra = ExtraTreesClassifier(n_estimators={literal(config["n_estimators"])},
                             max_features={literal(config["max_features"])}, n_jobs={literal(jobs)}, random_state=SEED)
extra.fit(X_train, y_train)
print(f"ExtraTrees test accuracy: {{accuracy_score(y_test, extra.predict(X_test)):.4f}}")
'''


SPEC = ModelSpec(
    key="et", label="ExtraTrees", short_label="ET", unit="tree", config=ExtraTreesConfig, trainer=ExtraTreesTrainer,
    side="simpler", libraries=(Library("sklearn.ensemble", "scikit-learn", "scikit-learn"),), repro=et_script,
)
