"""Shared fixtures: the real Covertype sample, an isolated data home, and small generated data."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = Path(os.environ.get("MODELRACE_SAMPLE_DIR", REPO.parent / "shared" / "data"))
SAMPLE_FILE = SAMPLE_DIR / "covtype_rows_1-20000.csv.gz"
CLASS34_FILE = SAMPLE_DIR / "covtype_class3-4_after_row_20000.csv.gz"


def pytest_sessionstart(session: pytest.Session) -> None:
    """With MODELRACE_REQUIRE_SAMPLE=1 (as in CI) a missing sample fails the run instead of skipping tests."""
    if os.environ.get("MODELRACE_REQUIRE_SAMPLE") == "1" and not SAMPLE_FILE.is_file():
        raise pytest.UsageError(
            f"the real Covertype sample {SAMPLE_FILE} is missing and MODELRACE_REQUIRE_SAMPLE=1; "
            "set MODELRACE_SAMPLE_DIR to the folder that holds it"
        )


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty modelrace and scikit-learn data folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MODELRACE_HOME", str(home / "modelrace"))
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(home / "sklearn"))
    return home / "modelrace"


@pytest.fixture(scope="session")
def sample_file() -> Path:
    """Path of the real 16,000-row Covertype sample."""
    if not SAMPLE_FILE.is_file():
        pytest.skip(f"real sample not found at {SAMPLE_FILE} (set MODELRACE_SAMPLE_DIR)")
    return SAMPLE_FILE


@pytest.fixture(scope="session")
def sample_frame(sample_file: Path) -> pd.DataFrame:
    """The real sample as a DataFrame with scikit-learn's column names."""
    return pd.read_csv(sample_file)


@pytest.fixture(scope="session")
def small_frame(sample_frame: pd.DataFrame) -> pd.DataFrame:
    """2,000 real rows, for fast tests."""
    return sample_frame.sample(n=2000, random_state=1).sort_index()


def _write_uci(frame: pd.DataFrame, path: Path) -> Path:
    """Write rows in UCI covtype.data form: no header, 55 comma-separated integers (gzip if *.gz)."""
    text = frame.to_csv(header=False, index=False)
    if path.suffix == ".gz":
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


def _tiny_table(rows: int = 300, classes: int = 3, seed: int = 0) -> pd.DataFrame:
    """A small separable generic table with a string label column."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, rows)
    frame = pd.DataFrame({f"f{i}": rng.normal(labels * (i + 1), 1.0) for i in range(4)})
    frame["label"] = [f"kind_{c}" for c in labels]
    return frame


@pytest.fixture(scope="session")
def write_uci():
    """``write_uci(frame, path)``: write rows as UCI covtype.data (no header; gzip if the name ends in .gz)."""
    return _write_uci


@pytest.fixture(scope="session")
def tiny_table():
    """``tiny_table(rows, classes, seed)``: a small generic table with features f0..f3 and a text 'label'."""
    return _tiny_table


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A message box nobody expected fails the test instead of waiting forever for a click.

    Tests that expect one patch ``QMessageBox.warning`` themselves (later, so theirs wins).
    """
    from PySide6.QtWidgets import QMessageBox

    unexpected: list[str] = []

    def record(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        unexpected.append(" / ".join(str(a) for a in args[1:3]))
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, record)
    yield unexpected
    assert not unexpected, f"unexpected message box(es): {unexpected}"
