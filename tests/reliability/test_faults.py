"""Fault injection: a trainer raising at step k, MemoryError, a full disk, corrupt results and cache
entries, an interrupted download. Each gives a clear message in the CLI and the window; finished
models and results are kept, and the app stays usable."""

from __future__ import annotations

import errno
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtWidgets import QMessageBox

from modelrace.gui.terminal.main import main
from modelrace.models.system import atomic
from modelrace.models.trainers import registry
from modelrace.models.data.cache import cached_names
from modelrace.models.data.opening import open_dataset
from modelrace.models.data.download import SHA256_ENV, URL_ENV
from modelrace.models.system.paths import datasets_dir, downloads_dir
from modelrace.models.race.presets import load_preset
from modelrace.models.race.one_race import run_race
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.files import load_result, save_result

RACE_TIMEOUT_MS = 180_000


def raising_at_step(key: str, k: int, exc: BaseException) -> type:
    """The trainer class for ``key``, but its k-th reported step raises ``exc``."""

    class Faulty(registry.TRAINERS[key]):
        def fit(self, split, sink):
            return super().fit(split, _FaultySink(sink, k, exc))

    return Faulty


class _FaultySink:
    def __init__(self, sink, k: int, exc: BaseException) -> None:
        self._sink, self._k, self._exc, self.count = sink, k, exc, 0

    def put(self, step) -> None:
        self.count += 1
        if self.count == self._k:
            raise self._exc
        self._sink.put(step)

    def stop_requested(self) -> bool:
        return self._sink.stop_requested()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the window shows in warning boxes (recorded instead of blocking)."""
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: messages.append(args[2]))
    return messages


@pytest.fixture
def saved(sample_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "saved.json"
    save_result(run_race(open_dataset(str(sample_file)), RaceSettings(load_preset("quick"), ["rf", "xgb"], rows=2000)),
                path)
    return path


# ------------------------------------------------------------------------- trainers failing


@pytest.mark.parametrize("key", ["mlp", "rf", "xgb"])
def test_a_trainer_raising_at_step_k_fails_alone_and_keeps_its_curve(key: str, sample_file: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.TRAINERS, key, raising_at_step(key, 3, RuntimeError("injected at step 3")))
    result = run_race(open_dataset(str(sample_file)), RaceSettings(load_preset("quick"), rows=2000))
    failed = result["models"][key]
    assert failed["status"] == "failed" and failed["error"] == "RuntimeError: injected at step 3"
    assert len(failed["curve"]) == 2, "the two points drawn before the failure are kept"
    others = [k for k in ("mlp", "rf", "xgb") if k != key]
    assert all(result["models"][k]["status"] == "finished" and len(result["models"][k]["curve"]) >= 20 for k in others)
    assert key not in result["verdict"]["time_to_target"] or result["verdict"]["time_to_target"][key] is None


def test_memory_error_in_one_model_is_explained_and_the_others_finish(sample_file: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setitem(registry.TRAINERS, "xgb", raising_at_step("xgb", 5, MemoryError()))
    out = tmp_path / "r.json"
    code = main(["race", "--data", str(sample_file), "--models", "rf,xgb", "--rows", "2000", "--json", str(out)])
    printed = capsys.readouterr()
    assert code == 1
    said = " ".join(printed.out.split())  # a terminal's lines are cut at 80 columns
    assert "XGBoost failed: XGBoost ran out of memory training on 1,280 rows; race on fewer rows" in said
    assert "Traceback" not in printed.out + printed.err
    result = load_result(out)
    assert result["models"]["rf"]["status"] == "finished" and result["models"]["xgb"]["status"] == "failed"


def test_window_shows_a_failure_at_step_k_and_stays_usable(qtbot, sample_file: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from modelrace.gui.window.main_window import MainWindow

    dataset = open_dataset(str(sample_file))
    win = MainWindow()
    qtbot.addWidget(win)
    win.dataset_panel.refresh(select=dataset.name)
    win.apply_preset("quick")
    win.dataset_panel.rows.setValue(2000)
    win.cards["mlp"].setChecked(False)
    with monkeypatch.context() as fault:  # undone at the end of the block; the isolated home stays
        fault.setitem(registry.TRAINERS, "rf", raising_at_step("rf", 4, MemoryError()))
        with qtbot.waitSignal(win.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
            win.run_race()
    assert blocker.args[0]["models"]["xgb"]["status"] == "finished"
    assert "ran out of memory" in win.cards["rf"].status.text() + win.cards["rf"].toolTip()
    assert "RandomForest ran out of memory" in win.log_view.toPlainText()
    assert win.plots.point_count("rf") == 3 and win.plots.point_count("xgb") >= 20
    with qtbot.waitSignal(win.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        win.run_race()
    assert blocker.args[0]["models"]["rf"]["status"] == "finished", "the next race runs normally"


# ------------------------------------------------------------------------------- full disk


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every atomic write fails as on a full disk (ENOSPC while flushing)."""

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_space)


