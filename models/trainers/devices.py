"""Finding an NVIDIA GPU and putting the models that can use one on it when the user asks.

Which models can is each spec's ``gpu`` (read from the registry, never a list here). The CPU stays
the default: a GPU is not always faster. The tutorial's MLP (batch 32, ~20k weights) spends its
time launching tiny kernels, and on a datacenter GPU it trained slower than on the CPU. Big batches
and deep boosting gain; small models often lose.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from modelrace.models.system.errors import ConfigError, words
from modelrace.models.system.gpus import detect_gpus

DEVICES = ("cpu", "gpu")


def gpu_models(keys: Iterable[str] | None = None) -> list[str]:
    """The keys (of ``keys``, or of every registered model) whose spec says it can train on a GPU."""
    from modelrace.models.trainers import registry  # at call time: the models' own modules import this one

    found = registry.specs()
    return [key for key in (found if keys is None else keys) if key in found and found[key].gpu]


def gpu_advice(keys: Iterable[str] | None = None) -> str:
    """Shown beside the GPU choice in the window and in ``--help``: which models use the GPU, and when it pays."""
    from modelrace.models.trainers import registry
    from modelrace.models.trainers.libraries import in_words

    every = list(registry.specs() if keys is None else keys)
    on_gpu = gpu_models(every)
    if not on_gpu:
        return "No model here can train on a GPU: every one uses the CPU."
    cpu_only = [key for key in every if key not in on_gpu]
    text = (f"Train {in_words(registry.sentence_name(key) for key in on_gpu)} on the GPU. Not always faster: a "
            "small network in small batches (the tutorial's: batch 32, tiny layers) ran slower on a datacenter GPU "
            "than on its CPU, because each batch costs a kernel launch. Large batches, wide layers and deep "
            "boosting gain most.")
    if cpu_only:
        names = in_words(registry.sentence_name(key, start=index == 0) for index, key in enumerate(cpu_only))
        text += f" {names} always use{'s' if len(cpu_only) == 1 else ''} the CPU."
    return text


def __getattr__(name: str) -> str:
    """``GPU_ADVICE``: :func:`gpu_advice` for every registered model (worked out when asked for: the registry
    is still loading the models when their modules import this one)."""
    if name == "GPU_ADVICE":
        return gpu_advice()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_device(device: str) -> str:
    """Return ``device`` if this machine can use it, else raise ConfigError saying what to do."""
    if device not in DEVICES:
        raise ConfigError(f"unknown device '{device}'; choose {' or '.join(DEVICES)}")
    if device == "gpu" and not detect_gpus():
        raise ConfigError(f"no NVIDIA GPU was found (nvidia-smi lists none); {words('device-cpu')}, "
                          "or install the NVIDIA driver")
    return device


def xgboost_device(device: str) -> str:
    """XGBoost's ``device`` parameter for our choice; raise ConfigError if this XGBoost build lacks CUDA."""
    if device != "gpu":
        return "cpu"
    import xgboost as xgb

    if not xgb.build_info().get("USE_CUDA"):
        raise ConfigError("this XGBoost build has no CUDA support; install the PyPI wheel (pip install -U xgboost) "
                          "or race on the CPU")
    return "cuda"


@contextlib.contextmanager
def keras_device(device: str) -> Iterator[str]:
    """Place Keras work on the chosen device for the duration; yields the device's name for the record.

    TensorFlow and JAX would both take a visible GPU by default, so the CPU is pinned explicitly
    when the CPU was chosen: the race runs where the user asked, not where the library guessed.
    """
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        if device == "gpu":
            gpus = tf.config.list_logical_devices("GPU")
            if not gpus:
                raise ConfigError(_no_backend_gpu("TensorFlow", "pip install 'tensorflow[and-cuda]'"))
            with tf.device(gpus[0].name):
                yield f"GPU ({gpus[0].name})"
        else:
            with tf.device("/CPU:0"):
                yield "CPU"
        return
    if backend == "jax":
        import jax

        if device == "gpu":
            try:
                target = jax.devices("gpu")[0]
            except RuntimeError:
                raise ConfigError(_no_backend_gpu("JAX", "pip install -U 'jax[cuda12]'")) from None
        else:
            target = jax.devices("cpu")[0]
        with jax.default_device(target):
            yield f"{'GPU' if device == 'gpu' else 'CPU'} ({target.device_kind})"
        return
    yield "CPU"


def _no_backend_gpu(library: str, fix: str) -> str:
    return (f"a GPU is present but {library} cannot use it (it was installed without CUDA support); "
            f"install the CUDA build ({fix}) or race on the CPU")
