"""Imports Keras lazily, with the backend and thread counts fixed before its first use."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import re
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from types import ModuleType

from modelrace.models.system.errors import ConfigError

BACKENDS = ("tensorflow", "jax")
_lock = threading.Lock()
_threads_applied: dict[str, int] | None = None
# absl's info/warning lines that TensorFlow's native code prints while it loads (oneDNN, CUDA probes).
_NATIVE_NOISE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\)|[IW]\d{4} )")


def choose_backend(backend: str | None) -> str:
    """Select the Keras backend for this process (before Keras loads); return the one that will be used.

    TensorFlow is the default, as in the tutorial. Once Keras is loaded its backend cannot change in
    the same process; asking for another one then raises ConfigError (the window applies a new
    choice at its next start).
    """
    wanted = backend or os.environ.get("KERAS_BACKEND") or "tensorflow"
    if wanted not in BACKENDS:
        raise ConfigError(f"unknown Keras backend '{wanted}'; choose {' or '.join(BACKENDS)}")
    module = "jax" if wanted == "jax" else "tensorflow"
    if importlib.util.find_spec(module) is None:
        extra = "'modelrace[jax]'" if wanted == "jax" else "tensorflow"
        raise ConfigError(f"the {wanted} backend is not installed; install it with: pip install {extra}")
    loaded = sys.modules.get("keras")
    if loaded is not None:
        current = loaded.backend.backend()
        if current != wanted:
            raise ConfigError(f"Keras already runs on {current} in this process; {wanted} applies at the next start")
        return current
    os.environ["KERAS_BACKEND"] = wanted
    return wanted


def import_keras(threads: int) -> tuple[ModuleType, dict[str, int]]:
    """Import keras (TensorFlow backend unless KERAS_BACKEND says otherwise) with ``threads`` CPU threads.

    Thread pools can only be sized before the backend starts; a later call with another count
    keeps the first one, and the returned dict always says which counts are really in force.
    """
    global _threads_applied
    with _lock:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide CUDA-probe chatter on CPU-only machines
        backend = os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        if _threads_applied is None and "keras" not in sys.modules:
            if backend == "tensorflow":
                # TensorFlow pulls in urllib3's optional SOCKS module, which warns that PySocks is absent.
                warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
                with _quiet_native_stderr():
                    import tensorflow as tf
                # Each race builds a new model, so tf.function "retracing" warnings are expected noise.
                logging.getLogger("tensorflow").setLevel(logging.ERROR)
                try:
                    tf.config.threading.set_intra_op_parallelism_threads(threads)
                    tf.config.threading.set_inter_op_parallelism_threads(min(2, threads))
                except RuntimeError:
                    pass  # TensorFlow already started in this process; report what it uses below
            elif backend == "jax" and "jax" not in sys.modules:
                # XLA reads its CPU thread settings once, when JAX starts.
                os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                                           f" --xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={threads}").strip()
        import keras

        _threads_applied = _threads_in_force(keras, threads)
        return keras, dict(_threads_applied)


def _threads_in_force(keras: ModuleType, requested: int) -> dict[str, int]:
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return {
            "intra_op": tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count() or 1,
            "inter_op": tf.config.threading.get_inter_op_parallelism_threads() or os.cpu_count() or 1,
        }
    match = re.search(r"intra_op_parallelism_threads=(\d+)", os.environ.get("XLA_FLAGS", ""))
    return {"xla_intra_op": int(match.group(1)) if match else requested}


@contextlib.contextmanager
def forgetting_custom_gradients() -> Iterator[None]:
    """Training inside: afterwards, TensorFlow forgets the custom gradients that training registered.

    Each ``model.fit`` traces a training step in which ``tf.distribute``'s ``all_reduce`` registers
    a custom gradient in TensorFlow's global gradient registry, never removed; its closure holds the
    whole traced graph. A window racing all day would keep every race's graph (measured: about 9 MB
    a race, without end). Once ``fit`` has returned, nothing differentiates through that graph again.
    """
    registry = _tensorflow_gradient_registry()
    before = set(registry) if registry is not None else set()
    try:
        yield
    finally:
        if registry is not None:
            with _lock:
                for name in [n for n in registry if n.startswith("CustomGradient-") and n not in before]:
                    registry.pop(name, None)


def _tensorflow_gradient_registry() -> dict | None:
    """TensorFlow's registry of gradient functions, when Keras runs on TensorFlow (None otherwise)."""
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow" or "tensorflow" not in sys.modules:
        return None
    try:
        from tensorflow.python.framework import ops  # the registry has no public API
    except ImportError:
        return None
    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, dict) else None


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Capture file descriptor 2 while native code loads; re-emit all but absl's info chatter."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = [
                line for line in capture.read().decode("utf-8", "replace").splitlines()
                if line.strip() and not _NATIVE_NOISE.match(line)
            ]
            if kept:
                print("\n".join(kept), file=sys.stderr)
