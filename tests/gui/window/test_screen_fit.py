"""The window fits its screen: a first start, and a geometry remembered on a larger screen.

Each case runs in its own process, on Qt's offscreen platform with a screen size from a JSON file
(``tests/screens/``): the screen is fixed when Qt starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCREENS = Path(__file__).resolve().parents[2] / "screens"

OPEN_AND_REPORT = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from modelrace.gui.window.main_window import MainWindow
window = MainWindow(remember=sys.argv[1] == "remember")
window.show()
for _ in range(10):
    app.processEvents()
if len(sys.argv) > 2:  # the user makes the window this big before closing it
    width, height = map(int, sys.argv[2].split("x"))
    window.resize(width, height)
    app.processEvents()
area = window.screen().availableGeometry()
frame = window.frameGeometry()
print(json.dumps({"area": [area.x(), area.y(), area.width(), area.height()],
                  "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                  "maximised": window.isMaximized()}))
window.close()
"""


def open_window(screen: str, home: Path, *args: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={SCREENS / screen}", "MODELRACE_HOME": str(home)}
    proc = subprocess.run([sys.executable, "-c", OPEN_AND_REPORT, *args], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def inside(frame: list[int], area: list[int]) -> bool:
    x, y, w, h = frame
    ax, ay, aw, ah = area
    return x >= ax and y >= ay and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.parametrize(("screen", "maximised"), [("projector-1024x768.json", True), ("laptop-1366x768.json", True),
                                                   ("desktop-1920x1080.json", False)])
@pytest.mark.parametrize("remember", ["remember", "scripted"])
def test_a_first_start_fits_the_screen(tmp_path: Path, screen: str, maximised: bool, remember: str) -> None:
    shown = open_window(screen, tmp_path / "home", remember)
    assert inside(shown["frame"], shown["area"]), shown
    assert shown["maximised"] == maximised, shown
    if not maximised:
        assert shown["frame"][2] >= 1280 and shown["frame"][3] >= 800, "a desktop gets the preferred size"


def test_a_geometry_remembered_on_a_large_screen_fits_a_projector(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert not home.exists(), "a fresh machine: no data home yet"
    big = open_window("desktop-1920x1080.json", home, "remember", "1800x1000")
    assert big["frame"][2] >= 1800
    assert (home / "settings.ini").is_file(), "the first session is remembered even before any dataset was cached"
    again = open_window("desktop-1920x1080.json", home, "remember")
    assert again["frame"][2] >= 1800 and not again["maximised"], "on the same screen it comes back as it was"
    projector = open_window("projector-1024x768.json", home, "remember")
    assert inside(projector["frame"], projector["area"]), projector
