"""The layer rules (pyproject.toml, [tool.importlinter]) hold: import-linter checks every import, lazy ones too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is part of the test extras: pip install -e '.[test]'"
    out = subprocess.run([lint, "--config", str(REPO / "pyproject.toml"), "--no-cache"], capture_output=True, text=True,
                         cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    kept = [line for line in out.stdout.splitlines() if line.rstrip().endswith("KEPT") or "KEPT (" in line]
    assert len(kept) >= 7, out.stdout  # every contract was checked, none skipped


def test_no_module_is_a_drawer() -> None:
    """Small modules with one purpose: none of the product's modules runs past about 400 lines."""
    sizes = {path.relative_to(REPO): len(path.read_text(encoding="utf-8").splitlines())
             for folder in ("gui", "models", "workers", "resources") for path in (REPO / folder).rglob("*.py")}
    assert len(sizes) > 60
    assert {str(path): lines for path, lines in sizes.items() if lines > 430} == {}
