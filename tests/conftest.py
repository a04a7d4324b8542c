"""Shared fixtures: the real Covertype rows, an isolated data home, and small generated data.

The 16,000 real rows the tests race on are the ones bundled with modelrace (package data). The one
file only the tests need, the class-3/4 rows, is read from ``../shared/data`` (or
``MODELRACE_SAMPLE_DIR``); with ``MODELRACE_REQUIRE_SAMPLE=1`` (CI) a missing file fails the run.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
SCREENS = Path(__file__).resolve().parent / "screens"
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # Qt's offscreen screen is 800×800 unless told otherwise; the window is tested on a desktop's screen
    # (tests of small screens start a process with another of these files).
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS / 'desktop-1920x1080.json'}"

from modelrace.models.data import bundled

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = Path(os.environ.get("MODELRACE_SAMPLE_DIR", REPO.parent / "shared" / "data"))
SAMPLE_FILE = bundled.path()  # the 16,000 real rows that ship inside the package
CLASS34_FILE = SAMPLE_DIR / "covtype_class3-4_after_row_20000.csv.gz"


def pytest_sessionstart(session: pytest.Session) -> None:
    """With MODELRACE_REQUIRE_SAMPLE=1 (as in CI) missing real rows fail the run instead of skipping tests."""
    if os.environ.get("MODELRACE_REQUIRE_SAMPLE") != "1":
        return
    for path, fix in ((SAMPLE_FILE, "reinstall modelrace: its bundled rows are missing"),
                      (CLASS34_FILE, "set MODELRACE_SAMPLE_DIR to the folder that holds it")):
        if not path.is_file():
            raise pytest.UsageError(f"the real Covertype rows {path} are missing and MODELRACE_REQUIRE_SAMPLE=1; {fix}")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty modelrace and scikit-learn data folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MODELRACE_HOME", str(home / "modelrace"))
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(home / "sklearn"))
    return home / "modelrace"


@pytest.fixture
def busy_machine() -> Iterator[None]:
    """One CPU-bound process per core, beside the test."""
    import psutil

    busy = "import time\nend = time.monotonic() + 60\nwhile time.monotonic() < end: pass\n"
    procs = [subprocess.Popen([sys.executable, "-c", busy]) for _ in range(psutil.cpu_count() or 1)]
    time.sleep(0.3)
    yield
    for proc in procs:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def sample_file() -> Path:
    """Path of the real 16,000-row Covertype sample (the file bundled with modelrace)."""
    assert SAMPLE_FILE.is_file(), f"the bundled rows are missing from the package: {SAMPLE_FILE}"
    return SAMPLE_FILE


@pytest.fixture(scope="session")
def saved_race(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``saved_race(*flags)``: race the real sample with the terminal, in a data home of its own; the result file.

    Each set of flags is raced once per session, and the modules that need the same saved race share it.
    """
    made: dict[tuple[str, ...], Path] = {}

    def race(*flags: str) -> Path:
        if flags not in made:
            from modelrace.gui.terminal.main import main

            folder = tmp_path_factory.mktemp("saved-race")
            path = folder / "result.json"
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("MODELRACE_HOME", str(folder / "home"))
                assert main(["race", "--data", str(sample_file), *flags, "--json", str(path)]) == 0
            made[flags] = path
        return made[flags]

    return race


@pytest.fixture(scope="session")
def grid_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A race grid on a LocalCluster of 2 workers: 2 seeds × 2 sizes, all three models, the quick preset.

    Raced once per session on the bundled rows (training sizes 1,000 and 2,000: 1,600 and 3,200 rows),
    with a listener that notes when every event arrived. Returns the settings, the result, the JSON
    path and the events.
    """
    from modelrace.models.cluster.grid import run_grid
    from modelrace.models.cluster.grid_plan import GridOptions
    from modelrace.models.cluster.events import CellFinished, CellStarted
    from modelrace.models.race.events import RaceEvent, Steps
    from modelrace.models.race.presets import load_preset
    from modelrace.models.race.settings import RaceSettings
    from modelrace.models.results.files import save_result

    events: list[tuple] = []

    def record(event: RaceEvent) -> None:
        if isinstance(event, CellStarted):
            events.append(("started", event.cell.key, time.monotonic(), event.attempt, event.worker))
        elif isinstance(event, Steps):
            events.append(("steps", event.cell.key, time.monotonic(), list(event.steps), event.delay))
        elif isinstance(event, CellFinished):
            events.append(("finished", event.cell.key, time.monotonic(), event.record["state"], None))

    path = tmp_path_factory.mktemp("grid") / "grid.json"
    settings = RaceSettings(preset=load_preset("quick"), repeats=2, sizes=(1000, 2000))
    result = run_grid(bundled.load(), settings, GridOptions(workers=2, threads=1), record,
                      save=lambda r: save_result(r, path))
    assert result is not None
    return {"settings": settings, "result": result, "path": path, "events": events}


@pytest.fixture(scope="session")
def class34_file() -> Path:
    """Path of the real class-3/4 rows after row 20,000 (in ../shared/data, not in the package)."""
    if not CLASS34_FILE.is_file():
        pytest.skip(f"real class-3/4 rows not found at {CLASS34_FILE} (set MODELRACE_SAMPLE_DIR)")
    return CLASS34_FILE


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


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``register(*specs, problems=[...])``: the registry holds these besides modelrace's own, for this test
    (their trainers bound as the registry binds a plugin's), and the lines of plugins it left out."""
    from modelrace.models.trainers import registry

    def add(*specs: Any, problems: tuple[str, ...] = ()) -> None:
        real = registry._REGISTRY
        monkeypatch.setattr(registry, "_REGISTRY", registry._Registry(
            specs={**real.specs, **{spec.key: spec for spec in specs}},
            colors={**real.colors, **{spec.key: "#999999" for spec in specs}},
            trainers={**real.trainers, **{spec.key: registry._bound_trainer(spec) for spec in specs}},
            problems=[*real.problems, *problems]))

    return add
