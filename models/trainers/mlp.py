"""The tutorial's Keras MLP, built from its configuration, reporting every epoch.

The ``tutorial`` preset reproduces the seed exactly: Dense(64, relu), Dropout(0.5), Dense(32, relu),
Dropout(0.5), Dense(classes, softmax); Adam with learning rate 0.001 and the Keras 1/2 ``decay=1e-5``
(``InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`` is the same formula); categorical
cross-entropy; batch 32; 20 epochs.
"""

from __future__ import annotations

import time
import typing
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from modelrace.models.trainers.devices import keras_device
from modelrace.models.trainers.keras_setup import forgetting_custom_gradients, import_keras
from modelrace.models.trainers.preload import using_keras
from modelrace.models.trainers.configs import MLPConfig
from modelrace.models.trainers.protocol import FitResult, Sink, Step, TrainClock, Trainer, validation_scores
from modelrace.models.trainers.spec import Library, ModelSpec

if typing.TYPE_CHECKING:
    from modelrace.models.data.split import Split

_PREDICT_BATCH = 8192


def build_model(keras: Any, config: MLPConfig, n_features: int, n_classes: int) -> Any:
    """Build and compile the MLP described by ``config``."""
    regularizer = (lambda: keras.regularizers.L2(config.l2)) if config.l2 > 0 else (lambda: None)
    layers: list[Any] = [keras.Input(shape=(n_features,))]
    for units in config.hidden:
        layers.append(
            keras.layers.Dense(
                units,
                activation=config.activation,
                kernel_regularizer=regularizer(),
                bias_regularizer=regularizer(),
            )
        )
        if config.dropout > 0:
            layers.append(keras.layers.Dropout(config.dropout))
    layers.append(keras.layers.Dense(n_classes, activation="softmax"))
    model = keras.Sequential(layers, name="tutorial_mlp")
    model.compile(optimizer=build_optimizer(keras, config), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def build_optimizer(keras: Any, config: MLPConfig) -> Any:
    """The optimizer, with Keras 1/2's ``decay`` expressed as an InverseTimeDecay schedule."""
    rate: Any = config.learning_rate
    if config.decay > 0:
        rate = keras.optimizers.schedules.InverseTimeDecay(config.learning_rate, decay_steps=1, decay_rate=config.decay)
    if config.optimizer == "adam":
        return keras.optimizers.Adam(learning_rate=rate)
    if config.optimizer == "adamw":
        return keras.optimizers.AdamW(learning_rate=rate)
    if config.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=rate)
    return keras.optimizers.SGD(learning_rate=rate, momentum=config.momentum)


class MLPTrainer(Trainer):
    """The Keras MLP with a per-epoch reporting callback that can stop between batches."""

    def planned_steps(self) -> int:
        """Epochs to run."""
        return self.config.epochs

    def fit(self, split: Split, sink: Sink) -> FitResult:
        """Train the MLP on the chosen device; every epoch end reports a validation point (timed as monitoring)."""
        import_start = time.perf_counter()
        with using_keras():  # waits, untimed as training, for an idle-time preload already under way
            keras, threads = import_keras(self.threads)
            import_seconds = time.perf_counter() - import_start
            with keras_device(self.device) as placed:
                result = self._fit(keras, threads, split, sink)
        result.params["device"] = placed
        result.setup_seconds += import_seconds
        fit_predict = result.predict_proba

        def predict_proba(X: np.ndarray) -> np.ndarray:
            with using_keras(), keras_device(self.device):
                return fit_predict(X)

        result.predict_proba = predict_proba
        return result

    def _fit(self, keras: Any, threads: dict[str, int], split: Split, sink: Sink) -> FitResult:
        setup_start = time.perf_counter()
        config: MLPConfig = self.config
        keras.utils.set_random_seed(self.seed)
        model = build_model(keras, config, split.X_train.shape[1], split.n_classes)
        targets = np.eye(split.n_classes, dtype=np.float32)[split.y_train]
        batches_per_epoch = int(np.ceil(len(split.y_train) / config.batch_size))
        X_monitor, y_monitor = split.X_monitor, split.y_monitor
        setup_seconds = time.perf_counter() - setup_start
        trainer = self

        class Reporter(keras.callbacks.Callback):
            # Checks for a stop before every batch. on_train_batch_begin (not _end) keeps Keras'
            # asynchronous batch dispatch, so the check costs no device sync.
            def __init__(self) -> None:
                super().__init__()
                self.curve: list[Step] = []
                self.batches = 0
                self.epochs_done = 0.0
                self.stopped = False

            def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
                self.batches = 0

            def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
                self.batches += 1
                if not self.stopped and sink.stop_requested():
                    self.stopped = True
                    self.model.stop_training = True

            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                done = epoch + min(1.0, self.batches / batches_per_epoch)
                self.epochs_done = done
                trained = clock.train_seconds()  # read before the monitoring span opens
                with clock.monitoring():
                    proba = self.model.predict_on_batch(X_monitor) if len(y_monitor) <= _PREDICT_BATCH else \
                        self.model.predict(X_monitor, batch_size=_PREDICT_BATCH, verbose=0)
                    accuracy, loss = validation_scores(np.asarray(proba), y_monitor)
                    step = Step(
                        trainer.key, round(done, 4), trainer.unit, config.epochs,
                        trained, clock.wall(), accuracy, loss,
                    )
                    self.curve.append(step)
                    sink.put(step)

        reporter = Reporter()
        clock = TrainClock()
        with forgetting_custom_gradients():
            model.fit(
                split.X_train, targets, batch_size=config.batch_size, epochs=config.epochs,
                shuffle=True, verbose=0, callbacks=[reporter],
            )
        train_seconds, cpu_seconds = clock.train_seconds(), clock.cpu_seconds()
        stopped = reporter.stopped and reporter.epochs_done < config.epochs

        def predict_proba(X: np.ndarray) -> np.ndarray:
            return np.asarray(model.predict(X, batch_size=_PREDICT_BATCH, verbose=0))

        return FitResult(
            status="stopped" if stopped else "finished",
            predict_proba=predict_proba,
            train_seconds=train_seconds,
            cpu_seconds=cpu_seconds,
            monitor_seconds=clock.monitor_wall,
            setup_seconds=setup_seconds,
            steps_done=reporter.epochs_done,
            model_bytes=int(model.count_params()) * 4,
            threads=threads,
            params={**_as_plain(config), "loss": "categorical_crossentropy", "backend": keras.backend.backend()},
            curve=reporter.curve,
            model=model,
        )


