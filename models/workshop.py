"""Offline workshop kits: ``modelrace workshop pack`` fills a folder with what a class needs, while online.

A kit is a folder::

    KIT/wheelhouse/   modelrace and every dependency as wheels (pip download), pinned to the versions
                      installed on the teacher's machine
    KIT/data/         NAME.modelrace.npz for each dataset (see models.kit_data)
    KIT/presets/      the presets (*.toml)
    KIT/results/      finished races students can open on slow laptops
    KIT/STUDENTS.md   the commands a student types
    KIT/kit.json      what is in the kit, with checksums

Packing again updates the kit in place: wheels and data files that are no longer part of it are
removed, and a data file whose rows did not change is not rewritten. The self-test of a student
machine is in :mod:`modelrace.models.workshop_check`.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from modelrace.models.atomic import write_text_atomic
from modelrace.models.environment import version_of
from modelrace.models.errors import ConfigError, DataError, OutputError

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
    try:
        kit.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{kit}: cannot create the kit folder ({exc.strerror}); choose a writable folder") from exc
    try:
        previous = read_manifest(kit)
    except DataError as exc:  # packing again is the fix the message names: start the manifest afresh
        progress(f"  {exc.args[0].split(';')[0]}: writing a new one")
        previous = {}
    manifest: dict = {"kit": KIT_VERSION, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                      "modelrace": version_of("modelrace"), "packed_on": _this_platform()}
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
    if len(kept) > 1:  # pip named what it saved; if it named nothing, prune nothing rather than everything
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
    version = version_of("modelrace")
    source = source_checkout()
    if source is not None:
        progress(f"  building modelrace {version} from {source}")
        with tempfile.TemporaryDirectory(dir=wheelhouse.parent, prefix=".build-") as build:
            _run_pip([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", build,
                      "--progress-bar", "off", str(source), *_index_flags(options)], progress)
            built = sorted(Path(build).glob("modelrace-*.whl"))
            if built:  # only now replace the kit's old wheel: a failed build leaves it in place
                for old in wheelhouse.glob("modelrace-*.whl"):
                    old.unlink()
                shutil.move(str(built[-1]), wheelhouse / built[-1].name)
                version = built[-1].name.split("-")[1]
    else:
        for folder in options.find_links:
            for wheel in sorted(Path(folder).glob(f"modelrace-{version}-*.whl")):
                if wheel.resolve() != (wheelhouse / wheel.name).resolve():
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
    # The kept files are read from pip's "Saved"/"already downloaded" lines: make sure pip prints them.
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_QUIET": "0"}
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
        if not Path(path).is_file():
            continue  # a built-in preset's name: it is in the kit already
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
    targets = manifest.get("wheelhouse", {}).get("targets") or []
    found = sorted({v for target in targets for v in re.findall(r"(?:Python |--python-version )(\d+\.\d+)", target)})
    python_versions = " and ".join(f"Python {v}" for v in found) or "the packing machine's Python"
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
cache (its checksum is verified), the third opens the window: press **Run**. The wheels are for
{python_versions}: if `python3 --version` (or `py --version`) names another version, type
`python3.X` (or `py -3.X`) with the kit's version instead.

## If something does not work

Run `modelrace workshop check` (or *Help → Workshop check…* in the window). It tests the packages,
the Keras backend, the data, the window and a 10-second race, and prints the fix for anything that
fails.
{opening}
This kit was packed with modelrace {manifest.get('modelrace')} on {manifest.get('packed_on')}; its wheels
fit {', '.join(manifest.get('wheelhouse', {}).get('targets') or ['that platform'])}.
"""


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


def read_manifest(kit: Path | None) -> dict:
    """The kit's ``kit.json`` (empty when there is none)."""
    if kit is None:
        return {}
    path = Path(kit) / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: unreadable ({exc}); pack the kit again") from exc
    datasets = data.get("datasets", []) if isinstance(data, dict) else None
    if not isinstance(datasets, list) or not all(
            isinstance(d, dict) and all(isinstance(d.get(k), str) for k in ("name", "file", "sha256", "sha256_rows"))
            for d in datasets):
        raise DataError(f"{path}: damaged (its datasets list is not as modelrace writes it); pack the kit again")
    return data


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder``."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def _this_platform() -> str:
    return f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
