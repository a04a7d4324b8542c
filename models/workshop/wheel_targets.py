"""modelrace's dependency list for another platform or Python, for ``workshop pack --platform``.

``pip download --platform`` evaluates environment markers against the machine it runs on, not the
target (pypa/pip#11664): on Linux it asks for ``nvidia-nccl-cu12`` (``platform_system == "Linux"``)
for Windows too, and fails. So for a foreign target the closure is worked out here, from the installed
packages' metadata with the markers evaluated for the target; pip then downloads it with
``--no-deps``. Installed packages are pinned to the versions installed here; a requirement that only
the target has (``colorama`` on Windows, say) is fetched unpinned, with its own dependencies.
"""

from __future__ import annotations

import email.parser
import re
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

_PLATFORMS = (  # tag pattern -> (sys_platform, platform_system, os_name, platform_machine)
    (r"^win_amd64$", ("win32", "Windows", "nt", "AMD64")),
    (r"^win_arm64$", ("win32", "Windows", "nt", "ARM64")),
    (r"^win32$", ("win32", "Windows", "nt", "x86")),
    (r"^macosx_.*_arm64$", ("darwin", "Darwin", "posix", "arm64")),
    (r"^macosx_.*_(x86_64|universal2|intel)$", ("darwin", "Darwin", "posix", "x86_64")),
    (r"^(many|musl)?linux.*_x86_64$", ("linux", "Linux", "posix", "x86_64")),
    (r"^(many|musl)?linux.*_aarch64$", ("linux", "Linux", "posix", "aarch64")),
)


@dataclass
class Closure:
    """What a target needs: pinned ``name==version`` for packages installed here, plain requirements otherwise."""

    pinned: list[str] = field(default_factory=list)
    unpinned: list[str] = field(default_factory=list)


def target_environment(platform_tag: str | None, python_version: str | None, here: dict[str, str]) -> dict[str, str]:
    """Marker variables for a target; whatever is not given stays as on this machine (``here``)."""
    env = dict(here)
    if platform_tag:
        for pattern, (sys_platform, system, os_name, machine) in _PLATFORMS:
            if re.match(pattern, platform_tag):
                env.update(sys_platform=sys_platform, platform_system=system, os_name=os_name, platform_machine=machine)
                break
        else:
            raise ValueError(f"unknown platform tag '{platform_tag}'; use e.g. win_amd64, macosx_11_0_arm64, "
                             "manylinux2014_x86_64")
    if python_version:
        env.update(python_version=python_version, python_full_version=f"{python_version}.0")
    return env


def wheel_requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a wheel's METADATA (the truth for a freshly built wheel)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return message.get_all("Requires-Dist") or []


def closure(root_requirements: list[str], extras: list[str], env: dict[str, str]) -> Closure:
    """The dependency closure of ``root_requirements`` (with the root's ``extras``) for marker environment ``env``.

    The root's own requirements are given (from its wheel); everything below them is read from the
    installed packages' metadata.
    """
    result = Closure()
    seen: set[str] = set()
    queue: list[tuple[list[str], set[str]]] = [(root_requirements, set(extras))]
    while queue:
        texts, wanted_extras = queue.pop()
        for text in texts:
            requirement = Requirement(text)
            if requirement.marker is not None and not _applies(requirement.marker, env, wanted_extras):
                continue
            key = canonicalize_name(requirement.name)
            if key in seen:
                continue
            seen.add(key)
            try:
                version = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                requirement.marker = None
                result.unpinned.append(str(requirement))
                continue
            result.pinned.append(f"{requirement.name}=={version}")
            queue.append((metadata.requires(requirement.name) or [], set(requirement.extras)))
    result.pinned.sort(key=str.lower)
    result.unpinned.sort(key=str.lower)
    return result


def _applies(marker: Marker, env: dict[str, str], extras: set[str]) -> bool:
    return any(marker.evaluate({**env, "extra": extra}) for extra in (extras or {""}) | {""})


def here() -> dict[str, str]:
    """This machine's marker variables."""
    from packaging.markers import default_environment

    return {name: str(value) for name, value in default_environment().items()}