def _as_plain(config: MLPConfig) -> dict[str, Any]:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in vars(config).items()}


def mlp_script(config: Mapping[str, Any], jobs: int, entry: Mapping[str, Any], literal: Callable[[object], str]) -> str:
    """The reproduction script's Keras MLP part (``jobs`` is unused: Keras sizes its own thread pools)."""
    regularizer = f"keras.regularizers.L2({literal(config['l2'])})" if config.get("l2") else "None"
    layers = "\n".join(
        f"    keras.layers.Dense({literal(units)}, activation={literal(config['activation'])}, "
        f"kernel_regularizer={regularizer}, bias_regularizer={regularizer}),"
        + (f"\n    keras.layers.Dropout({literal(config['dropout'])})," if config.get("dropout") else "")
        for units in config["hidden"]
    )
    optimizers = {"adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "sgd": "SGD"}
    if config["optimizer"] not in optimizers:
        raise ValueError(f"the MLP's optimizer {config['optimizer']!r} is not one modelrace knows; the file is damaged")
    extra = f", momentum={literal(config['momentum'])}" if config["optimizer"] == "sgd" else ""
    rate = (f"keras.optimizers.schedules.InverseTimeDecay({literal(config['learning_rate'])}, decay_steps=1, "
            f"decay_rate={literal(config['decay'])})" if config.get("decay") else literal(config["learning_rate"]))
    return f'''
# Model: the Keras MLP (the race's test accuracy: MLP_RACE_ACCURACY). Keras 1/2's Adam(lr, decay=d) is
# Adam(learning_rate=InverseTimeDecay(lr, decay_steps=1, decay_rate=d)) in Keras 3.
MLP_RACE_ACCURACY = {literal(entry.get("test_accuracy"))}
import keras

keras.utils.set_random_seed(SEED)
model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
{layers}
    keras.layers.Dense(len(classes), activation="softmax"),
])
optimizer = keras.optimizers.{optimizers[config["optimizer"]]}(learning_rate={rate}{extra})
model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, np.eye(len(classes), dtype=np.float32)[y_train], batch_size={literal(config["batch_size"])},
          epochs={literal(config["epochs"])}, shuffle=True, validation_data=(X_val, np.eye(len(classes), dtype=np.float32)[y_val]),
          verbose=2)
predicted = model.predict(X_test, verbose=0).argmax(axis=1)
print(f"Keras MLP test accuracy: {{accuracy_score(y_test, predicted):.4f}}")
'''


SPEC = ModelSpec(
    key="mlp", label="Keras MLP", short_label="MLP", sentence_name="the MLP", unit="epoch", config=MLPConfig,
    trainer=MLPTrainer, side="neural", libraries=(Library("keras", "keras", "Keras"),), repro=mlp_script,
    color="#D55E00", gpu=True,
)
