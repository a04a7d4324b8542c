"""Offline workshop kits: pack what a class needs while there is a network; check a machine before class.

A kit is a folder::

    KIT/wheelhouse/   modelrace and every dependency as wheels (pip download), pinned to the versions
                      installed on the teacher's machine
    KIT/data/         NAME.modelrace.npz for each dataset (see models.kit_data)
    KIT/presets/      the presets (*.toml)
    KIT/results/      finished races students can open on slow laptops
    KIT/STUDENTS.md   the commands a student types
    KIT/kit.json      what is in the kit, with checksums

Packing again updates the kit in place: wheels and data files that are no longer part of it are
removed, and a data file whose rows did not change is not rewritten.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from modelrace.models.atomic import write_text_atomic
from modelrace.models.errors import ConfigError, DataError, OutputError, UserError

MANIFEST = "kit.json"
WHEELHOUSE = "wheelhouse"
DATA = "data"
PRESETS = "presets"
RESULTS = "results"
STUDENTS = "STUDENTS.md"
KIT_VERSION = 1

Progress = Callable[[str], None]


@dataclass
class PackOptions:
    """What to put in a kit."""

    kit: Path
    datasets: list[str] = field(default_factory=list)  # cache names; empty: covtype if cached, else every cached one
    results: list[Path] = field(default_factory=list)
    presets: list[Path] = field(default_factory=list)  # extra preset files (the built-in ones always go in)
    platforms: list[str] = field(default_factory=list)  # extra pip platform tags, e.g. win_amd64
    python_versions: list[str] = field(default_factory=list)  # extra Python versions, e.g. 3.12
    extras: list[str] = field(default_factory=list)  # modelrace extras to include, e.g. jax
    find_links: list[Path] = field(default_factory=list)  # local wheel folders for pip
    no_index: bool = False  # only the find-links folders, no package index
    wheels: bool = True  # False: leave the wheelhouse as it is (data, presets and results only)


def pack(options: PackOptions, progress: Progress = print) -> dict:
    """Fill (or update) the kit folder and return its manifest."""
    kit = Path(options.kit).expanduser()
    if kit.exists() and not kit.is_dir():
        raise OutputError(f"{kit}: is a file; give a folder for the kit")
    kit.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(kit)
    manifest: dict = {"kit": KIT_VERSION, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                      "modelrace": _version("modelrace"), "packed_on": _this_platform()}
    if options.wheels:
        progress("1/4 wheelhouse: downloading modelrace and its dependencies (pip download)…")
        manifest["wheelhouse"] = _pack_wheels(kit / WHEELHOUSE, options, progress)
    else:
        manifest["wheelhouse"] = previous.get("wheelhouse", {})
        progress("1/4 wheelhouse: left as it is (--no-wheels)")
    progress("2/4 data: exporting the cached datasets…")
    manifest["datasets"] = _pack_data(kit / DATA, options.datasets, previous.get("datasets", []), progress)
    progress("3/4 presets and results…")
    manifest["presets"] = _pack_presets(kit / PRESETS, options.presets)
    manifest["results"] = _pack_results(kit / RESULTS, options.results)
    progress("4/4 STUDENTS.md and kit.json…")
    write_text_atomic(kit / STUDENTS, students_guide(manifest))
    write_text_atomic(kit / MANIFEST, json.dumps(manifest, indent=1) + "\n")
    manifest["bytes"] = folder_bytes(kit)
    return manifest


# ------------------------------------------------------------------------------------ wheels


def _pack_wheels(wheelhouse: Path, options: PackOptions, progress: Progress) -> dict:
    wheelhouse.mkdir(parents=True, exist_ok=True)
    own = _own_wheel(wheelhouse, options, progress)
    constraints = wheelhouse.parent / ".constraints.txt"
    write_text_atomic(constraints, "\n".join(f"{name}=={version}" for name, version in installed_pins()) + "\n")
    requirement = f"{own}[{','.join(options.extras)}]" if options.extras else str(own)
    kept: set[str] = {own.name}
    try:
        progress(f"  pip download for this machine ({_this_platform()})")
        kept |= _run_pip([sys.executable, "-m", "pip", "download", "--dest", str(wheelhouse), "--only-binary=:all:",
                          "--constraint", str(constraints), "--progress-bar", "off", requirement,
                          *_index_flags(options)], progress)
    finally:
        constraints.unlink(missing_ok=True)
    for platform_tag, python_version in _extra_targets(options):
        kept |= _download_foreign(wheelhouse, own, options, platform_tag, python_version, progress)
    for stale in sorted(p for p in wheelhouse.iterdir() if p.is_file() and p.name not in kept):
        progress(f"  removing {stale.name} (no longer needed)")
        stale.unlink()
    wheels = sorted(p for p in wheelhouse.iterdir() if p.suffix == ".whl")
    return {"wheels": len(wheels), "bytes": sum(p.stat().st_size for p in wheels),
            "targets": [_this_platform()] + [" ".join(_target_flags(p, v)) for p, v in _extra_targets(options)],
            "extras": list(options.extras)}


def _download_foreign(wheelhouse: Path, own: Path, options: PackOptions, platform_tag: str | None,
                      python_version: str | None, progress: Progress) -> set[str]:
    """Wheels for another platform or Python: the closure worked out here (see models.wheel_targets)."""
    from modelrace.models import wheel_targets

    flags = _target_flags(platform_tag, python_version)
    progress(f"  pip download for {' '.join(flags)}")
    try:
        env = wheel_targets.target_environment(platform_tag, python_version, wheel_targets.here())
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    needs = wheel_targets.closure(wheel_targets.wheel_requirements(own), options.extras, env)
    base = [sys.executable, "-m", "pip", "download", "--dest", str(wheelhouse), "--only-binary=:all:",
            "--progress-bar", "off", *flags, *_index_flags(options)]
    saved = _run_pip(base + ["--no-deps", str(own), *needs.pinned], progress)
    if needs.unpinned:  # only this target needs them: let pip bring their own dependencies
        saved |= _run_pip(base + needs.unpinned, progress)
    return saved


def _own_wheel(wheelhouse: Path, options: PackOptions, progress: Progress) -> Path:
    """modelrace's own wheel: built from the source checkout this copy runs from, else found in --find-links."""
    version = _version("modelrace")
    source = source_checkout()
    if source is not None:
        progress(f"  building modelrace {version} from {source}")
        for old in wheelhouse.glob("modelrace-*.whl"):
            old.unlink()
        _run_pip([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheelhouse),
                  "--progress-bar", "off", str(source), *_index_flags(options)], progress)
    else:
        for folder in options.find_links:
            for wheel in sorted(Path(folder).glob(f"modelrace-{version}-*.whl")):
                shutil.copy2(wheel, wheelhouse / wheel.name)
    found = sorted(wheelhouse.glob(f"modelrace-{version}-*.whl"))
    if not found:
        raise ConfigError(f"no wheel of modelrace {version} to put in the kit; pass --find-links FOLDER with "
                          f"modelrace-{version}-*.whl in it (or pack from a source checkout)")
    return found[-1]


