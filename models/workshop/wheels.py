"""The kit's wheelhouse: modelrace's own wheel and every dependency, fetched with pip for each target.

With them go every registered model's distributions that modelrace does not itself require: a
plugin's package and its libraries (read from the specs), so that a class races the same models as
the machine that packed the kit. A plugin installed from a local folder has its wheel built from
that folder, as modelrace's own is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.environment import version_of
from modelrace.models.system.errors import ConfigError
from modelrace.models.trainers.libraries import distributions
from modelrace.models.workshop.kit import PackOptions, Progress, this_platform


def pack_wheels(wheelhouse: Path, options: PackOptions, progress: Progress) -> dict:
    """Fill ``wheelhouse`` for this machine and every extra target; return the manifest's ``wheelhouse`` entry."""
    wheelhouse.mkdir(parents=True, exist_ok=True)
    own = _own_wheel(wheelhouse, options, progress)
    models = model_distributions()
    built = _local_wheels(wheelhouse, models, options, progress)  # name -> wheel, for plugins installed from a folder
    constraints = wheelhouse.parent / ".constraints.txt"
    write_text_atomic(constraints, "\n".join(f"{name}=={version}" for name, version in installed_pins()
                                             if canonicalize_name(name) not in built) + "\n")
    requirement = f"{own}[{','.join(options.extras)}]" if options.extras else str(own)
    extra = [str(built[name]) if name in built else name for name in map(canonicalize_name, models)]
    kept: set[str] = {own.name, *(wheel.name for wheel in built.values())}
    try:
        progress(f"  pip download for this machine ({this_platform()})")
        kept |= _run_pip([sys.executable, "-m", "pip", "download", "--dest", str(wheelhouse), "--only-binary=:all:",
                          "--constraint", str(constraints), "--progress-bar", "off", requirement, *extra,
                          *_index_flags(options)], progress)
    finally:
        constraints.unlink(missing_ok=True)
    for platform_tag, python_version in _extra_targets(options):
        kept |= _download_foreign(wheelhouse, own, models, built, options, platform_tag, python_version, progress)
    if len(kept) > 1:  # pip named what it saved; if it named nothing, prune nothing rather than everything
        for stale in sorted(p for p in wheelhouse.iterdir() if p.is_file() and p.name not in kept):
            progress(f"  removing {stale.name} (no longer needed)")
            stale.unlink()
    wheels = sorted(p for p in wheelhouse.iterdir() if p.suffix == ".whl")
    return {"wheels": len(wheels), "bytes": sum(p.stat().st_size for p in wheels),
            "targets": [this_platform()] + [" ".join(_target_flags(p, v)) for p, v in _extra_targets(options)],
            "extras": list(options.extras), "models": models}


def model_distributions() -> list[str]:
    """The registered models' distributions that modelrace does not itself require (a plugin's, its libraries).

    A student installs these beside modelrace (the kit's STUDENTS.md names them); none today for
    modelrace's own models, whose libraries are its requirements.
    """
    own = {canonicalize_name(Requirement(text).name) for text in metadata.requires("modelrace") or []}
    own.add(canonicalize_name("modelrace"))
    return [name for name in distributions() if canonicalize_name(name) not in own]


def local_source(name: str) -> Path | None:
    """The folder an installed distribution was installed from (``pip install ./folder``, editable or not), or None."""
    try:
        text = metadata.distribution(name).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        info = json.loads(text or "{}")
    except ValueError:
        return None
    url = urlparse(str(info.get("url", "")))
    if "dir_info" not in info or url.scheme != "file":
        return None
    folder = Path(unquote(url.path))
    return folder if folder.is_dir() else None


def _local_wheels(wheelhouse: Path, names: list[str], options: PackOptions, progress: Progress) -> dict[str, Path]:
    """Build the wheels of the distributions in ``names`` installed from a local folder (no index has them)."""
    built: dict[str, Path] = {}
    for name in names:
        source = local_source(name)
        if source is None:
            continue
        stem = canonicalize_name(name).replace("-", "_")
        progress(f"  building {name} from {source}")
        with tempfile.TemporaryDirectory(dir=wheelhouse.parent, prefix=".build-") as build:
            _run_pip([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", build, "--progress-bar", "off",
                      str(source), *_index_flags(options)], progress)
            wheels = sorted(p for p in Path(build).glob("*.whl") if canonicalize_name(p.name.split("-")[0]) ==
                            canonicalize_name(stem))
            if not wheels:
                raise ConfigError(f"building {name} from {source} made no wheel; build it by hand "
                                  "(pip wheel --no-deps FOLDER) and pass its folder with --find-links")
            for old in wheelhouse.glob(f"{stem}-*.whl"):
                old.unlink()
            built[canonicalize_name(name)] = Path(shutil.move(str(wheels[-1]), wheelhouse / wheels[-1].name))
    return built


def _download_foreign(wheelhouse: Path, own: Path, models: list[str], built: dict[str, Path], options: PackOptions,
                      platform_tag: str | None, python_version: str | None, progress: Progress) -> set[str]:
    """Wheels for another platform or Python: the closure worked out here (see models.wheel_targets)."""
    from modelrace.models.workshop import wheel_targets
    flags = _target_flags(platform_tag, python_version)
    progress(f"  pip download for {' '.join(flags)}")
    try:
        env = wheel_targets.target_environment(platform_tag, python_version, wheel_targets.here())
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    roots = wheel_targets.wheel_requirements(own) + [name for name in models if canonicalize_name(name) not in built]
    roots += [text for wheel in built.values() for text in wheel_targets.wheel_requirements(wheel)]
    needs = wheel_targets.closure(roots, options.extras, env)
    base = [sys.executable, "-m", "pip", "download", "--dest", str(wheelhouse), "--only-binary=:all:",
            "--progress-bar", "off", *flags, *_index_flags(options)]
    saved = _run_pip(base + ["--no-deps", str(own), *map(str, built.values()), *needs.pinned], progress)
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
    root = Path(__file__).resolve().parents[2]
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
    platforms: list[str | None] = [*options.platforms] or [None]
    versions: list[str | None] = [*options.python_versions] or [None]
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
