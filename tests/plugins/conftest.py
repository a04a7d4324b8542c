"""Fixtures of the plugin tests: install the small plugin packages of this folder into a folder of their own.

Each package is installed as a user would (``pip install``, from a copy, so no build files land in the
repository) into a temporary folder, never into the test environment: a command sees the plugin when
that folder is on its ``PYTHONPATH``. No file of modelrace is changed for any of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parent
REPO = PLUGINS.parents[1]
TIMEOUT = 600


def install(packages: list[str], scratch: Path) -> Path:
    """Install the packages of this folder named ``packages`` into ``scratch/site``; that folder."""
    copies = []
    for name in packages:
        copy = scratch / "src" / name
        shutil.copytree(PLUGINS / name, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        copies.append(str(copy))
    site = scratch / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"]
    done = subprocess.run([*pip, "--target", str(site), *copies], capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, f"pip could not install {packages}:\n{done.stderr[-3000:]}"
    return site


def with_site(site: Path, **extra: str) -> dict[str, str]:
    """The environment of a command that sees the plugins installed in ``site``."""
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


@pytest.fixture(scope="module")
def run_in() -> Callable[..., subprocess.CompletedProcess]:
    """``run_in(site, *argv, **env)``: run ``python *argv`` from the repository with the plugins of ``site``."""

    def run(site: Path, *argv: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=TIMEOUT, cwd=REPO,
                              env=with_site(site, **env))

    return run