def source_checkout() -> Path | None:
    """The source folder this modelrace runs from (an editable install), or None for an installed wheel."""
    root = Path(__file__).resolve().parents[1]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and re.search(r'^name\s*=\s*"modelrace"', pyproject.read_text("utf-8"), re.MULTILINE):
        return root
    return None


def installed_pins() -> list[tuple[str, str]]:
    """``(name, version)`` of every installed distribution but modelrace: the versions the kit pins."""
    pins = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and name.lower() != "modelrace":
            pins[name.lower()] = dist.version
    return sorted(pins.items())


def _extra_targets(options: PackOptions) -> list[tuple[str | None, str | None]]:
    platforms = options.platforms or [None]
    versions = options.python_versions or [None]
    return [(p, v) for p in platforms for v in versions if (p, v) != (None, None)]


def _target_flags(platform_tag: str | None, python_version: str | None) -> list[str]:
    flags = []
    if platform_tag:
        flags += ["--platform", platform_tag]
    if python_version:
        flags += ["--python-version", python_version]
    return flags


def _index_flags(options: PackOptions) -> list[str]:
    flags = [arg for folder in options.find_links for arg in ("--find-links", str(Path(folder).resolve()))]
    return flags + (["--no-index"] if options.no_index else [])


_SAVED = re.compile(r"^\s*(?:Saved|File was already downloaded)\s+(.+?)\s*$")


