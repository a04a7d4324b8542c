"""A second Ctrl+C quits at once with status 130, every time, however soon it follows the first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelrace.models.results.files import load_result


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.6, 1.5])
def test_a_second_ctrl_c_during_mlp_training_exits_130_cleanly(delay: float, tmp_path: Path, read_until) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelrace.gui", "race", "--models", "mlp,rf", "--json", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        read_until(proc, "epochs")  # the MLP is training
        proc.send_signal(signal.SIGINT)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)  # a hang fails here (no wall-clock assertion: busy laptops pass)
    finally:  # a hung race never outlives its test: it would slow or fail the ones after it
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, f"exit {proc.returncode}: {stderr[-1500:]}"
    assert "terminate called" not in stderr and "Traceback" not in stderr and "Aborted" not in stderr
    if out.exists():  # the first Ctrl+C got as far as writing it: then it is whole
        assert load_result(out)["race"]["stopped"] is True
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".r.json")], "no half-written file is left"
