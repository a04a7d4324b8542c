"""Refusing a cluster whose workers run other versions than this machine, before any cell runs.

A worker with another version of a model's library (scikit-learn, XGBoost, a plugin's) would race
other models than the user thinks, and a result that mixes versions cannot be trusted. Dask's own
check only warns, so modelrace compares the versions itself and names what differs in one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from modelrace.models.system.errors import UserError
from modelrace.models.trainers.libraries import distributions

#: Distributions every cell uses whatever it races: modelrace, the split, scaling and scores (numpy,
#: scikit-learn) and the thread caps. The raced models' own come from their specs (race_packages).
BASE_PACKAGES = ("modelrace", "numpy", "scikit-learn", "threadpoolctl")
#: Dask's own: the client pickles work for the workers and reads their answers.
DASK_PACKAGES = ("dask", "distributed", "cloudpickle", "msgpack")


class VersionMismatch(UserError):
    """Workers (or the scheduler) run other package versions than this machine."""


def race_packages(models: Iterable[str] | None, keras_backend: str | None) -> list[str]:
    """The distributions a cell races with: the base ones and the models' (all registered when None).

    The models' are their specs' libraries (the Keras backend after Keras, when one is given) and
    the packages that register them (a plugin's own).
    """
    backends = (keras_backend,) if keras_backend else ()
    return list(dict.fromkeys([*BASE_PACKAGES, *distributions(models, backends=backends)]))


def packages_to_check(keras_backend: str | None, models: Iterable[str] | None = None) -> list[str]:
    """The distributions compared between here and every worker: the race's (race_packages), then Dask's."""
    return race_packages(models, keras_backend) + list(DASK_PACKAGES)


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


def check_versions(client: Any, keras_backend: str | None, models: Iterable[str] | None = None) -> None:
    """Raise VersionMismatch, naming the packages, if any worker differs from this machine for ``models``."""
    packages = packages_to_check(keras_backend, models)
    found = mismatches(client.get_versions(packages=packages), packages)
    if found:
        more = f" (and {len(found) - 1} more worker{'s' if len(found) > 2 else ''})" if len(found) > 1 else ""
        raise VersionMismatch(f"versions differ from this machine's, so the cells would not race the same models: "
                              f"{found[0]}{more}; install the same versions on every worker")


def _python(packages: dict[str, Any]) -> str:
    """Python's major.minor from get_versions' ``python`` entry ('3.11.7.final.0' → '3.11')."""
    return ".".join(str(packages.get("python") or "?").split(".")[:2])
