"""The terminal at 80×24: every line fits 80 columns, no number leaves its unit, and the last screen holds the answer.

Real races go through ``modelrace race`` twice: with a terminal (rich, COLUMNS=80) and into a pipe
(plain), each with the progress and the summary in one stream, in the order a terminal shows them.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from modelrace.gui.terminal.layout import Table, fit_widths, laid_out, wrap
from modelrace.gui.terminal.main import main
from modelrace.gui.terminal.outputs import written_line
from modelrace.models.output.csv_export import CSV_FILES
from modelrace.gui.terminal.summary import evidence, print_summary, results_table, target_line
from modelrace.models.judging.headline import headline
from modelrace.models.results.files import load_result
from modelrace.models.system.formatting import NBSP

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: Words that follow a number as its unit; a line that ends in a number must not hand one to the next line.
UNITS = r"(s|min|points|MB|KB|GB|B|rows|seeds?|epochs?|trees?|rounds?|classes|train|validation|test)"
#: The lines of an 80×24 terminal that the summary may use: one is left for the shell's prompt after it.
SCREEN = 23


class Terminal(io.StringIO):
    """A stream that says it is a terminal (rich then draws to it)."""

    def isatty(self) -> bool:
        return True

    def close(self) -> None:  # the progress closes a private stream: keep this one readable
        pass


def screen_lines(text: str) -> list[str]:
    """What the terminal shows, line by line: escape codes dropped, carriage returns as line ends."""
    lines = [line.rstrip() for line in re.split(r"\r\n|\r|\n", ANSI.sub("", text))]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def joined_pairs(texts: list[str]) -> set[str]:
    """Every run of words joined by no-break spaces in ``texts`` ('0.16 s', 'p = 0.39,'), written with plain spaces."""
    return {match.replace(NBSP, " ") for text in texts for match in re.findall(rf"\S+(?:{NBSP}\S+)+", text)}


def check_screen(lines: list[str], result: dict) -> None:
    """Every line fits; nothing the result joins is split; the results table and the headline are on the last screen."""
    too_wide = [line for line in lines if cell_len(line) > 80]
    assert not too_wide, "\n".join(too_wide)
    for line, following in zip(lines, lines[1:]):
        assert not (re.search(r"\d$", line) and re.match(rf"\s*{UNITS}\b", following)), f"split:\n{line}\n{following}"
        assert not (re.search(r"\d,\d*$", line) and re.match(r"\s*\d", following)), f"a number split:\n{line}\n{following}"
    sources = [headline(result), result["verdict"]["text"], target_line(result)]
    for table in [*evidence(result), results_table(result)]:
        sources += [table.title, *table.head, *(cell for row in table.rows for cell in row)]
    squeezed = [re.sub(r" +", " ", line) for line in lines]
    missing = [pair for pair in joined_pairs(sources) if not any(pair in line for line in squeezed)]
    assert not missing, f"split from their units: {missing}"
    last = lines[-SCREEN:]
    title = wrap(results_table(result).title, 80)[0]
    assert any(line.startswith(title) for line in last), "the results table scrolled away:\n" + "\n".join(last)
    start = next(i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith(title))
    shown = " ".join(" ".join(lines[start:]).replace("│", " ").split())
    assert " ".join(headline(result).replace(NBSP, " ").split()) in shown, "the headline on the last screen"
    for label in ("RandomForest", "XGBoost"):
        assert label in shown


def race(argv: list[str], stream: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run ``modelrace race`` with stdout and stderr both going to ``stream``; the lines it shows."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setattr(sys, "stderr", stream)
    code = main(["race", "--preset", "quick", "--rows", "2000", *argv])
    monkeypatch.undo()
    assert code == 0, stream.getvalue()[-3000:]
    return screen_lines(stream.getvalue())


@pytest.mark.parametrize("stream", [Terminal, io.StringIO], ids=["terminal", "pipe"])
def test_a_race_of_the_forests_fits_80_columns(stream: type, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "r.json"
    lines = race(["--models", "rf,xgb", "--json", str(out), "--report", str(tmp_path / "r.html"),
                  "--csv", str(tmp_path / "csv")], stream(), monkeypatch)
    check_screen(lines, load_result(out))
    assert lines[0].startswith("No --data given") and len(lines[1]) > 40, "the opening sentence is cut into lines"
    start = max(i for i, line in enumerate(lines) if line.startswith("Wrote"))
    wrote = " ".join(line.strip() for line in lines[start:] if line)
    assert wrote == f"Wrote r.json, r.html and csv/ (4 CSV files) in {tmp_path}.", "one sentence, the last words"
    assert ("╭─ Verdict" in "\n".join(lines)) == (stream is Terminal)


@pytest.fixture(scope="module")
def mlp_race(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict]:
    """A race of all three models over 2 seeds, drawn on an 80-column terminal: what it shows, and its result."""
    folder = tmp_path_factory.mktemp("mlp-80")
    out = folder / "r.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODELRACE_HOME", str(folder / "home"))
        lines = race(["--models", "mlp,rf,xgb", "--repeats", "2", "--json", str(out)], Terminal(), patch)
    return lines, load_result(out)


def test_a_race_with_the_mlp_over_two_seeds_fits_80_columns_on_a_terminal(mlp_race) -> None:
    lines, result = mlp_race
    check_screen(lines, result)
    assert any("Keras MLP" in line and "epochs" in line for line in lines), "the MLP's progress row"


def test_its_summary_into_a_pipe_fits_80_columns_too(mlp_race, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal beside does not widen what goes into a pipe
    out = io.StringIO()
    print_summary(mlp_race[1], out)
    lines = screen_lines(out.getvalue())
    check_screen(lines, mlp_race[1])
    assert lines[-len(wrap("Verdict: " + headline(mlp_race[1]), 80)):][0].startswith("Verdict: "), "the headline last"
    assert NBSP not in out.getvalue(), "plain spaces into a log"


def test_a_table_too_wide_wraps_words_but_never_a_number_and_its_unit() -> None:
    words = f"5.5{NBSP}points (large; p{NBSP}<{NBSP}0.001, very unlikely to be chance)"
    head = ("Pair A vs B", "Rows only A got right", "Rows only B got right", "p-value", "Accuracy difference")
    rows = [(f"Keras MLP vs {name}", "90", "266", f"<{NBSP}0.001", words) for name in ("RandomForest", "XGBoost")]
    widths = fit_widths(head, rows, 80)
    assert widths is not None and sum(widths) + 2 * (len(head) - 1) <= 80
    title, header, body = laid_out(Table("McNemar", head, rows), 80)
    assert all(len(line) <= 80 for line in title + header + body)
    assert sum("5.5 points" in line for line in body) == 2 and sum("p < 0.001," in line for line in body) == 2


def test_a_table_that_fits_only_on_its_side_is_turned_and_one_that_never_fits_becomes_blocks() -> None:
    cell = f"0.812{NBSP}±{NBSP}0.008"
    table = Table("Means", ("Model", *(f"Column {i}" for i in range(6))), [(m, *[cell] * 6) for m in ("MLP", "Forest")])
    _, header, body = laid_out(table, 80)
    assert header[0].split() == ["Model", "MLP", "Forest"] and len(body) == 6, "turned: a row per column"
    huge = Table("Huge", ("Model", *(f"C{i}" for i in range(12))), [(m * 30, *["x" * 9] * 12) for m in "ABC"])
    title, header, body = laid_out(huge, 80)
    assert header == [] and body[0] == "A" * 30 and body[1].strip() == "C0: xxxxxxxxx", "a block per row"


def test_a_paragraph_is_cut_at_spaces_only_and_never_wider_than_asked() -> None:
    text = " ".join(f"{n}{NBSP}s" for n in range(200)) + " " + "/very/long/path" * 10
    lines = wrap(text, 30, indent="  ", hang="    ")
    assert all(len(line) <= 30 for line in lines) and NBSP not in "".join(lines)
    assert all(re.fullmatch(r"\s*(\d+ s ?)+", line) for line in lines if "/" not in line), "each number with its unit"
    assert "".join(line.strip() for line in lines).endswith("/very/long/path" * 10), "a path longer than a line is cut"


def test_the_files_written_are_one_short_sentence(tmp_path: Path) -> None:
    csv = tmp_path / "csv"
    paths = [tmp_path / "r.json", tmp_path / "r.pdf", *(csv / name for name in CSV_FILES)]
    assert " ".join(written_line(paths, csv).split()) == f"Wrote r.json, r.pdf and csv/ (4 CSV files) in {tmp_path}."
    # A JSON and a report in the CSV folder itself are named, not counted as CSV files.
    shared = [tmp_path / "r.json", tmp_path / "r.html", *(tmp_path / name for name in CSV_FILES[:2])]
    assert " ".join(written_line(shared, tmp_path).split()) == f"Wrote r.json, r.html and 2 CSV files in {tmp_path}."
    assert written_line([Path("r.json"), Path("out/r.html")]) == "Wrote r.json and out/r.html."
    assert written_line([]) == ""
    long = written_line([tmp_path / ("x" * 120 + ".json")], width=80)
    assert all(len(line) <= 80 for line in long.splitlines())


def test_when_a_later_file_fails_the_ones_written_are_still_named(tmp_path: Path, monkeypatch, capsys) -> None:
    from modelrace.gui.terminal import outputs

    def broken(result: dict, path: Path) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(outputs, "write_report", broken)
    code = main(["race", "--models", "rf", "--preset", "quick", "--rows", "2000", "--json", str(tmp_path / "r.json"),
                 "--report", str(tmp_path / "r.html")])
    printed = capsys.readouterr()
    assert code == 2 and "No space left on device" in printed.err
    assert " ".join(printed.out.split()).endswith(f"Wrote r.json in {tmp_path}."), printed.out[-300:]
