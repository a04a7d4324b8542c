"""Imports never replace a different dataset, keep non-ASCII names, and read a pipe only once."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data.cache import cached_names, load_cached, read_meta
from modelrace.models.data.importing import import_file
from modelrace.models.data.opening import open_dataset
from modelrace.models.system.errors import DataError


@pytest.fixture
def two_files(small_frame, tmp_path: Path) -> tuple[Path, Path]:
    """Two different Covertype CSVs that both want the name 'lesson'."""
    first, second = tmp_path / "a" / "lesson.csv", tmp_path / "b" / "lesson.csv.gz"
    first.parent.mkdir()
    second.parent.mkdir()
    small_frame.head(600).to_csv(first, index=False)
    small_frame.tail(700).to_csv(second, index=False, compression="gzip")
    return first, second


def test_the_same_name_with_other_rows_is_refused_and_nothing_is_replaced(two_files, capsys) -> None:
    first, second = two_files
    assert main(["data", "import", str(first)]) == 0
    before = load_cached("lesson")
    assert main(["data", "import", str(second)]) == 2
    err = capsys.readouterr().err
    assert str(first) in err and str(second) in err and "--name NAME" in err and "data remove lesson" in err
    assert len(err.strip().splitlines()) == 1
    assert load_cached("lesson").sha256 == before.sha256 and read_meta("lesson")["source"] == str(first)
    assert main(["data", "import", str(second), "--name", "lesson2"]) == 0, "the fix the message names works"
    assert cached_names() == ["lesson", "lesson2"]


def test_an_explicit_name_and_a_kit_file_are_held_to_the_same_rule(two_files, tmp_path: Path, capsys) -> None:
    first, second = two_files
    assert main(["data", "import", str(first), "--name", "forest"]) == 0
    assert main(["data", "import", str(second), "--name", "forest"]) == 2
    assert "a different dataset named 'forest'" in capsys.readouterr().err
    assert main(["data", "import", str(first), "--name", "forest"]) == 0, "the same rows again: nothing to refuse"
    from modelrace.models.data.kit_file import export_dataset

    other = import_file(second, name="other")
    kit_file = tmp_path / "forest.modelrace.npz"
    export_dataset(other.__class__(**{**other.__dict__, "name": "forest"}), kit_file)
    with pytest.raises(DataError, match="a different dataset named 'forest'"):
        import_file(kit_file)
    assert load_cached("forest").rows == 600


def test_racing_a_file_whose_name_is_taken_keeps_both(two_files) -> None:
    first, second = two_files
    one, two = open_dataset(str(first)), open_dataset(str(second))
    assert one.name == "lesson" and two.name.startswith("lesson-") and load_cached("lesson").rows == 600
    assert open_dataset(str(second)).name == two.name, "named again, it loads from the cache"


@pytest.mark.parametrize("names", [("森林.csv", "树木.csv"), ("Ökologie.csv", "Okologie.csv"), ("лес.csv", "δάσος.csv"),
                                   ("forest data.csv", "forest_data (2).csv")])
def test_names_keep_their_letters(small_frame, tmp_path: Path, names: tuple[str, str]) -> None:
    got = []
    for i, file_name in enumerate(names):
        path = tmp_path / file_name
        small_frame.iloc[i * 300:(i + 1) * 300 + 200].to_csv(path, index=False)
        got.append(open_dataset(str(path)).name)
    assert len(set(got)) == 2 and "dataset" not in got, got
    assert all(name[0].isalnum() for name in got) and sorted(cached_names()) == sorted(got)


def _covtype_bytes(small_frame) -> bytes:
    return small_frame.head(900).to_csv(index=False).encode()


def test_a_fifo_is_read_once(small_frame, tmp_path: Path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    payload = gzip.compress(_covtype_bytes(small_frame))

    def feed() -> None:
        with open(fifo, "wb") as out:
            out.write(payload)

    writer = threading.Thread(target=feed)
    writer.start()
    dataset = import_file(fifo, name="fifo")
    writer.join(timeout=30)
    assert dataset.rows == 900 and dataset.source == str(fifo.absolute())
    assert not [p for p in (tmp_path.parent.rglob(".pipe-*"))], "the copy is removed"


@pytest.mark.parametrize("command", ["import", "race"])
def test_process_substitution_from_the_shell(small_frame, tmp_path: Path, command: str) -> None:
    source = tmp_path / "rows.csv.gz"
    source.write_bytes(gzip.compress(_covtype_bytes(small_frame)))
    line = {"import": f"data import <(zcat {source}) --name piped",
            "race": f"race --data <(zcat {source}) --models rf --preset quick"}[command]
    run = subprocess.run(["bash", "-c", f"{sys.executable} -m modelrace.gui {line}"], capture_output=True, text=True,
                         timeout=300, env={**os.environ})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert ("Imported /dev/fd/" in run.stdout) if command == "import" else ("Verdict:" in run.stdout)


def test_an_endless_stream_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelrace.models.data import importing

    monkeypatch.setattr(importing, "MAX_PIPE_BYTES", 1 << 20)
    with pytest.raises(DataError, match="/dev/zero: the stream is larger than 1 MB"):
        import_file(Path("/dev/zero"))
    assert np.all([not p.name.startswith(".pipe-") for p in Path(os.environ["MODELRACE_HOME"]).rglob("*")])
    assert shutil.which("zcat"), "the shell test above needs zcat (gzip)"
