"""The terminal's progress and summary: rich on a terminal, plain lines into a log, the same words in both."""

from __future__ import annotations

import io
import re

import pytest

from modelrace.gui.terminal.progress import TerminalProgress
from modelrace.gui.terminal.summary import print_summary
from modelrace.models.judging.headline import headline
from modelrace.models.results.files import load_result
from modelrace.models.race.events import ModelFinished, ModelStarted, RaceStarted, Steps
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


def test_on_a_terminal_the_summary_is_rich_tables_and_a_verdict_panel(saved: dict) -> None:
    out = Terminal()
    print_summary(saved, out)
    text = plain(out.getvalue())
    assert ANSI.search(out.getvalue()), "colour on a terminal"
    assert "Over 2 seeds" in text and "RandomForest" in text and "To target" in text
    assert "┃" in text or "│" in text, "drawn as a rich table"
    assert "Verdict" in text and plain(headline(saved)).split(";")[0] in re.sub(r"\s*│\s*", " ", text)


def test_into_a_log_the_summary_is_plain_and_leads_with_the_headline(saved: dict) -> None:
    out = io.StringIO()
    print_summary(saved, out)
    text = out.getvalue()
    assert not ANSI.search(text) and "│" not in text and "\u00a0" not in text.split("Verdict: ")[1].split("\n")[0]
    assert f"Verdict: {plain(headline(saved))}" in text
    assert text.index("Verdict: ") < text.index(saved["verdict"]["text"][:30]), "the headline, then the evidence"


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
    lines = [line for line in out.getvalue().splitlines() if line.startswith("rf")]
    assert [line.split()[3] for line in lines] == ["25/100", "50/100", "75/100", "100/100"]
    assert lines[-1].endswith("finished in 1.00 s  test acc 0.812")
    assert not ANSI.search(out.getvalue())
