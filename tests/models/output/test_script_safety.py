"""A crafted result file cannot put code into the reproduction script: every value goes in as a literal.

Scripts are generated from results whose every free-text field holds hostile text; the script's syntax
tree must be exactly the template's (constants aside), not one node more.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.output.repro_script import script_for
from modelrace.models.results.files import load_result, validate_result
from modelrace.models.system.errors import DataError
from modelrace.models.trainers import registry

from ..results.made import with_every_model

HOSTILE = [
    '"""; import os; os.system("echo pwned"); """',
    "'''\nimport os\n'''",
    "x\\\\\\'; __import__('os').system('id') #",
    "a\nb\r\nc\x00d",
    "# not a comment {} {0} {{}} %s",
    "森林 — é ü 🌲",
    "\\N{SNOWMAN} \\x41 \\u0041",
    "\u2028\u2029\ufeff",
]


def shape(source: str) -> str:
    """The script's syntax tree with every constant blanked: the code, not the data."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.value = None
    return ast.dump(tree, annotate_fields=False)


def hostile_copy(result: dict, text: str) -> dict:
    """``result`` with every free-text field the schema allows (and the script reads) set to ``text``."""
    bad = copy.deepcopy(result)
    dataset = bad["dataset"]
    for key in ("name", "source", "format", "sha256", "source_sha256", "target"):
        dataset[key] = text
    dataset["feature_names"] = [f"{text}{i}" for i in range(len(dataset["feature_names"]))]
    dataset["notes"] = [text]
    bad["created"] = bad["preset"] = text
    bad["environment"]["mode"] = text
    bad["environment"]["threads"] = {key: {"n_jobs": text} for key in bad["models"]}
    return bad


@pytest.fixture(scope="module")
def results(sample_file: Path, tmp_path_factory: pytest.TempPathFactory, tiny_table) -> dict[str, dict]:
    """A sampled Covertype race with the tutorial's three models, it with every registered model, and a generic-table race."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("script-home")
        patch.setenv("MODELRACE_HOME", str(home))
        covtype, table = home / "covtype.json", home / "table.json"
        assert main(["race", "--data", str(sample_file), "--preset", "quick", "--rows", "2000", "--json", str(covtype)]) in (0,)
        plants = home / "plants.csv"
        tiny_table(300).to_csv(plants, index=False)
        assert main(["race", "--data", str(plants), "--target-column", "label", "--models", "rf,xgb", "--preset", "quick",
                     "--json", str(table)]) == 0
        opened = load_result(covtype)
        return {"covtype": opened, "every": with_every_model(opened), "table": load_result(table)}


@pytest.mark.parametrize("kind", ["covtype", "every", "table"])
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_changes_the_data_not_the_code(results: dict[str, dict], kind: str, text: str) -> None:
    benign = results[kind]
    hostile = hostile_copy(benign, text)
    if kind != "table":
        hostile["dataset"]["kind"] = "covtype"  # the branch the script takes stays the same
    validate_result(hostile, "hostile")  # it is a result file modelrace would open
    script = script_for(hostile)
    assert shape(script) == shape(script_for(benign))
    compile(script, "reproduce.py", "exec")  # and it is valid Python
    strings = [node.value for node in ast.walk(ast.parse(script)) if isinstance(node, ast.Constant)]
    assert text in strings or any(text in str(s) for s in strings), "the hostile text is kept, as data"


@pytest.mark.parametrize("text", HOSTILE[:3])
def test_every_model_s_part_writes_its_settings_as_data(results: dict[str, dict], text: str) -> None:
    """Each registered model's snippet (a plugin's too) writes its settings through the literal writer: a hostile
    text in every text setting is refused or stays a constant, never code."""
    benign = results["every"]
    expected = shape(script_for(benign))
    written = 0
    for key in registry.MODEL_KEYS:
        config = benign["models"][key]["config"]
        for name in [name for name, value in config.items() if isinstance(value, str)]:
            hostile = copy.deepcopy(benign)
            hostile["models"][key]["config"][name] = text
            try:
                script = script_for(hostile)
            except DataError:
                continue  # the model's settings refused the text: nothing was written
            written += 1
            assert shape(script) == expected, f"{key}: {name} changed the script's code"
            strings = [node.value for node in ast.walk(ast.parse(script)) if isinstance(node, ast.Constant)]
            assert any(text in str(s) for s in strings), f"{key}: {name} is kept, as data"
    assert written, "some text setting was written into a script"


def test_the_script_runs_and_prints_nothing_it_was_given(results: dict[str, dict], tmp_path: Path, sample_file: Path) -> None:
    import subprocess
    import sys

    hostile = hostile_copy(results["covtype"], '"""; print("INJECTED"); """')
    hostile["dataset"]["kind"] = "covtype"
    hostile["dataset"]["source"] = str(sample_file)
    for key in list(hostile["models"]):
        if key != "rf":
            hostile["models"][key]["status"] = "skipped"
    script = tmp_path / "reproduce.py"
    script.write_text(script_for(hostile))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "INJECTED" not in run.stdout and "RandomForest test accuracy" in run.stdout


@pytest.mark.fuzz
def test_fuzzed_text_never_changes_the_code(results: dict[str, dict]) -> None:
    """Hypothesis writes any Unicode (surrogates aside: JSON cannot hold them alone) into every free-text field."""
    import os

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    examples = int(os.environ.get("MODELRACE_FUZZ_EXAMPLES", "1000"))
    shapes = {kind: shape(script_for(result)) for kind, result in results.items()}
    alphabet = st.characters(blacklist_categories=("Cs",))
    quotes = st.sampled_from(['"""', "'''", '"', "'", "\\", "\n", "\r", "\x00", "#", "{", "}", "%", "\u2028"])
    texts = st.lists(st.one_of(st.text(alphabet, max_size=8), quotes), max_size=12).map("".join)

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(text=texts, kind=st.sampled_from(sorted(results)))
    def check(text: str, kind: str) -> None:
        hostile = hostile_copy(results[kind], text)
        if kind != "table":
            hostile["dataset"]["kind"] = "covtype"
        script = script_for(hostile)
        assert shape(script) == shapes[kind], text
        compile(script, "reproduce.py", "exec")

    check()
    print(f"\nscript fuzzing: {examples} texts, every script kept the template's code")
