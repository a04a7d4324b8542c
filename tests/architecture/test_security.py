"""Security: nothing a user can hand in is unpickled or executed, and user text never becomes markup.

A scan of the product's source (gui/, models/, workers/) by its syntax tree, so that a comment or a
string cannot hide or fake a call. Result files are validated by a JSON Schema before use
(tests/test_fuzz_results.py fuzzes that); HTML escaping is tested on file and column names here.
"""

from __future__ import annotations

import ast
import html
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for folder in ("gui", "models", "workers") for p in (REPO / folder).rglob("*.py"))
FORBIDDEN = {
    "pickle.load", "pickle.loads", "cPickle.load", "joblib.load", "dill.load", "dill.loads", "cloudpickle.load",
    "cloudpickle.loads", "marshal.load", "marshal.loads", "shelve.open", "pd.read_pickle", "pandas.read_pickle",
    "torch.load", "yaml.load", "eval", "exec",
}


def _calls() -> list[tuple[Path, int, str, ast.Call]]:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Call):
                found.append((path, node.lineno, ast.unparse(node.func), node))
    return found


def _keyword(call: ast.Call, name: str) -> object:
    for keyword in call.keywords:
        if keyword.arg == name:
            return ast.literal_eval(keyword.value) if isinstance(keyword.value, ast.Constant) else "<expr>"
    return None


def test_the_scan_sees_the_source() -> None:
    names = {name for _, _, name, _ in _calls()}
    assert len(SOURCES) > 30 and "np.load" in names and "json.loads" in names


def test_no_pickle_joblib_eval_or_exec_on_anything() -> None:
    offenders = [f"{p.relative_to(REPO)}:{line} {name}" for p, line, name, _ in _calls() if name in FORBIDDEN]
    assert offenders == []


def test_numpy_loads_refuse_pickles() -> None:
    loads = [(p, line, call) for p, line, name, call in _calls() if name in ("np.load", "numpy.load")]
    assert loads, "the cache loads arrays with np.load"
    assert all(_keyword(call, "allow_pickle") is False for _, _, call in loads), loads


def test_keras_models_would_load_in_safe_mode_only() -> None:
    loads = [(p, line, call) for p, line, name, call in _calls() if name.endswith("load_model")]
    assert all(_keyword(call, "safe_mode") is True for _, _, call in loads), loads


def test_no_shell_commands() -> None:
    shells = [f"{p.relative_to(REPO)}:{line}" for p, line, name, call in _calls()
              if name.startswith("subprocess.") and _keyword(call, "shell") not in (None, False)]
    assert shells == []


def test_a_pickled_array_in_the_cache_is_refused(sample_file: Path, isolated_home: Path) -> None:
    from modelrace.models.data.cache import load_cached
    from modelrace.models.data.opening import open_dataset
    from modelrace.models.system.errors import DataError

    name = open_dataset(str(sample_file)).name
    np.save(isolated_home / "datasets" / name / "y.npy", np.array([object()] * 3, dtype=object), allow_pickle=True)
    with pytest.raises(DataError, match="damaged"):
        load_cached(name)


HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>']


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_file_and_column_names_are_escaped_in_html(hostile: str, tiny_table, tmp_path: Path) -> None:
    from modelrace.models.data.opening import open_dataset
    from modelrace.models.race.presets import load_preset
    from modelrace.models.race.one_race import run_race
    from modelrace.models.race.settings import RaceSettings
    from modelrace.models.output.html_report import html_report

    frame = tiny_table(400, 3).rename(columns={"f0": hostile, "label": f"label {hostile}"})
    frame[f"label {hostile}"] = frame[f"label {hostile}"].str.replace("kind_1", hostile, regex=False)
    in_path = hostile.replace("/", "_")  # a file name cannot hold "/"
    folder = tmp_path / in_path
    folder.mkdir()
    path = folder / f"{in_path}.csv"
    frame.to_csv(path, index=False)
    dataset = open_dataset(str(path), target=f"label {hostile}")
    result = run_race(dataset, RaceSettings(load_preset("quick"), ["rf"]))
    assert in_path in result["dataset"]["source"] and hostile in result["dataset"]["classes"]
    assert any(hostile in n for n in result["dataset"]["feature_names"])
    page = html_report(result)
    assert "<script>alert" not in page and "<img src=x" not in page and "<script>" not in page
    for text in (hostile, in_path):
        assert html.escape(text, quote=False) in page or html.escape(text) in page
