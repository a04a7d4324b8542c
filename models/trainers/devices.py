"""Finding an NVIDIA GPU and putting the MLP and XGBoost on it when the user asks.

The CPU stays the default: a GPU is not always faster. The tutorial's MLP (batch 32, ~20k
weights) spends its time launching tiny kernels, and on a datacenter GPU it trained slower than
on the CPU. Big batches and deep boosting gain; small models often lose.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from modelrace.models.system.errors import ConfigError, words
from modelrace.models.system.gpus import detect_gpus

DEVICES = ("cpu", "gpu")
#: Shown beside the GPU choice in the window and in ``--help``.
GPU_ADVICE = (
    "Train the Keras MLP and XGBoost on the GPU. Not always faster: the tutorial's MLP (batch 32, tiny "
    "layers) ran slower on a datacenter GPU than on its CPU, because each small batch costs a kernel "
    "launch. Large batches, wide layers and deep boosting gain most. RandomForest always uses the CPU."
)
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
