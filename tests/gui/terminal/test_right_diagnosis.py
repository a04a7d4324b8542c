"""Each mistake gets its own diagnosis in modelrace's words: seeds, targets, label columns, sample sizes, and the
small wording faults (numpy reprs, pandas' column names, rounding, flags never typed, split lines)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.judging.verdict import judge


def one_line_error(capsys, *args: str) -> str:
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    if err.startswith("No --data given"):  # the note on the data (over lines of 80 columns) comes first
        err = err[err.index("\nmodelrace: ") + 1:]
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("seed", ["-1", "-4294967296", str(2**32), str(2**70)])
def test_an_out_of_range_seed_is_said_to_be_out_of_range(seed: str, capsys) -> None:
    line = one_line_error(capsys, "race", "--preset", "tutorial", "--models", "rf", "--seed", seed)
    assert f"--seed {seed} is out of range" in line and "4,294,967,295" in line and "class" not in line


def test_a_seed_that_repeats_would_carry_out_of_range(capsys) -> None:
    line = one_line_error(capsys, "race", "--models", "rf", "--seed", str(2**32 - 2), "--repeats", "5")
    assert "would need seeds up to 4,294,967,298" in line and "at most 4,294,967,291" in line


@pytest.mark.parametrize("seed", ["-3", "4294967296", "1.5", "true"])
def test_a_preset_seed_out_of_range(tmp_path: Path, seed: str, capsys) -> None:
    preset = tmp_path / "p.toml"
    preset.write_text(f"[split]\nseed = {seed}\n")
    line = one_line_error(capsys, "race", "--preset", str(preset), "--models", "rf")
    assert "[split]" in line and "seed" in line


@pytest.mark.parametrize("value, words", [("1.5", "did you mean 1.5%"), ("85", "did you mean 85%"), ("1", "ambiguous"),
                                          ("100", "did you mean 100%"), ("150", "not an accuracy"), ("101%", "not an accuracy")])
def test_an_ambiguous_target_is_refused_with_both_forms(value: str, words: str, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["race", f"--target={value}"])
    err = capsys.readouterr().err
    assert words in err and "0.85" in err and "85%" in err


@pytest.mark.parametrize("value, expected", [("0.85", 0.85), ("85%", 0.85), ("100%", 1.0), ("0.5%", 0.005), (" 42 % ", 0.42)])
def test_fractions_and_percentages_are_read_as_written(value: str, expected: float) -> None:
    from modelrace.gui.terminal.parser import build_parser

    args = build_parser().parse_args(["race", f"--target={value}"])
    assert args.target == pytest.approx(expected)


@pytest.mark.parametrize("relabel", [lambda v: v - 1, lambda v: f"kind {v}", lambda v: {1: "spruce"}.get(v, f"other{v}")])
def test_an_explicit_label_column_takes_the_generic_path(small_frame: pd.DataFrame, tmp_path: Path, relabel, capsys) -> None:
    frame = small_frame.head(400).copy()
    frame["Cover_Type"] = frame["Cover_Type"].map(relabel)
    path = tmp_path / "relabelled.csv"
    frame.to_csv(path, index=False)
    assert main(["data", "import", str(path), "--target", "Cover_Type"]) == 0
    assert "CSV table" in capsys.readouterr().out


def test_a_real_covtype_file_with_its_label_column_named_stays_covertype(small_frame: pd.DataFrame, tmp_path: Path,
                                                                        capsys) -> None:
    path = tmp_path / "plain.csv"
    small_frame.head(400).to_csv(path, index=False)
    assert main(["data", "import", str(path), "--target", "Cover_Type"]) == 0
    assert "Covertype CSV" in capsys.readouterr().out


@pytest.mark.parametrize("total, rows", [(3000, 2995), (3000, 2999), (16_000, 15_999)])
def test_a_sample_close_to_all_rows_says_what_is_possible(small_frame, sample_file: Path, tmp_path: Path, total: int,
                                                          rows: int, capsys) -> None:
    data = str(sample_file)
    if total != 16_000:
        path = tmp_path / "part.csv"
        pd.read_csv(sample_file).head(total).to_csv(path, index=False)
        data = str(path)
    line = one_line_error(capsys, "race", "--data", data, "--models", "rf", "--rows", str(rows))
    assert f"--rows {rows} of {total:,}" in line and f"at most {total - 7:,}" in line and "all" in line
    assert "test_size" not in line and "train_size" not in line and "should be" not in line  # scikit-learn's words


@pytest.mark.parametrize("size, words", [("5", "at least 28"), ("1", "at least 28"), ("10239", "at most")])
def test_sizes_are_diagnosed_as_sizes(size: str, words: str, capsys) -> None:
    line = one_line_error(capsys, "race", "--models", "rf", "--sizes", f"2000,{size}")
    assert f"--sizes {size}:" in line and words in line and "--rows" not in line


@pytest.mark.parametrize("cell", ["1e400", "inf", "-inf", "Infinity"])
def test_a_huge_or_infinite_cell_is_shown_as_written_not_as_numpy(tmp_path: Path, cell: str, capsys) -> None:
    path = tmp_path / "big.csv"
    path.write_text(f"a,b,label\n{cell},2,x\n4,5,y\n")
    line = one_line_error(capsys, "data", "import", str(path), "--target", "label")
    assert "np.float64" not in line and "line 2, column 'a'" in line and "inf'" in line


def test_a_trailing_separator_is_not_a_column(small_frame: pd.DataFrame, tmp_path: Path, capsys) -> None:
    text = small_frame.head(300).to_csv(index=False)
    path = tmp_path / "trailing.csv"
    path.write_text("".join(line + ",\n" for line in text.splitlines()))
    assert main(["data", "import", str(path)]) == 0
    assert "54 features" in capsys.readouterr().out
    filled = tmp_path / "filled.csv"
    filled.write_text("".join(line + (",9\n" if i else ",\n") for i, line in enumerate(text.splitlines())))
    line = one_line_error(capsys, "data", "import", str(filled))
    assert "Unnamed" not in line and "column 56 (no name)" in line


@pytest.mark.parametrize("best, target", [(0.74436, 0.7444), (0.8349, 0.835), (0.699999, 0.7)])
def test_a_best_just_under_the_target_shows_the_digits_that_differ(best: float, target: float) -> None:
    curve = [{"t": 0.5, "step": 1, "unit": "epoch", "val_accuracy": best - 0.01, "val_loss": 1.0},
             {"t": 1.0, "step": 2, "unit": "epoch", "val_accuracy": best, "val_loss": 0.9}]
    models = {"mlp": {"status": "finished", "curve": curve}}
    text = judge(models, target)["text"]
    shown = text.split("(best ")[1].split(")")[0]
    best_text, target_text = shown.split(", just under the ")
    assert best_text != target_text.removesuffix(" target"), text


def test_success_messages_stay_on_one_line_whatever_the_file_name(sample_file: Path, tmp_path: Path, capsys) -> None:
    odd = tmp_path / "two\nlines"
    odd.mkdir()
    out, report = odd / "r\n.json", odd / "r\r.html"
    assert main(["race", "--data", str(sample_file), "--models", "rf", "--rows", "2000", "--json", str(out),
                 "--report", str(report)]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    written = " ".join(line.strip() for line in lines[max(i for i, line in enumerate(lines) if line.startswith("Wrote")):])
    assert written.startswith("Wrote r\\n.json and r\\r.html in ") and written.endswith("two\\nlines.")
    assert "\r" not in printed and not any(line.startswith(("lines", ".json")) for line in lines)
    assert out.exists() and report.exists()
