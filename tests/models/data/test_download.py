"""`modelrace data fetch`: scikit-learn's cache first, else a verified download; clear offline message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data.cache import cached_names, load_cached
from modelrace.models.data.download import SHA256_ENV, URL_ENV
from modelrace.models.system.paths import downloads_dir


@pytest.fixture
def mirror(tmp_path: Path, small_frame: pd.DataFrame, write_uci, monkeypatch) -> Path:
    """A local covtype.data.gz served through a file:// URL, with its checksum."""
    (tmp_path / "mirror").mkdir()
    archive = write_uci(small_frame, tmp_path / "mirror" / "covtype.data.gz")
    monkeypatch.setenv(URL_ENV, archive.as_uri())
    monkeypatch.setenv(SHA256_ENV, hashlib.sha256(archive.read_bytes()).hexdigest())
    return archive


def test_fetch_downloads_verifies_and_caches(mirror: Path, capsys) -> None:
    assert main(["data", "fetch"]) == 0
    captured = capsys.readouterr()
    assert "downloading Covertype" in captured.err
    assert "covtype: 2,000 rows" in captured.out
    assert cached_names() == ["covtype"]
    assert load_cached("covtype").kind == "covtype"
    assert list(downloads_dir().iterdir()) == []  # the staged archive is not kept


def test_corrupt_download_is_never_used(mirror: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(SHA256_ENV, "0" * 64)
    assert main(["data", "fetch"]) == 2
    err = capsys.readouterr().err
    assert "incomplete or corrupt" in err and "data fetch" in err
    assert cached_names() == []
    assert list(downloads_dir().iterdir()) == []


def test_offline_message_names_the_import_command(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(URL_ENV, (tmp_path / "unreachable" / "covtype.data.gz").as_uri())
    assert main(["data", "fetch"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "offline" in err and "modelrace data import FILE --name covtype" in err


def test_race_on_covtype_fetches_it_first(mirror: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.json"
    assert main(["race", "--data", "covtype", "--models", "xgb", "--json", str(out)]) == 0
    assert "covtype" in cached_names()
