"""What machine and which library versions a race ran with."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterable
from importlib import metadata

#: The distributions every race uses, whatever its models: modelrace, its data handling, the split and the
#: scores. The models' own (their specs' libraries) are given by the caller, which knows the models:
#: ``models.trainers.libraries.recorded_packages``.
PACKAGES = ("modelrace", "numpy", "pandas", "scikit-learn")


def cpu_count() -> int:
    """CPU cores this process may use (respects affinity masks and containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def cpu_model() -> str:
    """The processor's model name, as the OS reports it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version_of(distribution: str) -> str | None:
    """The installed version of a distribution, or None if it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def versions(packages: Iterable[str] = ()) -> dict[str, str | None]:
    """Installed versions (None if absent) of PACKAGES and of ``packages``, the models' (each once, in order)."""
    return {name: version_of(name) for name in dict.fromkeys([*PACKAGES, *packages])}


def keras_backend() -> str:
    """The Keras backend in use, if Keras is loaded, else the one it would load."""
    keras = sys.modules.get("keras")
    if keras is not None:
        try:
            return keras.backend.backend()
        except AttributeError:
            pass
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def describe(threads: dict[str, dict], mode: str, device: str = "cpu", packages: Iterable[str] = ()) -> dict:
    """Return the ``environment`` block of a result file; ``packages``: the raced models' distributions."""
    from modelrace.models.system.gpus import detect_gpus

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": cpu_count(),
        "mode": mode,
        "threads": threads,
        "keras_backend": keras_backend(),
        "device": device,
        "gpus": list(detect_gpus()),
        "versions": versions(packages),
    }
