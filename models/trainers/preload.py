"""Loading the models' libraries ahead of the first race, so that race starts without an import pause.

TensorFlow's native library holds Python's GIL for 0.25–0.5 s while it loads, whichever thread loads
it: during a race that froze the window once. Loaded while the window sits idle, the pause happens
when nobody is watching a curve. Thread pools are sized here exactly as the first fair race would
size them; the backend is the one chosen (it cannot change after this, as after a first race).

The preload happens at most once per process, and never beside a race's Keras work: a race's MLP
waits (in its untimed setup) for a preload already under way, and a preload does nothing while any
race in the process uses Keras.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import threading
from collections.abc import Iterator
from types import ModuleType

from modelrace.models.trainers.keras_setup import forgetting_custom_gradients, import_keras

#: Set to 0 to keep the libraries unloaded until the first race (for measuring the cold import).
PRELOAD_ENV = "MODELRACE_PRELOAD"

_work = threading.Lock()  # held by the preload, and by a race's MLP while it registers itself
_count = threading.Lock()
_keras_users = 0
_loaded: str | None = None
_preloading = False  # True while preload_libraries imports and warms up
#: What each model loads at its first fit, by model key: (the module that shows it is loaded, the library's name).
_LIBRARIES = {"rf": ("sklearn.ensemble", "scikit-learn"), "xgb": ("xgboost", "XGBoost")}
_BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX"}


def preload_wanted() -> bool:
    """False when the preload is switched off with MODELRACE_PRELOAD=0, or already done in this process."""
    switched_on = os.environ.get(PRELOAD_ENV, "1").strip() not in ("0", "no", "false", "off")
    return switched_on and _loaded is None


def library_to_load(key: str) -> str | None:
    """The library model ``key`` will still have to load before its first step ('TensorFlow'), or None.

    The MLP's is its Keras backend (the one chosen for this process), also while an idle-time
    preload of it is under way (the MLP then waits for it); a module being imported by another
    thread already sits in ``sys.modules``, which is why the preload is asked about separately.
    """
    if key == "mlp":
        if _preloading or "keras" not in sys.modules:
            backend = os.environ.get("KERAS_BACKEND") or "tensorflow"
            return _BACKEND_NAMES.get(backend, backend)
        return None
    module, name = _LIBRARIES.get(key, ("", ""))
    return name if module and module not in sys.modules else None


def keras_in_use() -> bool:
    """True while any race in this process is fitting or predicting with Keras."""
    return _keras_users > 0


@contextlib.contextmanager
def using_keras() -> Iterator[None]:
    """A race's Keras work inside: it starts after any preload under way, and holds new ones off."""
    global _keras_users
    with _work, _count:
        _keras_users += 1
    try:
        yield
    finally:
        with _count:
            _keras_users -= 1


def _first_fit(keras: ModuleType) -> None:
    """One tiny fit: the backend's runtime, kernels and training-step tracing start here, not in the race.

    Measured on 2 cores: without it the first race still froze the window for about 300 ms when the
    MLP began, however early the libraries were imported. No ``clear_session`` afterwards: it resets
    Keras' global state, which a race in another thread may be using.
    """
    import numpy as np

    with forgetting_custom_gradients():
        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        rows = np.zeros((8, 4), dtype=np.float32)
        model.fit(rows, np.eye(3, dtype=np.float32)[np.arange(8) % 3], batch_size=4, epochs=1, verbose=0)
        model.predict(rows, verbose=0)


def preload_libraries(threads: int) -> str | None:
    """Import Keras (and its backend), XGBoost and scikit-learn's forests, then fit a tiny model once.

    Returns what was loaded, for the log, or None when a race in this process was already using
    Keras (the race has loaded the libraries itself). A second call returns the first one's answer.
    """
    global _loaded, _preloading
    with _work:
        if _loaded is not None or keras_in_use():
            return _loaded
        _preloading = True
        try:
            keras, in_force = import_keras(threads)
            for module in ("xgboost", "sklearn.ensemble"):
                importlib.import_module(module)
            _first_fit(keras)
        finally:
            _preloading = False
        # The libraries brought hundreds of thousands of objects that live as long as the process. Python's
        # next full collection would scan them all, holding the GIL ~300 ms (2 cores) in the first race;
        # collected once now, while idle, and frozen, no later collection scans them again.
        gc.collect()
        gc.freeze()
        threads_text = ", ".join(f"{name} {count}" for name, count in in_force.items())
        _loaded = f"Keras on {keras.backend.backend()} ({threads_text} threads), XGBoost, scikit-learn"
        return _loaded
