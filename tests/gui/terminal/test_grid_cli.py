"""``modelrace race --workers/--scheduler``: impossible requests, an unreachable scheduler, Ctrl+C, and --resume."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from modelrace.gui.terminal.main import main

GRID = ["race", "--preset", "quick", "--models", "rf,xgb", "--rows", "3000"]


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("modelrace: error:")]
    assert len(lines) == 1, lines
    return lines[0]


def test_zero_workers_is_refused_by_the_parser(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*GRID, "--workers", "0"])
    assert caught.value.code == 2 and "--workers: '0' must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("flags, words", [
    (["--workers", "1", "--threads-per-race", "512"], "needs 512 cores, but this machine has"),
    (["--workers", "600"], "or at most"),
    (["--workers", "1", "--sizes", "900000"], "the largest training size possible is"),
    (["--workers", "1", "--mode", "simultaneous"], "fair mode"),
    (["--workers", "1", "--cores", "1"], "--threads-per-race"),
    (["--resume", "grid.json"], "--resume is for a race grid on Dask"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "use one of them"),
    (["--scheduler", "127.0.0.1:8786"], "write the address as tcp://HOST:PORT"),
    (["--scheduler", "http://127.0.0.1:8786"], "write the address as tcp://HOST:PORT"),
    (["--scheduler", "tls://127.0.0.1:8786"], "tls:// needs --tls-ca-file, --tls-cert and --tls-key"),
    (["--scheduler", "tls://127.0.0.1:8786", "--tls-ca-file", "ca.pem"], "TLS needs all three files"),
])
def test_impossible_grids_are_refused_before_anything_starts(flags: list[str], words: str, capsys) -> None:
    before = psutil.Process().children(recursive=True)
    assert main(["race", "--preset", "quick", "--models", "rf,xgb", *flags]) == 2
    text = _one_error_line(capsys)
    assert words in text, text
    assert psutil.Process().children(recursive=True) == before, "no worker was started"


def _race(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "modelrace.gui.terminal.main", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def test_an_unreachable_scheduler_is_one_line_and_exit_2_without_hanging(tmp_path: Path) -> None:
    # No wall-clock assertion (a busy laptop must pass): the probe's own 5 s deadline is in the message, and
    # the subprocess timeout fails a hang.
    silent = socket.socket()  # accepts connections and never answers: Dask's handshake would wait forever
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    refused_port = closed.getsockname()[1]
    closed.close()
    try:
        for address, words in ((f"tcp://127.0.0.1:{refused_port}", "cannot connect"),
                               (f"tcp://127.0.0.1:{silent.getsockname()[1]}", "no Dask scheduler answered within 5 s"),
                               ("tcp://no-such-host.invalid:8786", "cannot connect")):
            done = subprocess.run([sys.executable, "-m", "modelrace.gui.terminal.main", *GRID, "--scheduler", address],
                                  capture_output=True, text=True, timeout=60, cwd=tmp_path)
            errors = [line for line in done.stderr.splitlines() if line.startswith("modelrace: error:")]
            assert done.returncode == 2 and len(errors) == 1, done.stderr
            assert address in errors[0] and words in errors[0], errors[0]
            assert "Traceback" not in done.stderr
    finally:
        silent.close()


def _alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def test_ctrl_c_stops_the_grid_writes_what_finished_and_resume_finishes_it(tmp_path: Path, read_until, reaped) -> None:
    out = tmp_path / "grid.json"
    proc = reaped(_race([*GRID, "--repeats", "6", "--workers", "2", "--json", str(out)], tmp_path))
    read_until(proc, "[1/6]", 180)
    children = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    os.killpg(proc.pid, signal.SIGINT)  # the terminal's Ctrl+C: to the whole foreground process group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Stopping the grid" in err and "Traceback" not in err
    time.sleep(2)
    assert _alive(children) == [], "no worker (nor anything else) was left behind"
    saved = json.loads(out.read_text())
    states = [c["state"] for c in saved["cluster"]["cells"]]
    assert 1 <= states.count("finished") < 6, states

    done = subprocess.run([sys.executable, "-m", "modelrace.gui.terminal.main", *GRID, "--repeats", "6", "--workers", "2",
                           "--resume", str(out)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"{states.count('finished')} finished cell" in done.stderr
    assert "Grid: 6 of 6 cells finished, on 2 local worker(s)" in done.stdout, done.stdout[-2000:]
    again = json.loads(out.read_text())
    assert [c["state"] for c in again["cluster"]["cells"]] == ["finished"] * 6
    assert again["repeats"]["count"] == 6 and not again["repeats"]["interrupted"]
    other = subprocess.run([sys.executable, "-m", "modelrace.gui.terminal.main", *GRID, "--repeats", "5", "--workers", "2",
                            "--resume", str(out)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert other.returncode == 2 and "other settings (repeats 6 there, 5 here)" in other.stderr, other.stderr


def test_a_second_ctrl_c_quits_at_once_and_kills_the_workers(tmp_path: Path, read_until, reaped) -> None:
    proc = reaped(_race([*GRID, "--repeats", "6", "--workers", "2"], tmp_path))
    read_until(proc, "started on", 180)
    children = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)]
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=30)  # waiting for the cells instead of quitting fails here
    assert proc.returncode == 130
    time.sleep(2)
    assert _alive(children) == []
