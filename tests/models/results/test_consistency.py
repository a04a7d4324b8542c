"""What the schema cannot say about a result: every run and every size holds the models the tables read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.results.files import load_result
from modelrace.models.system.errors import DataError


@pytest.fixture(scope="module")
def saved(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("consistency")
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODELRACE_HOME", str(folder / "home"))
        for name, extra in (("repeats", ["--repeats", "2", "--rows", "2000"]), ("sizes", ["--sizes", "500,1000"])):
            path = folder / f"{name}.json"
            assert main(["race", "--data", str(sample_file), "--preset", "quick", "--models", "rf,xgb", *extra,
                         "--json", str(path)]) == 0
            made[name] = json.loads(path.read_text())
    return made


@pytest.mark.parametrize("kind, where, model", [
    ("repeats", ("repeats", "runs", 1), "rf"),
    ("repeats", ("repeats", "runs", 0), "xgb"),
    ("sizes", ("size_curve", "points", 1), "rf"),
    ("sizes", ("size_curve", "points", 1), "xgb"),
])
def test_a_run_or_size_without_a_model_is_refused_in_one_line(saved: dict, tmp_path: Path, kind: str,
                                                              where: tuple, model: str) -> None:
    data = json.loads(json.dumps(saved[kind]))
    section, part, index = where
    del data[section][part][index]["models"][model]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DataError) as caught:
        load_result(path)
    message = str(caught.value)
    assert str(path) in message and f"{section}.{part}[{index}]" in message and model in message and "\n" not in message


def test_the_untouched_files_open(saved: dict, tmp_path: Path) -> None:
    for name, data in saved.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        assert load_result(path)["models"]
