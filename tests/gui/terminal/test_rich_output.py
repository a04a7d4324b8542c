"""The terminal's progress and summary: rich on a terminal, plain lines into a log, the same words in both.

(Their widths and order at 80×24 are tested in test_80_columns.)
"""

from __future__ import annotations

import io
import re

import pytest

from modelrace.gui.terminal.progress import TerminalProgress
from modelrace.gui.terminal.summary import print_summary
from modelrace.models.judging.headline import headline
from modelrace.models.results.files import load_result
from modelrace.models.race.events import LibraryLoading, ModelFinished, ModelStarted, RaceStarted, Steps
from modelrace.models.trainers.protocol import Step

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Log(io.StringIO):
    """A private stream the progress may close: keep what it holds readable."""

    def close(self) -> None:
        pass


class Terminal(Log):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def saved(saved_race) -> dict:
    return load_result(saved_race("--preset", "quick", "--models", "rf,xgb", "--rows", "2000", "--repeats", "2"))


def test_on_a_terminal_the_summary_is_styled_tables_and_a_verdict_panel(saved: dict) -> None:
    out = Terminal()
    print_summary(saved, out)
    text = plain(out.getvalue())
    assert ANSI.search(out.getvalue()), "colour on a terminal"
    assert "Over 2 seeds" in text and "RandomForest" in text and "To target" in text
    assert "─" * 20 in text, "a rule under each header"
    assert "╭─ Verdict" in text and " ".join(plain(headline(saved)).split()) in " ".join(re.sub(r"│", " ", text).split())
    assert text.rindex("Verdict") > text.rindex("To target") > text.index("The verdict in full"), "the answer last"


def test_into_a_log_the_summary_is_plain_and_ends_with_the_headline(saved: dict) -> None:
    out = io.StringIO()
    print_summary(saved, out)
    text = out.getvalue()
    assert not ANSI.search(text) and "│" not in text and "\u00a0" not in text
    assert " ".join(f"Verdict: {plain(headline(saved))}".split()) in " ".join(text.split())
    full = " ".join(plain(saved["verdict"]["text"]).split())[:40]
    assert " ".join(text.split()).index(full) < text.index("To target") < text.index("Verdict: "), \
        "the evidence, then the results, then the headline"


def race(progress: TerminalProgress) -> None:
    dataset = {"name": "rows", "rows": 1000, "classes": [1, 2, 3]}
    split = {"train": 600, "validation": 200, "test": 200, "seed": 0}
    progress(RaceStarted({"rf": 100}, split, dataset))
    progress(ModelStarted("rf"))
    for tree in range(1, 101):
        progress(Steps((Step("rf", float(tree), "tree", 100, tree / 100, tree / 90, 0.8, 0.5),)))
    progress(ModelFinished("rf", {"status": "finished", "train_seconds": 1.0, "test_accuracy": 0.812, "error": None}))
    progress.close()


def test_on_a_terminal_progress_is_drawn_by_rich() -> None:
    out = Terminal()
    race(TerminalProgress(out))
    text = plain(out.getvalue())
    assert "100/100 trees" in text and "finished 1.00 s · test 0.812" in text and "RandomForest" in text
    assert "━" in out.getvalue(), "rich's bar"


def test_into_a_log_progress_is_a_line_a_quarter() -> None:
    out = Log()
    race(TerminalProgress(out))
    lines = [line for line in out.getvalue().splitlines() if line.startswith("RandomForest")]
    assert [line.split()[2] for line in lines] == ["25/100", "50/100", "75/100", "100/100"]
    assert lines[-1].endswith("finished 1.00 s · test 0.812") and all(len(line) <= 80 for line in lines)
    assert not ANSI.search(out.getvalue())


def loading(progress: TerminalProgress) -> None:
    """A race whose MLP first loads TensorFlow, shown up to that point."""
    progress(RaceStarted({"mlp": 30}, {"train": 600, "validation": 200, "test": 200, "seed": 0},
                         {"name": "rows", "rows": 1000, "classes": [1, 2, 3]}))
    progress(ModelStarted("mlp"))
    progress(LibraryLoading("mlp", "TensorFlow", "loading TensorFlow (first race only)"))


def test_a_model_loading_its_library_says_so_on_its_row_until_its_first_step() -> None:
    out = Terminal()
    progress = TerminalProgress(out)
    loading(progress)
    progress._live.refresh()
    row = [line for line in plain(out.getvalue()).splitlines() if "Keras MLP" in line][-1]
    assert "0/30" in row and "loading TensorFlow…" in row
    progress(Steps((Step("mlp", 1.0, "epoch", 30, 1.0, 1.0, 0.7, 0.9),)))
    progress._live.refresh()
    row = [line for line in plain(out.getvalue()).splitlines() if "Keras MLP" in line][-1]
    assert "1/30 epochs" in row and "loading" not in row
    progress.close()


def test_into_a_log_a_model_loading_its_library_gets_a_line() -> None:
    out = Log()
    loading(TerminalProgress(out))
    assert out.getvalue().splitlines()[-1] == "Keras MLP    loading TensorFlow…"


def test_a_long_failure_goes_on_over_lines_of_80_columns() -> None:
    out = Log()
    progress = TerminalProgress(out)
    progress(RaceStarted({"rf": 10}, {"train": 6, "validation": 2, "test": 2, "seed": 0},
                         {"name": "rows", "rows": 10, "classes": [1, 2]}))
    progress(ModelStarted("rf"))
    error = "ValueError: " + " ".join(["the forest could not grow"] * 8)
    progress(ModelFinished("rf", {"status": "failed", "error": error}))
    lines = out.getvalue().splitlines()[1:]
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines)
    assert " ".join(" ".join(lines).split()) == f"RandomForest FAILED: {error}"
