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


def run_gui(*args: str, home: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "MODELRACE_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "modelrace.gui", "gui", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_a_saved_result_is_shown_and_captured_without_training(saved_repeats: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    shot = tmp_path / "opened.png"
    proc = run_gui("--open", str(saved_repeats), "--tab", "time-to-target", "--size", "1024x768", "--presenter", "150%",
                   "--hide-settings", "--theme", "dark", "--screenshot", str(shot), "--quit", home=tmp_path / "home")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "Qt:" not in proc.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1024, 768)
    corner = image.pixelColor(image.width() // 2, image.height() - 60)
    assert corner.lightness() < 128, "the dark theme was used"
    assert not (tmp_path / "home" / "settings.ini").exists(), "a capture leaves the user's settings alone"


@pytest.mark.parametrize("args", [["--screenshot", "SHOT", "--quit"], ["--quit"], ["--tab", "how-sure", "--quit"],
                                  ["--screenshot", "SHOT", "--quit", "--theme", "light", "--presenter", "2"]])
def test_every_headless_combination_ends(tmp_path: Path, args: list[str]) -> None:
    shot = tmp_path / "idle.png"
    proc = run_gui(*[str(shot) if a == "SHOT" else a for a in args], home=tmp_path / "home", timeout=90)
    assert proc.returncode == 0, proc.stderr[-2000:]
    if "SHOT" in args:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("args", "words"), [
    (["--presenter", "300"], "is not a text size; use one of 100%, 125%, 150%"),
    (["--tab", "charts"], "is not a results tab; use one of results, time-to-target"),
    (["--json", "OUT", "--quit"], "--json writes the result of the race that --run starts"),
    (["--run", "--open", "x.json"], "not allowed with argument"),
    (["--open", "MISSING", "--quit"], "MISSING"),
    (["--rows", "abc"], "--rows: 'abc' is not a whole number; e.g. --rows 4000"),
    (["--repeats", "0"], "--repeats: '0' must be at least 1"),
    (["--sizes", "1000,x"], "--sizes: '1000,x' is not a comma list of whole numbers"),
    (["--theme", "drak"], "--theme: 'drak' is not one of system, light, dark; did you mean dark?"),
    (["--hide-settingz"], "unknown option --hide-settingz; did you mean --hide-settings?"),
])
def test_headless_requests_that_cannot_work_are_one_line(tmp_path: Path, args: list[str], words: str) -> None:
    replaced = [str(tmp_path / "r.json") if a == "OUT" else str(tmp_path / "missing.json") if a == "MISSING" else a
                for a in args]
    proc = run_gui(*replaced, home=tmp_path / "home", timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    expected = words.replace("MISSING", "missing.json")
    assert expected in proc.stderr, proc.stderr


@pytest.mark.parametrize(("text", "index"), [("150", 2), ("150%", 2), ("1.5", 2), ("2", 2), ("100%", 0), ("250", 5),
                                             ("0", 0)])
def test_presenter_sizes_are_percentages(text: str, index: int) -> None:
    from modelrace.gui.window.app import build_parser

    assert build_parser().parse_args(["--presenter", text]).presenter == index


@pytest.mark.parametrize(("text", "name"), [("time-to-target", "time-to-target"), ("Time to target", "time-to-target"),
                                           ("profile", "time-to-target"), ("How sure?", "how-sure"),
                                           ("evidence", "how-sure"), ("confusion", "confusion-matrices")])
def test_tabs_are_named_as_their_labels(text: str, name: str) -> None:
    from modelrace.gui.window import TABS
    from modelrace.gui.window.app import build_parser

    assert build_parser().parse_args(["--tab", text]).tab == name
    label = dict(TABS)[name]
    assert name == label.lower().replace(" ", "-").rstrip("?"), "the name is the label the user sees"
