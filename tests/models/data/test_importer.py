"""Every import format on the real rows, and the cache they land in."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modelrace.models.data import covtype
from modelrace.models.data.cache import cached_names, load_cached
from modelrace.models.data.importing import import_file
from modelrace.models.data.opening import open_dataset
from modelrace.models.data.importer import read_table


def _uci_names(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_axis(covtype.UCI_FEATURES + [covtype.TARGET], axis=1)


def test_sklearn_named_csv_gz_is_covtype(sample_file: Path, sample_frame: pd.DataFrame) -> None:
    table = read_table(sample_file)
    assert table.kind == "covtype"
    assert table.X.shape == (16000, 54) and table.X.dtype == np.float32
    assert table.classes == [str(c) for c in range(1, 8)]
    assert np.array_equal(table.X[:, 0], sample_frame["Elevation"].to_numpy(np.float32))
    # codes 0..6 map back to the file's labels 1..7
    assert np.array_equal(table.y + 1, sample_frame["Cover_Type"].to_numpy())
    assert "scikit-learn" in table.format


@pytest.mark.parametrize("name", ["covtype.data", "covtype.data.gz"])
def test_uci_headerless(tmp_path: Path, small_frame: pd.DataFrame, write_uci, name: str) -> None:
    path = write_uci(small_frame, tmp_path / name)
    table = read_table(path)
    assert table.kind == "covtype" and "UCI" in table.format
    assert table.X.shape == (2000, 54)
    assert np.array_equal(table.X, small_frame.iloc[:, :54].to_numpy(np.float32))


def test_uci_column_names(tmp_path: Path, small_frame: pd.DataFrame) -> None:
    path = tmp_path / "uci_names.csv"
    _uci_names(small_frame).to_csv(path, index=False)
    table = read_table(path)
    assert table.kind == "covtype" and "UCI" in table.format
    assert np.array_equal(table.X, small_frame.iloc[:, :54].to_numpy(np.float32))


def test_kaggle_csv_drops_id(tmp_path: Path, small_frame: pd.DataFrame) -> None:
    kaggle = _uci_names(small_frame)
    kaggle.insert(0, "Id", np.arange(1, len(kaggle) + 1))
    path = tmp_path / "train.csv"
    kaggle.to_csv(path, index=False)
    table = read_table(path)
    assert table.kind == "covtype" and "Kaggle" in table.format
    assert table.X.shape == (2000, 54)
    assert "Id" not in table.feature_names
    assert np.array_equal(table.X, small_frame.iloc[:, :54].to_numpy(np.float32))


def test_same_rows_same_hash_whatever_the_format(tmp_path: Path, small_frame: pd.DataFrame, write_uci) -> None:
    csv_path = tmp_path / "rows.csv"
    small_frame.to_csv(csv_path, index=False)
    a = import_file(csv_path, name="a")
    b = import_file(write_uci(small_frame, tmp_path / "covtype.data.gz"), name="b")
    assert a.sha256 == b.sha256
    assert a.source_sha256 != b.source_sha256


def test_generic_csv_with_target(tmp_path: Path, small_frame: pd.DataFrame) -> None:
    # Any table: a few real columns, a text label, semicolons and a BOM.
    frame = small_frame[["Elevation", "Slope", "Hillshade_9am"]].copy()
    frame["cover"] = small_frame["Cover_Type"].map(covtype.CLASS_NAMES)
    path = tmp_path / "any.csv"
    path.write_text("\ufeff" + frame.to_csv(index=False, sep=";"), encoding="utf-8")
    table = read_table(path, target="cover")
    assert table.kind == "table"
    assert table.feature_names == ["Elevation", "Slope", "Hillshade_9am"]
    assert set(table.classes) == set(frame["cover"])
    decoded = np.array(table.classes, dtype=object)[table.y]
    assert list(decoded) == list(frame["cover"])


def test_covtype_with_explicit_target_is_still_covtype(sample_file: Path) -> None:
    assert read_table(sample_file, target="Cover_Type").kind == "covtype"


def test_class34_file_keeps_only_its_classes(class34_file: Path) -> None:
    table = read_table(class34_file)
    assert table.classes == ["3", "4"]
    assert table.notes and "do not occur" in table.notes[0]


def test_blank_lines_are_ignored_and_crlf_works(tmp_path: Path, small_frame: pd.DataFrame) -> None:
    text = small_frame.head(50).to_csv(index=False).replace("\n", "\r\n")
    path = tmp_path / "crlf.csv"
    path.write_text(text + "\r\n\r\n", newline="")
    assert read_table(path).X.shape == (50, 54)


def test_cache_reload_is_at_least_10x_faster_than_parsing(sample_file: Path) -> None:
    """Side by side in one run: parse the CSV again vs load the cached arrays (medians of 5)."""
    dataset = open_dataset(str(sample_file))
    parse, load = [], []
    for _ in range(5):
        start = time.perf_counter()
        read_table(sample_file)
        parse.append(time.perf_counter() - start)
        start = time.perf_counter()
        again = load_cached(dataset.name)
        load.append(time.perf_counter() - start)
    assert np.array_equal(again.X, dataset.X)
    ratio = float(np.median(parse) / np.median(load))
    assert ratio >= 10, f"cache reload only {ratio:.1f}x faster than parsing"


def test_path_is_imported_once_then_loaded_from_cache(sample_file: Path) -> None:
    first = open_dataset(str(sample_file))
    assert cached_names() == [first.name]
    second = open_dataset(str(sample_file))
    assert second.sha256 == first.sha256
    assert cached_names() == [first.name]
    assert open_dataset(first.name).sha256 == first.sha256


def test_damaged_cache_entry_is_reported_and_rebuilt_from_its_file(sample_file: Path, isolated_home: Path) -> None:
    from modelrace.models.system.errors import DataError

    dataset = open_dataset(str(sample_file))
    x_path = isolated_home / "datasets" / dataset.name / "X.npy"
    x_path.write_bytes(x_path.read_bytes()[:1000])  # truncated, as by a crash or full disk
    with pytest.raises(DataError, match="damaged"):
        load_cached(dataset.name)
    rebuilt = open_dataset(str(sample_file))  # naming the file again rebuilds the entry
    assert rebuilt.sha256 == dataset.sha256
    assert load_cached(dataset.name).rows == 16000
