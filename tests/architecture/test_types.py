"""mypy checks ``models/`` and ``workers/`` as the installed package sees them, result TypedDicts included.

The source folders are installed under other names (``models`` is ``modelrace.models``), so the check
runs over a tree of links that lays them out as the package, with the settings in pyproject.toml's
``[tool.mypy]``. A ``type: ignore`` must say why on its line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECKED = ("models", "workers")


@pytest.mark.slow
def test_mypy_finds_no_error_in_models_and_workers(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    package = tmp_path / "tree" / "modelrace"
    package.mkdir(parents=True)
    for folder in ("gui", "models", "workers", "resources"):
        (package / folder).symlink_to(REPO / folder, target_is_directory=True)
    command = [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
               "--cache-dir", str(tmp_path / "cache"), *(f"-p=modelrace.{name}" for name in CHECKED)]
    done = subprocess.run(command, cwd=tmp_path, env={"MYPYPATH": str(tmp_path / "tree"), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=1200)
    report = done.stdout.replace(str(package), "") + done.stderr
    assert done.returncode == 0, report[-6000:]
    assert "Success" in done.stdout


def test_every_type_ignore_says_why() -> None:
    bare = []
    for folder in CHECKED:
        for path in (REPO / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                match = re.search(r"#\s*type:\s*ignore(\[[^\]]*\])?(.*)$", line)
                if match and not re.search(r"#\s*\S", match.group(2)):
                    bare.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not bare, "a type: ignore without a reason (add '  # why' after it):\n" + "\n".join(bare)
