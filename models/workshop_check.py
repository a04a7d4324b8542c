"""``modelrace workshop check``: the pre-class self-test of a machine, one PASS or FAIL line per check.

In turn: the packages import, Keras loads on its backend, the data is cached and matches its
checksum (the kit's, when a kit is named), a window opens, and a short race of all three models
completes. Each failure comes with its fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from modelrace.models.environment import version_of
from modelrace.models.errors import UserError
from modelrace.models.workshop import DATA, WHEELHOUSE, read_manifest


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


PACKAGES = (("numpy", "numpy"), ("pandas", "pandas"), ("sklearn", "scikit-learn"), ("scipy", "scipy"),
            ("xgboost", "xgboost"), ("matplotlib", "matplotlib"), ("jsonschema", "jsonschema"),
            ("platformdirs", "platformdirs"), ("PySide6.QtWidgets", "PySide6-Essentials"), ("pyqtgraph", "pyqtgraph"),
            ("superqt", "superqt"))


def run_checks(kit: Path | None = None, window: bool = True) -> Iterator[CheckResult]:
    """The pre-class self-test, one result at a time: packages, Keras backend, data, window, a mini race.

    ``window=False`` skips opening a window in a new process (the window's own Help menu: it is open).
    """
    manifest = read_manifest(kit) if kit else {}
    install = (f"install from the kit: pip install --no-index --find-links {Path(kit) / WHEELHOUSE} modelrace"
               if kit else "reinstall: pip install modelrace (or from the workshop kit's wheelhouse)")
    yield check_packages(install)
    yield check_backend(install)
    data = check_data(kit, manifest)
    yield data
    if window:
        yield check_window()
    yield check_mini_race(data.subject if data.ok else None)


def check_packages(install: str) -> CheckResult:
    """Every package modelrace needs imports."""
    import importlib

    from modelrace.models.keras_setup import choose_backend

    modules = list(PACKAGES)  # Keras' backend (TensorFlow or JAX) loads, quietly, in check_backend
    failed = []
    for module, package in modules:
        try:
            importlib.import_module(module)
        except Exception as exc:  # noqa: BLE001 - a broken install can raise anything at import
            failed.append(f"{package} ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
    try:
        choose_backend(None)
    except UserError as exc:
        failed.append(str(exc))
    if failed:
        return CheckResult("packages", False, "cannot import " + "; ".join(failed), install)
    return CheckResult("packages", True, f"{len(modules)} packages import (numpy {version_of('numpy')}, "
                       f"scikit-learn {version_of('scikit-learn')}, xgboost {version_of('xgboost')}, "
                       f"PySide6 {version_of('PySide6-Essentials')})")


def check_backend(install: str) -> CheckResult:
    """Keras loads on its backend and computes."""
    from modelrace.models.environment import cpu_count
    from modelrace.models.keras_setup import import_keras

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
    """The kit's datasets (or Covertype, or any cached dataset) are cached and match their checksums."""
    from modelrace.models import datasets

    wanted = [entry["name"] for entry in manifest.get("datasets", [])]
    sums = {entry["name"]: entry["sha256_rows"] for entry in manifest.get("datasets", [])}
    if not wanted:
        cached = datasets.cached_names()
        wanted = [datasets.COVTYPE_NAME] if datasets.COVTYPE_NAME in cached else cached[:1]
    if not wanted:
        return CheckResult("data", False, "no dataset is cached",
                           "import the kit's data: modelrace data import KIT/data/covtype.modelrace.npz "
                           "(or with a network: modelrace data fetch)")
    for name in wanted:
        fix = (f"modelrace data import {Path(kit) / DATA / (name + datasets.KIT_SUFFIX)}" if kit
               else f"import it again: modelrace data import FILE --name {name}")
        try:
            dataset = datasets.load_cached(name)
        except UserError as exc:
            return CheckResult("data", False, str(exc), fix)
        actual = datasets.content_hash(dataset.X, dataset.y, dataset.feature_names, dataset.classes)
        expected = sums.get(name, dataset.sha256)
        if actual != expected:
            return CheckResult("data", False, f"'{name}': the cached rows do not match their checksum "
                               f"({actual[:12]}…, expected {expected[:12]}…)", fix)
    return CheckResult("data", True, f"{', '.join(wanted)} cached, checksums match ({dataset.rows:,} rows in "
                       f"{wanted[-1]})", subject=wanted[0])


def check_window(timeout: float = 60.0) -> CheckResult:
    """A modelrace window opens and paints (in a new process, closed at once)."""
    fix = ("run this on the machine's desktop (a display is needed); on Linux install the xcb libraries "
           "(e.g. apt install libxcb-cursor0), or set QT_QPA_PLATFORM=offscreen to test without a screen")
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        return CheckResult("window", False, "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)", fix)
    env = {**os.environ, "MODELRACE_STARTUP_PROBE": "1"}
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "modelrace.gui.cli", "gui"], env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return CheckResult("window", False, f"the window did not open within {timeout:.0f} s", fix)
    if proc.returncode != 0 or "first-paint" not in proc.stdout:
        reason = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return CheckResult("window", False, f"the window could not open ({reason})", fix)
    return CheckResult("window", True, f"opened and painted in {time.perf_counter() - start:.1f} s")


def check_mini_race(name: str | None, rows: int = 2000) -> CheckResult:
    """A short race of all three models on a sample of the data completes."""
    from modelrace.models import datasets
    from modelrace.models.presets import load_preset
    from modelrace.models.race import RaceSettings, run_race

    if name is None:
        return CheckResult("mini race", False, "skipped: no data to race on", "fix the data check first")
    start = time.perf_counter()
    try:
        dataset = datasets.load_cached(name)
        result = run_race(dataset, RaceSettings(load_preset("quick"), rows=min(rows, dataset.rows)))
    except Exception as exc:  # noqa: BLE001 - any failure is what this check is for
        return CheckResult("mini race", False, f"{type(exc).__name__}: {exc}",
                           f"run `modelrace race --data {name} --preset quick --rows 2000` to see the whole error")
    seconds = time.perf_counter() - start
    failed = [f"{key}: {m['error']}" for key, m in result["models"].items() if m["status"] != "finished"]
    if failed:
        return CheckResult("mini race", False, "; ".join(failed),
                           f"run `modelrace race --data {name} --preset quick --rows 2000` to see the whole error")
    claim = {True: "holds", False: "does not hold"}.get(result["verdict"]["claim_holds"], "cannot be judged")
    return CheckResult("mini race", True, f"3 models on {result['dataset']['rows']:,} rows of {name} finished in "
                       f"{seconds:.1f} s; verdict: claim {claim}")
