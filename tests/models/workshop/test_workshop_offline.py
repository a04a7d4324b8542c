"""The offline path end to end, as a class would live it.

The teacher packs a kit with real wheels (pip download, with a network). A student machine then
follows the kit's STUDENTS.md word for word: a fresh venv, ``pip install --no-index --find-links``
(with pip's configuration ignored and a dead proxy, so any network use would fail), the data
import, the window, and ``modelrace workshop check``, which must pass.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def students_commands(guide: str) -> list[str]:
    """The Linux and macOS command block of STUDENTS.md."""
    block = re.search(r"## Linux and macOS\s+```\n(.*?)```", guide, re.S)
    assert block, "STUDENTS.md has no Linux and macOS command block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_pack_then_install_offline_import_and_check(sample_file: Path, tmp_path: Path) -> None:
    teacher = {**os.environ, "MODELRACE_HOME": str(tmp_path / "teacher-home")}
    cli = [sys.executable, "-m", "modelrace.gui"]
    subprocess.run(cli + ["data", "import", str(sample_file), "--name", "covtype"], env=teacher, check=True,
                   capture_output=True)
    kit = tmp_path / "kit"
    packed = subprocess.run(cli + ["workshop", "pack", str(kit)], env=teacher, capture_output=True, text=True,
                            timeout=1800)
    assert packed.returncode == 0, packed.stdout[-3000:] + packed.stderr[-3000:]
    manifest = json.loads((kit / "kit.json").read_text())
    assert manifest["wheelhouse"]["wheels"] > 20
    assert any(p.name.startswith("modelrace-") for p in (kit / "wheelhouse").glob("*.whl"))

    home = tmp_path / "student"
    home.mkdir()
    student = {
        "PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
        "MODELRACE_HOME": str(home / "modelrace-data"), "QT_QPA_PLATFORM": "offscreen",
        "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",  # no network
        "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
    }
    commands = students_commands((kit / "STUDENTS.md").read_text())
    assert len(commands) == 3 and "--no-index --find-links wheelhouse" in commands[0]
    install, import_data, open_window = commands
    for command, extra in ((install, {}), (import_data, {}), (open_window, {"MODELRACE_STARTUP_PROBE": "1"})):
        done = subprocess.run(["bash", "-c", command], cwd=kit, env={**student, **extra}, capture_output=True,
                              text=True, timeout=1800)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "first-paint" in done.stdout, "the window opened and painted"

    modelrace = home / "modelrace-env" / "bin" / "modelrace"
    check = subprocess.run([str(modelrace), "workshop", "check", "--kit", str(kit)], cwd=home, env=student,
                           capture_output=True, text=True, timeout=600)
    print(check.stdout)
    assert check.returncode == 0, check.stdout + check.stderr[-3000:]
    assert check.stdout.count("PASS") == 5 and "ready for class" in check.stdout
    version = subprocess.run([str(home / "modelrace-env" / "bin" / "python"), "-c",
                              "import modelrace.models, sys; print(modelrace.models.__file__)"],
                             env=student, capture_output=True, text=True, check=True).stdout
    assert "modelrace-env" in version, "the student's modelrace is the one installed from the kit"
