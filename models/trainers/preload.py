"""Loading the models' libraries ahead of the first race, so that race starts without an import pause.

TensorFlow's native library holds Python's GIL for 0.25–0.5 s while it loads, whichever thread loads
it: during a race that froze the window once. Loaded while the window sits idle, the pause happens
when nobody is watching a curve. Thread pools are sized here exactly as the first fair race would
size them; the backend is the one chosen (it cannot change after this, as after a first race).

Which libraries: those of the models the next race will use (their specs' ``libraries``; by
default the tutorial's three), never one no model needs. A library whose module is ``keras`` means
Keras and its backend (``libraries.KERAS``), warmed up with one tiny fit.

The preload happens at most once per process, and never beside a race's Keras work: a race's Keras
model waits (in its untimed setup) for a preload already under way, and a preload does nothing while
any race in the process uses Keras.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from types import ModuleType

from modelrace.models.trainers import libraries
from modelrace.models.trainers.keras_setup import forgetting_custom_gradients, import_keras

#: Set to 0 to keep the libraries unloaded until the first race (for measuring the cold import).
PRELOAD_ENV = "MODELRACE_PRELOAD"

_work = threading.Lock()  # held by the preload, and by a race's Keras model while it registers itself
_count = threading.Lock()
_keras_users = 0
_loaded: str | None = None
_preloading = False  # True while preload_libraries imports and warms up
_importing: set[str] = set()  # the modules (other than Keras) the preload has still to import
_BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX"}


def preload_wanted() -> bool:
    """False when the preload is switched off with MODELRACE_PRELOAD=0, or already done in this process."""
    switched_on = os.environ.get(PRELOAD_ENV, "1").strip() not in ("0", "no", "false", "off")
    return switched_on and _loaded is None


def library_to_load(key: str) -> str | None:
    """The libraries model ``key`` will still have to load before its first step ('TensorFlow'), or None.

    Keras' is its backend (the one chosen for this process), also while an idle-time preload is
    under way (a Keras model then waits for it); a module being imported by another thread already
    sits in ``sys.modules``, which is why the preload's imports are asked about separately.
    """
    names = []
    for library in libraries.libraries([key]):
        if library.module == libraries.KERAS:
            if _preloading or libraries.KERAS not in sys.modules:
                backend = os.environ.get("KERAS_BACKEND") or "tensorflow"
                names.append(_BACKEND_NAMES.get(backend, backend))
        elif library.module in _importing or library.module not in sys.modules:
            names.append(library.name)
    return libraries.in_words(names) or None


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


def preload_libraries(threads: int, models: Iterable[str] | None = None) -> str | None:
    """Import the libraries of ``models`` (by default the tutorial's three); with Keras, fit a tiny model once.

    Returns what was loaded, for the log, or None when a race in this process was already using
    Keras (the race has loaded the libraries itself). A second call returns the first one's answer.
    """
    global _loaded, _preloading
    from modelrace.models.trainers.registry import DEFAULT_MODELS

    needed = libraries.libraries(DEFAULT_MODELS if models is None else models)
    with _work:
        if _loaded is not None or keras_in_use():
            return _loaded
        _preloading = True
        others = [library for library in needed if library.module != libraries.KERAS]
        _importing.update(library.module for library in others)
        loaded = []
        keras: ModuleType | None = None
        try:
            if len(others) < len(needed):
                keras, in_force = import_keras(threads)
                threads_text = ", ".join(f"{name} {count}" for name, count in in_force.items())
                loaded.append(f"Keras on {keras.backend.backend()} ({threads_text} threads)")
            for library in others:
                importlib.import_module(library.module)
                _importing.discard(library.module)
                loaded.append(library.name)
            if keras is not None:
                _first_fit(keras)
        finally:
            _preloading = False
            _importing.clear()
        # The libraries brought hundreds of thousands of objects that live as long as the process. Python's
        # next full collection would scan them all, holding the GIL ~300 ms (2 cores) in the first race;
        # collected once now, while idle, and frozen, no later collection scans them again.
        gc.collect()
        gc.freeze()
        _loaded = ", ".join(loaded) or "nothing (the models need no library)"
        return _loaded