def _run_pip(command: list[str], progress: Progress) -> set[str]:
    """Run pip, relaying its main lines; return the names of the files it saved or found already there."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    except OSError as exc:
        raise ConfigError(f"could not run pip ({exc}); is pip installed in this Python?") from exc
    files: set[str] = set()
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip()
        tail = (tail + [line])[-15:]
        match = _SAVED.match(line)
        if match:
            files.add(Path(match.group(1)).name)
        if line.startswith(("Collecting", "Saved", "Successfully")):
            progress(f"    {line.strip()}")
    if proc.wait() != 0:
        detail = next((l.strip() for l in reversed(tail) if "ERROR" in l), tail[-1].strip() if tail else "")
        raise ConfigError(f"pip could not fetch the wheels ({detail}); check the network (or --find-links), "
                          "then run `modelrace workshop pack` again: it resumes where it stopped")
    return files


# -------------------------------------------------------------------------------------- data


def _pack_data(folder: Path, names: list[str], previous: list[dict], progress: Progress) -> list[dict]:
    from modelrace.models import datasets
    from modelrace.models.datasets import file_sha256
    from modelrace.models.kit_data import SUFFIX, export_dataset

    cached = datasets.cached_names()
    if not names:
        names = [datasets.COVTYPE_NAME] if datasets.COVTYPE_NAME in cached else cached
    if not names:
        raise DataError("no dataset is cached to put in the kit; run `modelrace data fetch` (or `modelrace data "
                        "import FILE`) first, then pack again")
    folder.mkdir(parents=True, exist_ok=True)
    before = {entry["file"]: entry for entry in previous}
    entries = []
    for name in names:
        meta = datasets.read_meta(name)
        path = folder / f"{name}{SUFFIX}"
        relative = f"{DATA}/{path.name}"
        old = before.get(relative)
        if old and old.get("sha256_rows") == meta["sha256"] and path.is_file() and file_sha256(path) == old["sha256"]:
            progress(f"  {relative}: unchanged ({meta['rows']:,} rows)")
            entries.append(old)
            continue
        export_dataset(datasets.load_cached(name), path)
        entries.append({"name": name, "file": relative, "rows": meta["rows"], "classes": len(meta["classes"]),
                        "sha256": file_sha256(path), "sha256_rows": meta["sha256"], "bytes": path.stat().st_size})
        progress(f"  {relative}: {meta['rows']:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    keep = {Path(e["file"]).name for e in entries}
    for stale in folder.glob(f"*{SUFFIX}"):
        if stale.name not in keep:
            progress(f"  removing {DATA}/{stale.name} (not in this kit any more)")
            stale.unlink()
    return entries


def _pack_presets(folder: Path, extra: list[Path]) -> list[str]:
    from modelrace.models.presets import load_preset

    folder.mkdir(parents=True, exist_ok=True)
    names = []
    built_in = resources.files("modelrace.resources").joinpath("presets")
    for item in sorted(built_in.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            write_text_atomic(folder / item.name, item.read_text("utf-8"))
            names.append(item.name)
    for path in extra:
        load_preset(str(path))  # refuse a broken preset now, not in front of the class
        write_text_atomic(folder / Path(path).name, Path(path).read_text("utf-8"))
        names.append(Path(path).name)
    return names


def _pack_results(folder: Path, results: list[Path]) -> list[str]:
    from modelrace.models.results import load_result

    folder.mkdir(parents=True, exist_ok=True)
    for path in results:
        load_result(path)  # only valid results go in
        write_text_atomic(folder / Path(path).name, Path(path).read_text("utf-8"))
    return sorted(p.name for p in folder.glob("*.json"))


# ------------------------------------------------------------------------------- the guide


def students_guide(manifest: dict) -> str:
    """The STUDENTS.md of a kit: the few commands to install, import the data and open the app."""
    data = manifest["datasets"][0]["file"] if manifest.get("datasets") else f"{DATA}/covtype.modelrace.npz"
    extras = manifest.get("wheelhouse", {}).get("extras") or []
    package = f"modelrace[{','.join(extras)}]" if extras else "modelrace"
    results = manifest.get("results") or []
    opening = (f"\nFinished races are in `results/` ({', '.join(results)}): open one with *File → Open results…* "
               "to look at it without training.\n") if results else ""
    return f"""# modelrace workshop: getting started (no network needed)

