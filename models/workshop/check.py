"""``modelrace workshop check``: the pre-class self-test of a machine, one PASS or FAIL line per check.

In turn: the packages import (modelrace's own and every registered model's libraries, read from
the specs), Keras loads on its backend (when a model uses Keras), the data is cached and matches its
checksum (the kit's, when a kit is named), a window opens, and a short race of every registered model
completes. Each failure comes with its fix. Opening a window is a front end's business: the caller
passes that check in (the terminal starts ``modelrace gui`` in a new process; the window is open).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from modelrace.models.data import bundled
from modelrace.models.data.cache import cached_names, load_cached
from modelrace.models.data.dataset import COVTYPE_NAME, KIT_SUFFIX, content_hash
from modelrace.models.data.opening import open_dataset
from modelrace.models.race.engine import run
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.environment import cpu_count, version_of
from modelrace.models.system.errors import UserError
from modelrace.models.trainers import registry
from modelrace.models.trainers.keras_setup import choose_backend, import_keras
from modelrace.models.trainers.libraries import KERAS, libraries, uses_keras
from modelrace.models.workshop.kit import DATA, WHEELHOUSE, read_manifest


@dataclass
class CheckResult:
    """One line of ``modelrace workshop check``."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    subject: str | None = None  # what was checked (the data check names the dataset the mini race uses)

    def line(self) -> str:
        """``PASS name: detail`` or ``FAIL name: detail`` and the fix."""
        text = f"{'PASS' if self.ok else 'FAIL'}  {self.name}: {self.detail}"
        return text + (f"\n      fix: {self.fix}" if not self.ok and self.fix else "")


#: What modelrace itself imports, whatever the models: (module, distribution). The models' own are in their specs.
PACKAGES = (("numpy", "numpy"), ("pandas", "pandas"), ("sklearn", "scikit-learn"), ("scipy", "scipy"),
            ("matplotlib", "matplotlib"), ("jsonschema", "jsonschema"),
            ("platformdirs", "platformdirs"), ("PySide6.QtWidgets", "PySide6-Essentials"), ("pyqtgraph", "pyqtgraph"),
            ("superqt", "superqt"), ("threadpoolctl", "threadpoolctl"))
#: Installed but not imported here: only a race grid loads them (models.cluster).
GRID_PACKAGES = (("dask", "dask"), ("distributed", "distributed"))


def run_checks(kit: Path | None = None, window: Callable[[], CheckResult] | None = None) -> Iterator[CheckResult]:
    """The pre-class self-test, one result at a time: packages, Keras backend, data, window, a mini race.

    ``window`` is the front end's check that a window opens (None skips it: over ssh, or from the
    window's own Help menu, where it is open).
    """
    manifest = read_manifest(kit) if kit else {}
    install = (f"install from the kit: pip install --no-index --find-links {Path(kit) / WHEELHOUSE} modelrace"
               if kit else "reinstall: pip install modelrace (or from the workshop kit's wheelhouse)")
    yield check_packages(install)
    if uses_keras():
        yield check_backend(install)
    data = check_data(kit, manifest)
    yield data
    if window is not None:
        yield window()
    yield check_mini_race(data.subject if data.ok else None)


def packages() -> list[tuple[str, str]]:
    """(module, distribution) of every package to import: modelrace's own, then each registered model's libraries.

    Keras is left to :func:`check_backend` (it loads, quietly, with its backend).
    """
    models = [(library.module, library.distribution) for library in libraries() if library.module != KERAS]
    return list(dict.fromkeys([*PACKAGES, *models]))


