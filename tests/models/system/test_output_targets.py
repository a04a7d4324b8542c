"""Every writer (results, reports, CSV, scripts, screenshots, settings, kits) follows symbolic links and
refuses devices, FIFOs and sockets with one line, replacing nothing."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.output.csv_export import write_csv
from modelrace.models.output.reports import write_report
from modelrace.models.output.repro_script import write_script
from modelrace.models.results.files import load_result, save_result
from modelrace.models.system.errors import OutputError

SPECIAL = ["fifo", "socket", "device"]


def make_special(kind: str, path: Path) -> Path:
    """A FIFO, a listening Unix socket, or a character device (the numbers of /dev/null) at ``path``."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        make_special.sockets.append(server)  # type: ignore[attr-defined]
    else:
        try:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root (CI runs as root)")
    return path


make_special.sockets = []  # type: ignore[attr-defined]


def still_special(path: Path, kind: str) -> bool:
    mode = os.lstat(path).st_mode
    return {"fifo": stat.S_ISFIFO, "socket": stat.S_ISSOCK, "device": stat.S_ISCHR}[kind](mode)


@pytest.fixture(scope="module")
def result(saved_race) -> dict:
    return load_result(saved_race("--models", "rf", "--rows", "2000"))


def writers(result: dict) -> dict[str, tuple[str, Callable[[Path], object]]]:
    """Each writer, with the file name it writes (a report's suffix picks its type)."""
    return {
        "result": ("r.json", lambda p: save_result(result, p)),
        "html report": ("r.html", lambda p: write_report(result, p)),
        "pdf report": ("r.pdf", lambda p: write_report(result, p)),
        "csv": ("curves.csv", lambda p: write_csv(result, p.parent)),
        "script": ("r.py", lambda p: write_script(result, p)),
        "screenshot": ("shot.png", _screenshot),
    }


def _screenshot(path: Path) -> None:
    from PySide6.QtGui import QPixmap

    from modelrace.gui.window.app import save_png_atomic

    pixmap = QPixmap(8, 8)
    pixmap.fill()
    save_png_atomic(pixmap, path)


WRITERS = ["result", "html report", "pdf report", "csv", "script", "screenshot"]


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("writer", WRITERS)
def test_a_special_file_is_refused_and_left_alone(qapp, result: dict, writer: str, kind: str, tmp_path: Path) -> None:
    name, write = writers(result)[writer]
    target = make_special(kind, tmp_path / name)
    with pytest.raises(OutputError) as caught:
        write(target)
    message = str(caught.value)
    assert "nothing was written" in message and str(target) in message and "\n" not in message
    assert still_special(target, kind)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary file is left"


@pytest.mark.parametrize("writer", WRITERS)
def test_a_symbolic_link_is_followed_and_kept(qapp, result: dict, writer: str, tmp_path: Path) -> None:
    name, write = writers(result)[writer]
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    real = real_folder / name
    real.write_bytes(b"last week")
    link = tmp_path / name
    link.symlink_to(real)
    write(link)
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() != b"last week" and real.stat().st_size > 0
    dangling = tmp_path / "new" / name
    dangling.parent.mkdir()
    (tmp_path / "new-target").mkdir()
    dangling.symlink_to(tmp_path / "new-target" / name)
    write(dangling)
    assert dangling.is_symlink() and (tmp_path / "new-target" / name).stat().st_size > 0


@pytest.mark.parametrize("kind", SPECIAL)
def test_the_cli_refuses_before_any_work(result: dict, kind: str, tmp_path: Path, capsys) -> None:
    saved = tmp_path / "saved.json"
    save_result(result, saved)
    for args, name in ((["report", str(saved), "--report"], "out.html"), (["race", "--models", "rf", "--json"], "out.json"),
                       (["export-script", str(saved)], "out.py")):
        target = make_special(kind, tmp_path / f"{kind}-{name}")
        assert main([*args, str(target)]) == 2
        err = capsys.readouterr().err
        assert "nothing was written" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert still_special(target, kind)


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_kit_file_in_the_way_is_refused(result: dict, kind: str, tmp_path: Path, capsys) -> None:
    kit = tmp_path / "kit"
    kit.mkdir()
    guide = make_special(kind, kit / "STUDENTS.md")
    assert main(["workshop", "pack", str(kit), "--no-wheels"]) == 2
    err = capsys.readouterr().err
    assert "STUDENTS.md" in err and "nothing was written" in err and still_special(guide, kind)


@pytest.mark.parametrize("kind", ["fifo", "device", "symlink"])
def test_the_window_settings_never_replace_what_stands_there(qtbot, isolated_home: Path, kind: str) -> None:
    from modelrace.gui.window.main_window import MainWindow

    isolated_home.mkdir(parents=True, exist_ok=True)
    settings = isolated_home / "settings.ini"
    if kind == "symlink":
        real = isolated_home / "kept" / "real.ini"
        real.parent.mkdir()
        real.write_text("[General]\nmode=simultaneous\n")
        settings.symlink_to(real)
    else:
        make_special(kind, settings)
    window = MainWindow()  # a FIFO must not hang it
    qtbot.addWidget(window)
    window.controls.repeats.setValue(3)
    window.close()
    if kind == "symlink":
        assert settings.is_symlink() and "repeats=3" in real.read_text() and "mode=simultaneous" in real.read_text()
    else:
        assert still_special(settings, kind)
