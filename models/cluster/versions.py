"""Refusing a cluster whose workers run other versions than this machine, before any cell runs.

A worker with another scikit-learn or XGBoost would race other models than the user thinks, and a
result that mixes versions cannot be trusted. Dask's own check only warns, so modelrace compares
the versions itself and names what differs in one line.
"""

from __future__ import annotations

from typing import Any

from modelrace.models.system.errors import UserError

#: Distributions that must match exactly (distribution names, as importlib.metadata knows them).
RACE_PACKAGES = ("modelrace", "numpy", "scikit-learn", "xgboost", "keras", "threadpoolctl")
#: Dask's own: the client pickles work for the workers and reads their answers.
DASK_PACKAGES = ("dask", "distributed", "cloudpickle", "msgpack")


class VersionMismatch(UserError):
    """Workers (or the scheduler) run other package versions than this machine."""


def packages_to_check(keras_backend: str | None) -> list[str]:
    """The distributions compared between here and every worker; the Keras backend's only when the MLP races."""
    names = list(RACE_PACKAGES) + list(DASK_PACKAGES)
    if keras_backend:
        names.append(keras_backend)
    return names


def mismatches(versions: dict[str, Any], packages: list[str]) -> list[str]:
    """Every difference between the client and each worker (and Dask's on the scheduler), as short phrases.

    ``versions`` is ``Client.get_versions(packages=…)``'s answer. A package missing on a worker
    counts as a difference; Python must match in its major and minor version.
    """
    here = versions["client"]["packages"]
    found = []
    for address, info in sorted(versions.get("workers", {}).items()):
        theirs = info.get("packages", {})
        wrong = [f"{name} {theirs.get(name) or 'missing'}, here {here.get(name) or 'missing'}"
                 for name in packages if theirs.get(name) != here.get(name)]
        if _python(theirs) != _python(here):
            wrong.append(f"python {_python(theirs)}, here {_python(here)}")
        if wrong:
            found.append(f"worker {address}: {'; '.join(wrong)}")
    scheduler = versions.get("scheduler", {}).get("packages", {})
    wrong = [f"{name} {scheduler.get(name) or 'missing'}, here {here.get(name) or 'missing'}"
             for name in ("dask", "distributed") if scheduler.get(name) != here.get(name)]
    if wrong:
        found.append(f"scheduler: {'; '.join(wrong)}")
    return found


def check_versions(client: Any, keras_backend: str | None) -> None:
    """Raise VersionMismatch, naming the packages, if any worker differs from this machine."""
    packages = packages_to_check(keras_backend)
    found = mismatches(client.get_versions(packages=packages), packages)
    if found:
        more = f" (and {len(found) - 1} more worker{'s' if len(found) > 2 else ''})" if len(found) > 1 else ""
        raise VersionMismatch(f"versions differ from this machine's, so the cells would not race the same models: "
                              f"{found[0]}{more}; install the same versions on every worker")


def _python(packages: dict[str, Any]) -> str:
    """Python's major.minor from get_versions' ``python`` entry ('3.11.7.final.0' → '3.11')."""
    return ".".join(str(packages.get("python") or "?").split(".")[:2])
