"""Result-file fuzzing: mutated result JSON is refused with a clear DataError, or opens, reports and
shows without error. The schema (resources/result.schema.json) is checked before anything uses a file.

In the ``fuzz`` suite (``pytest -m fuzz``); MODELRACE_FUZZ_EXAMPLES sets the examples (default 1,000).
"""

from __future__ import annotations

import copy
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelrace.models.data.opening import open_dataset
from modelrace.models.system.errors import DataError, one_line
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.race.repeats import run_repeats
from modelrace.models.output.evidence import evidence_tables
from modelrace.models.output.html_report import html_report
from modelrace.models.results.files import load_result, save_result
from modelrace.gui.terminal.summary import print_summary
from modelrace.models.judging.headline import headline
from modelrace.models.output.summary_table import summary_cells

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("MODELRACE_FUZZ_EXAMPLES", "1000"))
TALLY = {"examples": 0, "opened": 0, "refused": 0}

HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10), st.sampled_from([1e308, -1e308, 0.5, -0.5, 2.0, 1e-300]),
    st.sampled_from(["", "<script>alert(1)</script>", '"><img src=x onerror=alert(2)>', "nan", "finished", "mlp"]),
    st.just([]), st.just({}), st.just([[1, 2], [3]]), st.just({"mlp": None}),
)


BASE: dict[str, dict] = {}


@pytest.fixture(scope="module")
def base_result(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A real 2-repeat quick race on 2,500 rows (every optional block but the size curve)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODELRACE_HOME", str(tmp_path_factory.mktemp("fuzz-home")))
        dataset = open_dataset(str(sample_file))
        result = run_repeats(dataset, RaceSettings(load_preset("quick"), rows=2500, repeats=2))
    path = tmp_path_factory.mktemp("fuzz-base") / "base.json"
    save_result(result, path)
    BASE["result"] = load_result(path)  # kept out of the test's arguments: hypothesis prints those


@pytest.fixture(scope="module")
def window(qapp) -> Any:
    from modelrace.gui.window.main_window import MainWindow

    win = MainWindow()
    yield win
    win.close()


def mutate(result: dict, walk: list[int], op: str, value: Any) -> dict:
    """Walk down the tree (each number picks a child), then delete, replace or empty what is there."""
    data = copy.deepcopy(result)
    parent, key = None, None
    node: Any = data
    for choice in walk:
        if isinstance(node, dict) and node:
            keys = sorted(node)
            parent, key = node, keys[choice % len(keys)]
        elif isinstance(node, list) and node:
            parent, key = node, choice % len(node)
        else:
            break
        node = parent[key]
    if parent is None:
        return data
    if op == "delete":
        del parent[key]
    elif op == "empty" and isinstance(node, (list, dict, str)):
        parent[key] = type(node)()
    else:
        parent[key] = value
    return data


@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=os.environ.get("MODELRACE_FUZZ_RANDOM") != "1",
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(walks=st.lists(st.lists(st.integers(0, 1000), min_size=1, max_size=7), min_size=1, max_size=3),
       op=st.sampled_from(["delete", "replace", "empty"]), value=HOSTILE)
@pytest.mark.usefixtures("base_result")
def test_mutated_result_files(window: Any, tmp_path: Path, walks: list[list[int]], op: str,
                              value: Any) -> None:
    data = BASE["result"]
    for walk in walks:
        data = mutate(data, walk, op, value)
    path = tmp_path / "mutated.json"
    path.write_text(json.dumps(data))
    TALLY["examples"] += 1
    try:
        result = load_result(path)
    except DataError as exc:
        TALLY["refused"] += 1
        message = str(exc)
        assert one_line(str(path)) in message and "\n" not in message
        return
    TALLY["opened"] += 1
    page = html_report(result)
    assert "<script>" not in page and "<img src=x" not in page
    for key, model in result["models"].items():
        summary_cells(key, model, result)
    evidence_tables(result)
    assert "\n" not in headline(result) and headline(result).endswith(".")
    print_summary(result, io.StringIO())  # the terminal's summary reads the same blocks
    assert window.open_results(path), "a file the schema accepts must open in the window"


def test_zz_print_tally() -> None:
    """Print the counts for the README's Reliability section."""
    print(f"fuzz result files: {TALLY['examples']} examples, {TALLY['opened']} opened and reported, "
          f"{TALLY['refused']} refused with a DataError, 0 other outcomes")
