"""The kit's wheelhouse: modelrace's own wheel and every dependency, fetched with pip for each target."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.environment import version_of
from modelrace.models.system.errors import ConfigError
from modelrace.models.workshop.kit import PackOptions, Progress, this_platform


def pack_wheels(wheelhouse: Path, options: PackOptions, progress: Progress) -> dict:
    wheelhouse.mkdir(parents=True, exist_ok=True)
    own = _own_wheel(wheelhouse, options, progress)
    constraints = wheelhouse.parent / ".constraints.txt"
    write_text_atomic(constraints, "\n".join(f"{name}=={version}" for name, version in installed_pins()) + "\n")
    requirement = f"{own}[{','.join(options.extras)}]" if options.extras else str(own)
    kept: set[str] = {own.name}
    try:
        progress(f"  pip download for this machine ({this_platform()})")
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
            "targets": [this_platform()] + [" ".join(_target_flags(p, v)) for p, v in _extra_targets(options)],
            "extras": list(options.extras)}


def _download_foreign(wheelhouse: Path, own: Path, options: PackOptions, platform_tag: str | None,
                      python_version: str | None, progress: Progress) -> set[str]:
    """Wheels for another platform or Python: the closure worked out here (see models.wheel_targets)."""
    from modelrace.models.workshop import wheel_targets
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
