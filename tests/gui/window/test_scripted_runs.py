"""Scripted window runs: --size is bounded, and a capture neither reads nor changes the user's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from modelrace.gui.window.app import run_app


@pytest.mark.parametrize("size, words", [("100000x100000", "outside the sizes"), ("7681x1000", "outside the sizes"),
                                         ("10x10", "outside the sizes"), ("0x0", "outside the sizes"),
                                         ("big", "not WIDTHxHEIGHT"), ("1280x", "not WIDTHxHEIGHT")])
def test_an_impossible_window_size_is_refused_before_any_window(size: str, words: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_app(["--size", size, "--quit"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "e.g. 1280x800" in err and len(err.strip().splitlines()[-1]) < 200


def test_a_headless_capture_leaves_the_users_settings_as_they_were(sample_file: Path, tmp_path: Path,
                                                                  isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True, exist_ok=True)
    settings = isolated_home / "settings.ini"
    settings.write_text("[General]\nmode=simultaneous\nrepeats=4\npreset=strong\n")
    before = settings.read_bytes()
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MODELRACE_HOME": str(isolated_home)}
    proc = subprocess.run(
        [sys.executable, "-m", "modelrace.gui", "gui", "--preset", "quick", "--models", "rf", "--rows", "2000",
         "--size", "1024x768", "--run", "--screenshot", str(shot), "--json", str(tmp_path / "r.json"), "--quit"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert settings.read_bytes() == before, "the capture changed what the user sees at the next start"
    import json

    result = json.loads((tmp_path / "r.json").read_text())
    assert result["race"]["mode"] == "fair" and "repeats" not in result, "nor did it race with the user's settings"
