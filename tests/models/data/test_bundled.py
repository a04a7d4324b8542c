"""The 16,000 real rows inside the package: raced by default, read-only, verified, and named once."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data import bundled
from modelrace.models.data.cache import cached_names
from modelrace.models.data.opening import dataset_names, default_name, describe, open_dataset, remove_dataset
from modelrace.models.results.files import load_result
from modelrace.models.system.errors import DataError, ReadOnlyDataset
from modelrace.resources import bundled_data_dir


def test_the_bundled_rows_are_the_real_sample_with_their_credit() -> None:
    dataset = open_dataset(bundled.NAME)
    assert dataset.rows == 16_000 and dataset.X.shape == (16_000, 54) and dataset.classes == [str(c) for c in range(1, 8)]
    assert np.bincount(dataset.y).tolist() == [2377, 4788, 1736, 1723, 1914, 1754, 1708]  # as ../shared/data/README.md
    assert dataset.source_sha256 == bundled.SHA256 and dataset.kind == "covtype"
    assert "CC BY 4.0" in dataset.describe()["credit"]
    provenance = (bundled_data_dir() / "PROVENANCE.md").read_text()
    assert bundled.SHA256 in provenance and "CC BY 4.0" in provenance and "h2oai/h2o-3" in provenance
    with pytest.raises(ValueError):
        dataset.X[0, 0] = 1.0  # shared between opens, so read-only
    assert cached_names() == [], "it is read from the package, never copied into the cache"


def test_without_a_name_the_full_covtype_wins_when_cached(sample_file: Path) -> None:
    assert default_name() == bundled.NAME and open_dataset(None).name == bundled.NAME
    assert main(["data", "import", str(sample_file), "--name", "covtype"]) == 0
    assert default_name() == "covtype" and open_dataset(None).name == "covtype"
    assert dataset_names() == ["covtype", bundled.NAME]


def test_the_bundled_rows_cannot_be_removed_or_replaced(sample_file: Path, capsys) -> None:
    with pytest.raises(ReadOnlyDataset, match="read-only"):
        remove_dataset(bundled.NAME)
    assert main(["data", "remove", bundled.NAME]) == 2
    err = capsys.readouterr().err
    assert "bundled with modelrace" in err and "cannot be removed" in err and len(err.strip().splitlines()) == 1
    assert main(["data", "import", str(sample_file), "--name", bundled.NAME]) == 2
    assert "choose another --name" in capsys.readouterr().err
    assert describe(bundled.NAME)["read_only"] and open_dataset(bundled.NAME).rows == 16_000


def test_a_file_named_like_the_bundled_rows_is_imported_under_another_name(sample_file: Path, tmp_path: Path) -> None:
    copy = tmp_path / f"{bundled.NAME}.csv.gz"
    shutil.copy(sample_file, copy)
    imported = open_dataset(str(copy))
    assert imported.name != bundled.NAME and imported.name in cached_names()


def test_a_damaged_bundled_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    broken = tmp_path / bundled.FILE
    broken.write_bytes(bundled.path().read_bytes()[:50_000])
    monkeypatch.setattr(bundled, "path", lambda: broken)
    bundled._parsed.cache_clear()
    try:
        with pytest.raises(DataError, match="damaged.*reinstall modelrace"):
            bundled.load()
    finally:
        bundled._parsed.cache_clear()


def test_race_without_data_races_the_bundled_rows_and_says_so(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.json"
    assert main(["race", "--models", "rf", "--rows", "2000", "--preset", "quick", "--json", str(out)]) == 0
    printed = capsys.readouterr()
    assert "No --data given: racing covtype-16k" in printed.err and "bundled with modelrace" in printed.err
    result = load_result(out)
    assert result["dataset"]["name"] == bundled.NAME and result["dataset"]["total_rows"] == 16_000
    assert result["dataset"]["source_sha256"] == bundled.SHA256
