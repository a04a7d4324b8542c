"""Workshop kits: the portable data file, packing (again), the CLI check and the window's Help check."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data.cache import cached_names, load_cached, remove_cached
from modelrace.models.system.errors import DataError
from modelrace.models.data.kit_file import export_dataset, read_kit_file
from modelrace.models.results.files import load_result


@pytest.fixture
def covtype(sample_file: Path) -> str:
    """The real sample, cached under the name 'covtype' (as `modelrace data fetch` would leave it)."""
    assert main(["data", "import", str(sample_file), "--name", "covtype"]) == 0
    return "covtype"


@pytest.fixture
def result_file(covtype: str, tmp_path: Path) -> Path:
    path = tmp_path / "lesson-race.json"
    assert main(["race", "--data", covtype, "--preset", "quick", "--models", "rf,xgb", "--rows", "2000",
                 "--json", str(path)]) == 0
    return path


def test_kit_data_file_round_trip_and_tampering(covtype: str, tmp_path: Path) -> None:
    dataset = load_cached(covtype)
    path = tmp_path / "covtype.modelrace.npz"
    export_dataset(dataset, path)
    assert path.stat().st_size < dataset.X.nbytes / 5, "the kit's copy is compressed"
    again = read_kit_file(path)
    assert np.array_equal(again.X, dataset.X) and np.array_equal(again.y, dataset.y)
    assert again.sha256 == dataset.sha256 and again.classes == dataset.classes

    with np.load(path, allow_pickle=False) as archive:  # one feature value changed, checksum kept
        X, y, meta = archive["X"].copy(), archive["y"], archive["meta"]
    X[5, 3] += 1
    tampered = tmp_path / "tampered.modelrace.npz"
    np.savez_compressed(tampered, X=X, y=y, meta=meta)
    with pytest.raises(DataError, match=r"tampered.modelrace.npz: the kit data file is damaged \(its rows do not match"):
        read_kit_file(tampered)
    cut = tmp_path / "cut.modelrace.npz"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DataError, match=r"cut.modelrace.npz: the kit data file is damaged or incomplete"):
        read_kit_file(cut)
    pickled = tmp_path / "pickled.modelrace.npz"  # every part present, but y holds Python objects
    np.savez(pickled, X=X, y=np.array([object()] * len(y), dtype=object), meta=meta, allow_pickle=True)
    with pytest.raises(DataError, match=r"pickled.modelrace.npz: the kit data file is damaged or incomplete \(.*pickle"):
        read_kit_file(pickled)
    broken = tmp_path / "broken.modelrace.npz"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("X.npy", b"\x93NUMPY")
    with pytest.raises(DataError, match="broken.modelrace.npz: not a modelrace kit data file"):
        read_kit_file(broken)


def test_pack_without_wheels_then_again_updates_in_place(covtype: str, result_file: Path, tmp_path: Path,
                                                          capsys) -> None:
    kit = tmp_path / "kit"
    assert main(["workshop", "pack", str(kit), "--no-wheels", "--results", str(result_file)]) == 0
    out = capsys.readouterr().out
    assert "Kit ready in" in out and "MB" in out
    manifest = json.loads((kit / "kit.json").read_text())
    assert [d["name"] for d in manifest["datasets"]] == ["covtype"]
    assert sorted(manifest["presets"]) == ["quick.toml", "strong.toml", "tutorial.toml"]
    assert manifest["results"] == ["lesson-race.json"]
    load_result(kit / "results" / "lesson-race.json")
    guide = (kit / "STUDENTS.md").read_text()
    assert "pip install --no-index --find-links wheelhouse" in guide
    assert "modelrace data import data/covtype.modelrace.npz" in guide and "workshop check" in guide
    data_file = kit / "data" / "covtype.modelrace.npz"
    written = data_file.stat().st_mtime_ns

    assert main(["workshop", "pack", str(kit), "--no-wheels"]) == 0  # again: nothing duplicated or rewritten
    assert "unchanged" in capsys.readouterr().out
    assert data_file.stat().st_mtime_ns == written
    assert sorted(p.name for p in (kit / "data").iterdir()) == ["covtype.modelrace.npz"]
    assert sorted(p.name for p in (kit / "results").iterdir()) == ["lesson-race.json"]

    assert main(["data", "import", str(data_file), "--name", "lesson"]) == 0
    assert main(["workshop", "pack", str(kit), "--no-wheels", "--dataset", "lesson"]) == 0
    assert sorted(p.name for p in (kit / "data").iterdir()) == ["lesson.modelrace.npz"]


def test_data_import_accepts_the_kit_file_and_the_kit_folder(covtype: str, tmp_path: Path, capsys) -> None:
    kit = tmp_path / "kit"
    assert main(["workshop", "pack", str(kit), "--no-wheels"]) == 0
    original = load_cached(covtype)
    remove_cached(covtype)
    assert main(["data", "import", str(kit / "data" / "covtype.modelrace.npz")]) == 0
    assert load_cached("covtype").sha256 == original.sha256
    remove_cached(covtype)
    assert main(["data", "import", str(kit)]) == 0
    assert "checksum verified" in capsys.readouterr().out and cached_names() == ["covtype"]
    assert main(["data", "import", str(tmp_path)]) == 2
    assert "no workshop kit data here" in capsys.readouterr().err


def test_check_fails_with_fixes_then_passes(covtype: str, tmp_path: Path, capsys) -> None:
    kit = tmp_path / "kit"
    assert main(["workshop", "pack", str(kit), "--no-wheels"]) == 0
    remove_cached(covtype)
    capsys.readouterr()
    assert main(["workshop", "check", "--kit", str(kit), "--no-window"]) == 1
    out = capsys.readouterr().out
    assert "PASS  packages" in out and "PASS  keras backend" in out
    assert "FAIL  data" in out and f"fix: modelrace data import {kit / 'data' / 'covtype.modelrace.npz'}" in out
    assert "FAIL  mini race" in out and "1 check(s) failed" not in out and "check(s) failed" in out
    assert main(["data", "import", str(kit / "data" / "covtype.modelrace.npz")]) == 0
    capsys.readouterr()
    assert main(["workshop", "check", "--kit", str(kit)]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS") == 5 and "FAIL" not in out and "ready for class" in out


def test_window_imports_from_a_kit_and_runs_the_check(qtbot, covtype: str, tmp_path: Path) -> None:
    from modelrace.gui.window.main_window import MainWindow
    from modelrace.gui.window.window_settings import settings_store

    kit = tmp_path / "kit"
    assert main(["workshop", "pack", str(kit), "--no-wheels"]) == 0
    remove_cached(covtype)
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.dataset_panel.datasetsChanged, timeout=30_000):
        win.dataset_panel.import_kit(kit)
    assert win.dataset_panel.selected() == "covtype"
    assert settings_store().value("kit_folder") == str(kit)
    dialog = win.workshop_check()
    qtbot.waitUntil(lambda: dialog.again.isEnabled(), timeout=180_000)
    text = dialog.output.toPlainText()
    assert [(r.name, r.ok) for r in dialog.results] == [("packages", True), ("keras backend", True), ("data", True),
                                                        ("window", True), ("mini race", True)], text
    assert "PASS  window: this window is open" in text and "PASS  mini race" in text
    assert dialog.summary.text() == "All checks passed: ready for class."
    dialog.close()


def test_foreign_targets_get_their_own_dependency_list() -> None:
    from modelrace.models.workshop import wheel_targets
    requirements = ["xgboost>=2.0", "jsonschema>=4.18", 'jax>=0.4.30; extra == "jax"', "pytest; extra == 'test'"]
    here = wheel_targets.here()
    linux = wheel_targets.closure(requirements, [], wheel_targets.target_environment("manylinux2014_x86_64", None, here))
    windows = wheel_targets.closure(requirements, [], wheel_targets.target_environment("win_amd64", "3.12", here))
    names = lambda c: {p.split("==")[0].lower() for p in c.pinned}  # noqa: E731
    assert "nvidia-nccl-cu12" in names(linux), "xgboost needs NCCL on Linux"
    assert "nvidia-nccl-cu12" not in names(windows), "but not on Windows (pip download --platform gets this wrong)"
    assert {"xgboost", "jsonschema", "numpy", "scipy"} <= names(windows)
    assert "jax" not in names(windows) and "pytest" not in names(windows), "extras only when asked for"
    with_jax = wheel_targets.closure(requirements, ["jax"], wheel_targets.target_environment("win_amd64", None, here))
    assert "jax" in names(with_jax)
    assert all(p.count("==") == 1 for p in windows.pinned), "pinned to the versions installed here"
    with pytest.raises(ValueError, match="unknown platform tag 'amiga'"):
        wheel_targets.target_environment("amiga", None, here)


def test_a_kit_file_named_again_loads_from_the_cache(covtype: str, tmp_path: Path) -> None:
    from modelrace.models.data.opening import open_dataset

    kit = tmp_path / "kit"
    assert main(["workshop", "pack", str(kit), "--no-wheels"]) == 0
    remove_cached(covtype)
    path = kit / "data" / "covtype.modelrace.npz"
    first = open_dataset(str(path))
    assert first.name == "covtype" and first.source == str(path.resolve())
    assert any("workshop kit" in note for note in first.notes)
    from modelrace.models.system.paths import datasets_dir

    meta = datasets_dir() / "covtype" / "meta.json"
    written = meta.stat().st_mtime_ns
    again = open_dataset(str(path))
    assert again.sha256 == first.sha256 and cached_names() == ["covtype"]
    assert meta.stat().st_mtime_ns == written, "the second open read the cache instead of importing again"


def test_pack_and_check_mistakes_get_one_line_messages(covtype: str, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["workshop", "pack", str(blocker / "kit"), "--no-wheels"]) == 2
    err = capsys.readouterr().err
    assert "cannot create the kit folder" in err and len(err.strip().splitlines()) == 1
    kit = tmp_path / "kit"
    assert main(["workshop", "pack", str(kit), "--no-wheels", "--preset", "quick"]) == 0, "a built-in preset name"
    (kit / "kit.json").write_text('{"datasets": [{"name": 3}]}')
    capsys.readouterr()
    assert main(["workshop", "check", "--kit", str(kit), "--no-window"]) == 2
    err = capsys.readouterr().err
    assert "kit.json: damaged" in err and "Traceback" not in err
    assert main(["workshop", "pack", str(kit), "--no-wheels"]) == 0, "packing again repairs it"
    assert "writing a new one" in capsys.readouterr().out
    assert json.loads((kit / "kit.json").read_text())["datasets"][0]["name"] == "covtype"
    odd = tmp_path / "odd.modelrace.npz"
    np.savez(odd, X=np.zeros((1, 1), np.float32), y=np.zeros(1, np.int32), meta=np.array("[1, 2]"))
    assert main(["data", "import", str(odd)]) == 2
    assert "its description is not an object" in capsys.readouterr().err


def test_a_pooled_thread_does_not_sink_further_with_each_job() -> None:
    import os
    import threading

    from modelrace.models.system.thread_priority import lower_thread_priority

    levels = []

    def job() -> None:
        for _ in range(3):
            lower_thread_priority(5)
            levels.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    worker = threading.Thread(target=job)
    worker.start()
    worker.join()
    base = os.getpriority(os.PRIO_PROCESS, os.getpid())
    assert levels == [min(19, base + 5)] * 3


def test_the_check_names_dask_when_it_is_missing(monkeypatch) -> None:
    """Dask is checked as installed, not imported: only a race grid loads it."""
    import importlib.util
    import sys

    from modelrace.models.workshop.check import check_packages

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    result = check_packages("reinstall")
    assert not result.ok and "distributed (not installed)" in result.detail and result.fix == "reinstall"
    monkeypatch.setattr(importlib.util, "find_spec", real)
    loaded = "distributed" in sys.modules
    assert check_packages("reinstall").ok
    assert ("distributed" in sys.modules) == loaded, "checking did not import Dask"
