"""scikit-learn's RandomForest: its trainer (a live per-tree curve, see ``forest_growth``) and its spec."""

from __future__ import annotations

import queue
import threading
import time
import typing
from collections.abc import Callable, Mapping
from typing import Any

from modelrace.models.trainers.configs import ForestConfig
from modelrace.models.trainers.protocol import FitResult, FitStatus, Sink, Trainer
from modelrace.models.trainers.spec import Library, ModelSpec

if typing.TYPE_CHECKING:
    from modelrace.models.data.split import Split


class ForestTrainer(Trainer):
    """RandomForest with live per-tree validation points."""

    def planned_steps(self) -> int:
        """Trees to grow."""
        return self.config.n_estimators

    def fit(self, split: Split, sink: Sink) -> FitResult:
        """Grow the forest; each finished tree adds one validation point, reported from the calling thread."""
        from sklearn.ensemble import RandomForestClassifier

        from modelrace.models.trainers.forest_growth import (
            Grower, HookedThreadingBackend, Monitor, StopGrowing, forest_bytes,
        )

        config: ForestConfig = self.config
        forest = RandomForestClassifier(n_jobs=self.threads, random_state=self.seed, **config.sklearn_params())
        grown: list[Any] = []
        finished: queue.SimpleQueue = queue.SimpleQueue()
        lock = threading.Lock()
        abort = threading.Event()  # the monitoring failed: grow no more trees

        def before_tree() -> None:
            if abort.is_set() or (grown and sink.stop_requested()):  # keep at least one tree: a model to hand back
                raise StopGrowing

        def after_tree(trees: list[Any]) -> None:
            with lock:  # one lock for the time stamp and the queue keeps t increasing
                now = time.perf_counter()
                for tree in trees:
                    grown.append(tree)
                    finished.put((tree, now))

        grower = Grower(forest, split, HookedThreadingBackend(before_tree, after_tree), finished)
        monitor = Monitor(self, split, sink, config.n_estimators)
        grower.start()
        try:
            monitor.consume(finished, grower, abort)
        finally:
            grower.join()
        if monitor.error is not None:
            raise monitor.error
        status: FitStatus = "finished"
        if isinstance(grower.error, StopGrowing):
            status = "stopped"
            forest.estimators_ = list(grown)  # classes_ etc. were set before the trees were grown
            forest.n_estimators = len(grown)
        elif grower.error is not None:
            raise grower.error
        return FitResult(
            status=status,
            predict_proba=forest.predict_proba,
            train_seconds=grower.train_seconds,
            cpu_seconds=max(0.0, grower.cpu_seconds - monitor.cpu_seconds),
            monitor_seconds=monitor.cpu_seconds,  # it runs beside training: its CPU time is its cost
            setup_seconds=0.0,
            steps_done=len(forest.estimators_),
            model_bytes=forest_bytes(forest),
            threads={"n_jobs": self.threads},
            params=forest.get_params(),
            curve=monitor.curve,
            model=forest,
        )


def forest_script(config: Mapping[str, Any], jobs: int, entry: Mapping[str, Any], literal: Callable[[object], str]) -> str:
    """The reproduction script's RandomForest part."""
    max_depth = config.get("max_depth") or None
    max_features = None if config.get("max_features") == "all" else config.get("max_features")
    return f'''
# Model: RandomForest (the race's test accuracy: RF_RACE_ACCURACY).
RF_RACE_ACCURACY = {literal(entry.get("test_accuracy"))}
from sklearn.ensemble import RandomForestClassifier

forest = RandomForestClassifier(
    n_estimators={literal(config["n_estimators"])}, criterion={literal(config["criterion"])}, max_depth={literal(max_depth)},
    min_samples_split={literal(config["min_samples_split"])}, min_samples_leaf={literal(config["min_samples_leaf"])},
    max_features={literal(max_features)}, bootstrap={literal(config["bootstrap"])}, n_jobs={literal(jobs)}, random_state=SEED,
)
forest.fit(X_train, y_train)
print(f"RandomForest test accuracy: {{accuracy_score(y_test, forest.predict(X_test)):.4f}}")
'''


SPEC = ModelSpec(
    key="rf", label="RandomForest", short_label="RF", unit="tree", config=ForestConfig, trainer=ForestTrainer,
    side="simpler", libraries=(Library("sklearn.ensemble", "scikit-learn", "scikit-learn"),), repro=forest_script,
    color="#009E73",
)