Open a terminal **in this folder** (the kit) and type these three commands.

## Linux and macOS

```
python3 -m venv ~/modelrace-env && ~/modelrace-env/bin/pip install --no-index --find-links wheelhouse '{package}'
~/modelrace-env/bin/modelrace data import {data}
~/modelrace-env/bin/modelrace
```

## Windows (PowerShell)

```
py -m venv $HOME\\modelrace-env; & $HOME\\modelrace-env\\Scripts\\pip install --no-index --find-links wheelhouse "{package}"
& $HOME\\modelrace-env\\Scripts\\modelrace data import {data}
& $HOME\\modelrace-env\\Scripts\\modelrace
```

The first installs modelrace from the kit, the second copies the Covertype data into modelrace's
cache (its checksum is verified), the third opens the window: press **Run**.

## If something does not work

Run `modelrace workshop check` (or *Help → Workshop check…* in the window). It tests the packages,
the Keras backend, the data, the window and a 10-second race, and prints the fix for anything that
fails.
{opening}
This kit was packed with modelrace {manifest.get('modelrace')} on {manifest.get('packed_on')}; its wheels
fit {', '.join(manifest.get('wheelhouse', {}).get('targets') or ['that platform'])}.
"""


# ---------------------------------------------------------------------------------- checks


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
    manifest = _read_manifest(kit) if kit else {}
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
    return CheckResult("packages", True, f"{len(modules)} packages import (numpy {_version('numpy')}, "
                       f"scikit-learn {_version('scikit-learn')}, xgboost {_version('xgboost')}, "
                       f"PySide6 {_version('PySide6-Essentials')})")


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
    return CheckResult("keras backend", True, f"Keras {keras.__version__} on {backend} {_version(library) or ''}".strip())


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
        fix = (f"modelrace data import {Path(kit) / DATA / (name + '.modelrace.npz')}" if kit
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
                           "run `modelrace race --data NAME --preset quick --rows 2000` to see the whole error")
    seconds = time.perf_counter() - start
    failed = [f"{key}: {m['error']}" for key, m in result["models"].items() if m["status"] != "finished"]
    if failed:
        return CheckResult("mini race", False, "; ".join(failed),
                           "run `modelrace race --data NAME --preset quick --rows 2000` to see the whole error")
    return CheckResult("mini race", True, f"3 models on {result['dataset']['rows']:,} rows of {name} finished in "
                       f"{seconds:.1f} s; verdict: claim {'holds' if result['verdict']['claim_holds'] else 'does not hold' if result['verdict']['claim_holds'] is False else 'cannot be judged'}")


# ---------------------------------------------------------------------------------- helpers


def find_kit_data(path: Path) -> list[Path]:
    """The data files of a kit folder (or the file itself, if ``path`` is one)."""
    from modelrace.models.kit_data import SUFFIX

    path = Path(path).expanduser()
    if path.is_file():
        return [path]
    found = sorted((path / DATA).glob(f"*{SUFFIX}")) or sorted(path.glob(f"*{SUFFIX}"))
    if not found:
        raise DataError(f"{path}: no workshop kit data here (no {DATA}/*{SUFFIX}); choose the kit folder "
                        "made by `modelrace workshop pack`")
    return found


def _read_manifest(kit: Path | None) -> dict:
    if kit is None:
        return {}
    path = Path(kit) / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: unreadable ({exc}); pack the kit again") from exc
    return data if isinstance(data, dict) else {}


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder``."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _this_platform() -> str:
    return f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