def test_full_disk_on_save_and_report_keeps_the_old_files(saved: Path, tmp_path: Path, full_disk, capsys) -> None:
    report = tmp_path / "report.html"
    report.write_text("the report from last week")
    before = saved.read_bytes()
    assert main(["report", str(saved), "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "free space" in err and len(err.strip().splitlines()) == 1
    assert report.read_text() == "the report from last week"
    result = load_result(saved)
    with pytest.raises(atomic.OutputError, match="No space left on device"):
        save_result(result, saved)
    assert saved.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "report.html", "saved.json"] or \
        not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_full_disk_in_the_window_on_save_and_export(qtbot, saved: Path, tmp_path: Path, shown: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from modelrace.gui.window.export_dialog import ExportDialog
    from modelrace.gui.window.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_results(saved)
    shown_result = win.result

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "out"
    out.mkdir()
    with monkeypatch.context() as fault:  # undone at the end of the block; the isolated home stays
        fault.setattr(atomic.os, "fsync", no_space)
        assert not win.save_results(tmp_path / "copy.json")
        assert "No space left on device" in shown[-1] and win.result is shown_result
        assert not (tmp_path / "copy.json").exists()
        dialog = ExportDialog(win.result, out, win)
        qtbot.addWidget(dialog)
        dialog.export()
        qtbot.waitUntil(lambda: dialog.status.text() == "Nothing was exported.", timeout=60_000)
    assert "No space left on device" in shown[-1] and dialog.export_button.isEnabled()
    assert not any(p.is_file() for p in out.rglob("*")), "no half-written or temporary file is left"
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        dialog.export()  # space freed: the same dialog now succeeds
    assert (out / "modelrace.html").is_file() or any(out.glob("*.html"))


# ------------------------------------------------------------------------ corrupt inputs


def test_corrupt_result_json_keeps_what_the_window_shows(qtbot, saved: Path, tmp_path: Path, shown: list[str],
                                                         capsys) -> None:
    from modelrace.gui.window.main_window import MainWindow

    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(saved.read_bytes()[: len(saved.read_bytes()) // 2])
    wrong_types = tmp_path / "wrong.json"
    wrong_types.write_text(saved.read_text().replace('"curve": [', '"curve": "oops", "was": [', 1))
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_results(saved)
    verdict = win.banner.text()
    for bad in (truncated, wrong_types):
        assert not win.open_results(bad)
        assert str(bad) in shown[-1]
        assert win.banner.text() == verdict and win.plots.point_count("rf") > 0
        assert main(["report", str(bad), "--report", str(tmp_path / "x.html")]) == 2
        err = capsys.readouterr().err
        assert str(bad) in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


@pytest.fixture
def damaged_entry(sample_file: Path, tmp_path: Path) -> str:
    """A cache entry whose source file is gone and whose X.npy was cut short (a crash or a full disk)."""
    copy = tmp_path / "lesson.csv.gz"
    shutil.copy(sample_file, copy)
    name = open_dataset(str(copy)).name
    copy.unlink()
    x_path = datasets_dir() / name / "X.npy"
    x_path.write_bytes(x_path.read_bytes()[:5000])
    return name


def test_half_written_cache_entry_is_reported_by_the_cli(damaged_entry: str, capsys) -> None:
    assert main(["race", "--data", damaged_entry, "--models", "rf"]) == 2
    err = capsys.readouterr().err
    assert f"the cached dataset '{damaged_entry}' is damaged" in err and "import it again" in err
    assert "Traceback" not in err


def test_half_written_cache_entry_in_the_window(qtbot, damaged_entry: str, sample_file: Path, shown: list[str]) -> None:
    from modelrace.gui.window.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.dataset_panel.refresh(select=damaged_entry)
    win.apply_preset("quick")
    with qtbot.waitSignal(win.raceFailed, timeout=30_000) as blocker:
        win.run_race()
    assert "damaged" in blocker.args[0] and "damaged" in shown[-1]
    assert win.controls.run_button.isEnabled() and not win.controls.stop_button.isEnabled()
    fresh = open_dataset(str(sample_file))  # the fix the message names: import again
    win.dataset_panel.refresh(select=fresh.name)
    win.dataset_panel.rows.setValue(2000)
    for key in ("mlp", "xgb"):
        win.cards[key].setChecked(False)
    with qtbot.waitSignal(win.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        win.run_race()
    assert blocker.args[0]["models"]["rf"]["status"] == "finished"


# ----------------------------------------------------------------------- interrupted download


@pytest.fixture
def http_mirror(small_frame: pd.DataFrame, write_uci, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """A local HTTP server for covtype.data.gz; set ``state['cut']`` to drop the connection halfway."""
    archive = write_uci(small_frame, tmp_path / "covtype.data.gz")
    payload = archive.read_bytes()
    state = {"cut": True, "requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state["requests"] += 1
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2] if state["cut"] else payload)
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(URL_ENV, f"http://127.0.0.1:{server.server_address[1]}/covtype.data.gz")
    monkeypatch.setenv(SHA256_ENV, hashlib.sha256(payload).hexdigest())
    monkeypatch.setattr("modelrace.models.data.download._from_sklearn_cache", lambda: None)
    yield state
    server.shutdown()
    server.server_close()


def test_an_interrupted_download_is_never_used_as_data(http_mirror: dict, capsys) -> None:
    assert main(["data", "fetch"]) == 2
    err = capsys.readouterr().err
    message = err.strip().split("\r")[-1]  # after the progress line
    assert "stopped after" in message and "interrupted" in message and "data fetch" in message
    assert "Traceback" not in err and len(message.splitlines()) == 1
    assert http_mirror["requests"] == 1
    assert cached_names() == []
    assert not downloads_dir().exists() or list(downloads_dir().iterdir()) == []
    http_mirror["cut"] = False
    assert main(["data", "fetch"]) == 0, "a later fetch starts afresh and succeeds"
    assert cached_names() == ["covtype"]


def test_an_interrupted_download_in_the_window(qtbot, http_mirror: dict, shown: list[str]) -> None:
    from modelrace.gui.window.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.dataset_panel.download_covtype()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "stopped after" in shown[-1] and "interrupted" in shown[-1]
    assert cached_names() == [] and win.dataset_panel.download_button.isEnabled()
    http_mirror["cut"] = False
    with qtbot.waitSignal(win.dataset_panel.datasetsChanged, timeout=60_000):
        win.dataset_panel.download_covtype()  # the connection is back: the same button works
    assert cached_names() == ["covtype"] and win.dataset_panel.selected() == "covtype"
