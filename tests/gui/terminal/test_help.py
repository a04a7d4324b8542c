"""Help and mistakes on the command line: descriptions, examples and preset times, "did you mean", friendly values."""

from __future__ import annotations

import argparse
import re
import sys

import pytest

from modelrace.gui.cli_parsing import FriendlyParser, positive_int, wrapped
from modelrace.gui.terminal.main import main
from modelrace.gui.terminal.parser import build_parser


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one line ``modelrace argv`` answers a mistake with (exit status 2, no usage dump)."""
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert caught.value.code == 2 and len(lines) == 1, err
    assert "usage:" not in err and "Traceback" not in err
    return lines[0]


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--help"])
    assert caught.value.code == 0
    return capsys.readouterr().out


def sub_parsers(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every sub-command's parser, by its words ('race', 'data import')."""
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[f"{prefix}{name}"] = sub
                found.update(sub_parsers(sub, f"{prefix}{name} "))
    return found


def test_race_help_describes_it_times_the_presets_and_gives_examples(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = help_text(capsys, "race")
    assert "Race the tutorial's Keras MLP" in text and "examples:" in text and "modelrace race --preset quick" in text
    presets = text[text.index("\npresets ("):].splitlines()
    for preset in ("quick", "tutorial", "strong"):
        line = next(line for line in presets if line.strip().startswith(preset + " "))
        assert re.search(r"about \d+ (s|min)$", line), line
    assert all(len(line) <= 80 for line in text.splitlines()), [line for line in text.splitlines() if len(line) > 80]


@pytest.mark.parametrize("words", [name for name in sub_parsers(build_parser()) if name != "gui"])
def test_every_sub_command_has_a_description_and_its_help_fits_80_columns(words: str, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    parser = sub_parsers(build_parser())[words]
    assert parser.description, words
    assert "example" in (parser.epilog or ""), f"{words} has no example"
    text = help_text(capsys, *words.split())
    assert all(len(line) <= 80 for line in text.splitlines()), [line for line in text.splitlines() if len(line) > 80]


def test_the_top_level_help_has_examples(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = help_text(capsys)
    assert "examples:" in text and "modelrace race --preset quick" in text and "open the window" in text
    assert all(len(line) <= 80 for line in text.splitlines())


@pytest.mark.parametrize("argv, expected", [
    (["rac"], "modelrace: error: 'rac' is not a command; did you mean race?"),
    (["data", "fetc"], "modelrace data: error: 'fetc' is not a command; did you mean fetch?"),
    (["race", "--presets", "quick"], "modelrace race: error: unknown option --presets; did you mean --preset?"),
    (["data", "import", "x.csv", "--nmae", "y"], "modelrace data import: error: unknown option --nmae; did you mean --name?"),
    (["race", "--mode", "fiar"], "modelrace race: error: --mode: 'fiar' is not one of fair, simultaneous; did you mean fair?"),
    (["--rows", "4000"], "modelrace: error: --rows goes after a command: modelrace race --rows"),
    (["race", "--rows", "abc"], "modelrace race: error: --rows: 'abc' is not a whole number; e.g. --rows 4000"),
    (["race", "--rows", "0"], "modelrace race: error: --rows: '0' must be at least 1; e.g. --rows 4000"),
    (["race", "--repeats"], "modelrace race: error: --repeats needs a value; e.g. --repeats 5"),
    (["race", "--seed", "x"], "modelrace race: error: --seed: 'x' is not a whole number; e.g. --seed 1"),
    (["report"], "modelrace report: error: RESULT.json is missing; see `modelrace report --help`"),
    (["workshop"], "modelrace workshop: error: ACTION is missing: choose from pack, check"),
])
def test_a_mistake_gets_one_line_with_the_fix(argv: list[str], expected: str, capsys) -> None:
    assert refused(capsys, *argv).startswith(expected)


def test_an_unknown_option_is_refused_by_its_own_sub_command(capsys) -> None:
    line = refused(capsys, "race", "--preset", "quick", "--unheard-of")
    assert line.startswith("modelrace race: error: unknown option --unheard-of;") and "`modelrace race --help`" in line


def test_the_window_parser_can_be_as_friendly(capsys, monkeypatch) -> None:
    """What gui.window.app's parser gets from the shared class: the same words for `gui --rows abc`."""
    monkeypatch.setenv("COLUMNS", "80")
    parser = FriendlyParser(prog="modelrace gui", description="Open the window. " * 20,
                            epilog="examples:\n  modelrace gui --preset quick --run    race at once")
    parser.add_argument("--rows", type=int, metavar="N", example="4000")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--run", action="store_true")
    start.add_argument("--open", metavar="RESULT.json", example="out.json")
    parser.add_argument("--repeats", type=positive_int, metavar="N", example="3")
    group = parser.add_argument_group("capture")
    group.add_argument("--presenter", type=int, metavar="LEVEL", example="150")
    for argv, expected in ((["--rows", "abc"], "--rows: 'abc' is not a whole number; e.g. --rows 4000"),
                           (["--repeats", "-2"], "--repeats: '-2' must be at least 1; e.g. --repeats 3"),
                           (["--presenter", "big"], "--presenter: 'big' is not a whole number; e.g. --presenter 150"),
                           (["--row", "5", "--repeets", "2"], "unknown option --repeets; did you mean --repeats?"),
                           (["--open"], "--open needs a value; e.g. --open out.json"),
                           (["--run", "--open", "r.json"], "--open: not allowed with argument --run")):
        with pytest.raises(SystemExit) as caught:
            parser.parse_args(argv)
        assert caught.value.code == 2
        assert capsys.readouterr().err.startswith(f"modelrace gui: error: {expected}")
    text = parser.format_help()
    assert "  modelrace gui --preset quick --run    race at once" in text, "an example block is kept as written"
    assert all(len(line) <= 80 for line in text.splitlines()), "prose is filled to the width"


def test_a_message_is_cut_at_spaces_on_a_terminal_and_one_line_into_a_pipe(monkeypatch) -> None:
    line = "modelrace: error: " + " ".join(["a long explanation of what to do"] * 8)

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert wrapped(line) == line, "not a terminal: one line"
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setenv("COLUMNS", "80")
    cut = wrapped(line).splitlines()
    assert len(cut) > 1 and all(len(part) <= 80 for part in cut) and " ".join(" ".join(cut).split()) == line
