"""What the schema cannot say about a result: every run and every size holds the models the tables read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelrace.models.results.files import load_result
from modelrace.models.system.errors import DataError


@pytest.fixture(scope="module")
def saved(saved_race) -> dict[str, dict]:
    flags = {"repeats": ("--models", "rf,xgb", "--rows", "2000", "--repeats", "2"),
             "sizes": ("--models", "rf,xgb", "--sizes", "500,1000")}
    return {name: json.loads(saved_race("--preset", "quick", *extra).read_text()) for name, extra in flags.items()}


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
