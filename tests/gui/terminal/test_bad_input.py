"""Every bad input ends with exit status 2 and one clear line naming the file, line or column and the fix.

No traceback, and no cache entry (complete or partial) is left behind.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pandas as pd
import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data.opening import open_dataset
from modelrace.models.system.errors import DataError
from modelrace.models.system.paths import datasets_dir


def run_cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.err


def assert_clean_failure(code: int, err: str, *fragments: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1, f"expected one line, got: {err!r}"
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    leftovers = list(datasets_dir().iterdir()) if datasets_dir().exists() else []
    assert leftovers == [], f"cache left behind: {leftovers}"


@pytest.fixture
def csv_text(small_frame: pd.DataFrame) -> str:
    return small_frame.head(40).to_csv(index=False)


def test_empty_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "empty")


def test_directory(tmp_path: Path, capsys) -> None:
    code, err = run_cli(capsys, "data", "import", str(tmp_path))
    assert_clean_failure(code, err, str(tmp_path), "folder")


def test_directory_as_race_data(tmp_path: Path, capsys) -> None:
    code, err = run_cli(capsys, "race", "--data", str(tmp_path))
    assert_clean_failure(code, err, "folder")


def test_truncated_gzip(tmp_path: Path, sample_file: Path, capsys) -> None:
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(sample_file.read_bytes()[:60_000])
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "truncated or corrupt", "again")


def test_wrong_column_count_extra_value(tmp_path: Path, csv_text: str, capsys) -> None:
    lines = csv_text.splitlines()
    lines[7] += ",99"
    path = tmp_path / "extra.csv"
    path.write_text("\n".join(lines) + "\n")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "line 8", "56 values", "55")


def test_wrong_column_count_missing_values(tmp_path: Path, csv_text: str, capsys) -> None:
    lines = csv_text.splitlines()
    lines[12] = ",".join(lines[12].split(",")[:50])
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines) + "\n")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "line 13", "50 values")


def test_headerless_wrong_column_count(tmp_path: Path, capsys) -> None:
    path = tmp_path / "covtype.data"
    path.write_text("1,2,3\n4,5,6\n")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "line 1", "3 values", "--target")


def test_non_numeric_cell(tmp_path: Path, csv_text: str, capsys) -> None:
    lines = csv_text.splitlines()
    cells = lines[5].split(",")
    cells[2] = "steep"
    lines[5] = ",".join(cells)
    path = tmp_path / "text.csv"
    path.write_text("\n".join(lines) + "\n")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "line 6", "'Slope'", "'steep'", "not a number")


def test_covtype_label_out_of_range(tmp_path: Path, small_frame: pd.DataFrame, capsys) -> None:
    frame = small_frame.head(40).copy()
    frame.iloc[9, -1] = 9
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "line 11", "Cover_Type", "1..7")


def test_missing_target_column(tmp_path: Path, tiny_table, capsys) -> None:
    path = tmp_path / "table.csv"
    tiny_table().to_csv(path, index=False)
    code, err = run_cli(capsys, "data", "import", str(path), "--target", "species")
    assert_clean_failure(code, err, str(path), "'species'", "label", "--target")


def test_generic_table_without_target(tmp_path: Path, tiny_table, capsys) -> None:
    path = tmp_path / "table.csv"
    tiny_table().to_csv(path, index=False)
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "not Covertype", "--target")


def test_fewer_than_two_classes(tmp_path: Path, tiny_table, capsys) -> None:
    frame = tiny_table()
    frame["label"] = "same"
    path = tmp_path / "one_class.csv"
    frame.to_csv(path, index=False)
    code, err = run_cli(capsys, "data", "import", str(path), "--target", "label")
    assert_clean_failure(code, err, str(path), "only one class", "at least 2")


def test_rows_larger_than_data(sample_file: Path, capsys) -> None:
    code, err = run_cli(capsys, "race", "--data", str(sample_file), "--rows", "50000")
    assert code == 2 and "--rows 50000" in err and "16,000" in err and "Traceback" not in err


@pytest.mark.parametrize("rows, words", [("10", "too small"), ("30", "too few to split")])
def test_rows_too_small(sample_file: Path, capsys, rows: str, words: str) -> None:
    code, err = run_cli(capsys, "race", "--data", str(sample_file), "--rows", rows)
    assert code == 2 and words in err and "at least" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_preset(sample_file: Path, capsys) -> None:
    code, err = run_cli(capsys, "race", "--data", str(sample_file), "--preset", "turbo")
    assert_clean_failure(code, err, "unknown preset 'turbo'", "tutorial")


def test_unknown_model(sample_file: Path, capsys) -> None:
    code, err = run_cli(capsys, "race", "--data", str(sample_file), "--models", "mlp,svm")
    assert_clean_failure(code, err, "unknown model 'svm'", "mlp, rf, xgb")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; covered by the missing-folder case")
def test_unwritable_json_readonly_folder(tmp_path: Path, sample_file: Path, capsys) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    code, err = run_cli(capsys, "race", "--data", str(sample_file), "--json", str(folder / "out.json"))
    assert_clean_failure(code, err, "cannot write")


@pytest.mark.parametrize("where", ["missing/out.json", "."])
def test_unwritable_json_path(tmp_path: Path, sample_file: Path, capsys, where: str) -> None:
    target = tmp_path / where
    code, err = run_cli(capsys, "race", "--data", str(sample_file), "--json", str(target))
    assert_clean_failure(code, err, str(target))


def test_unwritable_json_on_read_only_file_system(sample_file: Path, capsys) -> None:
    target = Path("/proc/modelrace-out.json")  # writable by nobody, root included
    code, err = run_cli(capsys, "race", "--data", str(sample_file), "--json", str(target))
    assert_clean_failure(code, err, str(target), "cannot write")


def test_missing_file(tmp_path: Path, capsys) -> None:
    code, err = run_cli(capsys, "race", "--data", str(tmp_path / "nope.csv"))
    assert_clean_failure(code, err, "nope.csv", "no such file")


def test_unknown_cached_name(capsys) -> None:
    code, err = run_cli(capsys, "race", "--data", "forest")
    assert_clean_failure(code, err, "no dataset named 'forest'", "data import")


def test_random_bytes(tmp_path: Path, capsys) -> None:
    path = tmp_path / "noise.csv"
    path.write_bytes(os.urandom(5000))
    code, err = run_cli(capsys, "data", "import", str(path))
    assert code == 2 and str(path) in err and "Traceback" not in err


def test_gzip_of_garbage_header_only(tmp_path: Path, capsys) -> None:
    path = tmp_path / "header.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("Elevation,Aspect,Slope\n")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert code == 2 and str(path) in err


def test_row_missing_only_its_label(tmp_path: Path, csv_text: str, capsys) -> None:
    lines = csv_text.splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0]
    path = tmp_path / "nolabel.csv"
    path.write_text("\n".join(lines) + "\n")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "line 4", "54 values", "55")


def test_empty_cell_inside_a_row(tmp_path: Path, csv_text: str, capsys) -> None:
    lines = csv_text.splitlines()
    cells = lines[2].split(",")
    cells[1] = ""
    lines[2] = ",".join(cells)
    path = tmp_path / "hole.csv"
    path.write_text("\n".join(lines) + "\n")
    code, err = run_cli(capsys, "data", "import", str(path))
    assert_clean_failure(code, err, str(path), "line 3", "'Aspect'", "empty")


def test_rows_longer_than_the_header(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("a,b,label\n1,2,3,x\n4,5,6,y\n")
    with pytest.raises(DataError, match=r"wide.csv: the data rows have more values than the 3 columns named on line 1"):
        open_dataset(str(path), target="label")


def test_integer_beyond_64_bits_is_reported_as_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("a,b,label\n" + "9" * 40 + ",2,x\n4,5,y\n")
    with pytest.raises(DataError, match=r"huge.csv: line 2, column 'a': .* too large or not finite"):
        open_dataset(str(path), target="label")


def test_control_characters_in_a_file_name_keep_the_message_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines.csv"
    path.write_bytes(b"")
    with pytest.raises(DataError) as caught:
        open_dataset(str(path))
    assert "\n" not in str(caught.value) and "two\\nlines.csv" in str(caught.value)