def check_packages(install: str) -> CheckResult:
    """Every package modelrace and its models need imports, and every installed model plugin loaded."""
    import importlib
    import importlib.util

    modules = packages()
    failed = list(registry.problems())  # a plugin left out would be missing from the class's races
    for module, package in modules:
        try:
            importlib.import_module(module)
        except Exception as exc:  # noqa: BLE001 - a broken install can raise anything at import
            failed.append(f"{package} ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
    failed += [f"{package} (not installed)" for module, package in GRID_PACKAGES
               if importlib.util.find_spec(module) is None]
    try:
        choose_backend(None)
    except UserError as exc:
        failed.append(str(exc))
    if failed:
        return CheckResult("packages", False, "cannot import " + "; ".join(failed), install)
    distributions = dict.fromkeys(package for _, package in [*modules, *GRID_PACKAGES])
    # numpy, scikit-learn (the split and the scores), then every model's own libraries
    shown = dict.fromkeys(["numpy", "scikit-learn", *(library.distribution for library in libraries()
                                                      if library.module != KERAS)])
    named = ", ".join(f"{package} {version_of(package)}" for package in shown)
    return CheckResult("packages", True, f"{len(distributions)} packages import ({named}, "
                       f"PySide6 {version_of('PySide6-Essentials')})")


def check_backend(install: str) -> CheckResult:
    """Keras loads on its backend and computes."""
    try:
        keras, _ = import_keras(cpu_count())
        value = float(keras.ops.convert_to_numpy(keras.ops.sum(keras.ops.ones((4, 4)))))
        if value != 16.0:
            raise RuntimeError(f"1+1... gave {value}")
    except Exception as exc:  # noqa: BLE001
        return CheckResult("keras backend", False, f"{type(exc).__name__}: {exc}",
                           f"{install}; or switch backend with --keras-backend (tensorflow or jax)")
    backend = keras.backend.backend()
    library = "tensorflow" if backend == "tensorflow" else backend
    return CheckResult("keras backend", True, f"Keras {keras.__version__} on {backend} {version_of(library) or ''}".strip())


def check_data(kit: Path | None, manifest: dict) -> CheckResult:
    """The kit's datasets (or Covertype, or any cached dataset, or the bundled sample) are there and match their checksums."""
    wanted = [entry["name"] for entry in manifest.get("datasets", [])]
    sums = {entry["name"]: entry["sha256_rows"] for entry in manifest.get("datasets", [])}
    if not wanted:
        cached = cached_names()
        wanted = [COVTYPE_NAME] if COVTYPE_NAME in cached else cached[:1]
    if not wanted:  # nothing imported: the rows that ship with modelrace
        try:
            sample = bundled.load()
        except UserError as exc:
            return CheckResult("data", False, str(exc), "reinstall modelrace (from the kit's wheelhouse)")
        return CheckResult("data", True, f"no dataset imported; the bundled {bundled.NAME} sample matches its checksum "
                           f"({sample.rows:,} rows)", subject=bundled.NAME)
    for name in wanted:
        fix = (f"modelrace data import {Path(kit) / DATA / (name + KIT_SUFFIX)}" if kit
               else f"import it again: modelrace data import FILE --name {name}")
        try:
            dataset = load_cached(name)
        except UserError as exc:
            return CheckResult("data", False, str(exc), fix)
        actual = content_hash(dataset.X, dataset.y, dataset.feature_names, dataset.classes)
        expected = sums.get(name, dataset.sha256)
        if actual != expected:
            return CheckResult("data", False, f"'{name}': the cached rows do not match their checksum "
                               f"({actual[:12]}…, expected {expected[:12]}…)", fix)
    return CheckResult("data", True, f"{', '.join(wanted)} cached, checksums match ({dataset.rows:,} rows in "
                       f"{wanted[-1]})", subject=wanted[0])


def check_mini_race(name: str | None, rows: int = 2000) -> CheckResult:
    """A short race of every registered model on a sample of the data completes."""
    if name is None:
        return CheckResult("mini race", False, "skipped: no data to race on", "fix the data check first")
    models = list(registry.specs())
    again = (f"run `modelrace race --data {name} --preset quick --rows {rows} --models {','.join(models)}` "
             "to see the whole error")
    start = time.perf_counter()
    try:
        dataset = open_dataset(name)
        result = run(dataset, RaceSettings(load_preset("quick"), models=models, rows=min(rows, dataset.rows)))
    except Exception as exc:  # noqa: BLE001 - any failure is what this check is for
        return CheckResult("mini race", False, f"{type(exc).__name__}: {exc}", again)
    seconds = time.perf_counter() - start
    failed = [f"{key}: {m['error']}" for key, m in result["models"].items()
              if key in models and m["status"] != "finished"]
    if failed:
        return CheckResult("mini race", False, "; ".join(failed), again)
    claim = {True: "holds", False: "does not hold", None: "cannot be judged"}[result["verdict"]["claim_holds"]]
    return CheckResult("mini race", True, f"{len(models)} models on {result['dataset']['rows']:,} rows of {name} "
                       f"finished in {seconds:.1f} s; verdict: claim {claim}")
