"""Capture the README's screenshots: the window at workshop sizes, light and dark, in each state.

    QT_QPA_PLATFORM=offscreen python tests/docs/capture_screenshots.py [--out docs/screens]

Each configuration (size, presenter level, settings shown or hidden, Qt scale factor, theme) runs in
its own process (the scale factor must be set before Qt starts) and saves these states: idle, mid-race
(a real tutorial race, caught at the MLP's fifth epoch), stopped (the same race stopped there), repeats,
sizes and grid (saved results of real races, made first with the terminal), and the repeats result's
Time to target and Confusion matrices tabs. A contact sheet per configuration puts them side by side
for looking at (in the system's temporary folder, not the repository). ``--grid`` captures one more: a
race grid on 2 local workers, mid-grid, with its Cells tab.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CONFIGS = {  # name: (width, height, presenter level, Qt scale factor, settings hidden, theme)
    f"{size}{'-' + scheme if scheme == 'dark' else ''}": (*dims, scheme)
    for size, dims in {
        "1024x768": (1024, 768, 0, 1, False),
        "1024x768-present": (1024, 768, 2, 1, True),  # View → Present's text size, settings hidden
        "1366x768": (1366, 768, 0, 1, False),
        "1366x768-presenter150": (1366, 768, 2, 1, False),
        "1920x1080": (1920, 1080, 0, 1, False),
        "1280x800-scale2": (1280, 800, 0, 2, False),
    }.items()
    for scheme in ("light", "dark")
}
STATES = ("idle", "mid-race", "stopped", "repeats", "sizes", "grid", "time-to-target", "confusion")


def make_results(folder: Path) -> dict[str, Path]:
    """Race the saved results the repeats and sizes states show (terminal, real rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {"repeats": folder / "repeats.json", "sizes": folder / "sizes.json", "grid": folder / "grid.json"}
    commands = {
        "repeats": ["--preset", "quick", "--repeats", "3"],
        "sizes": ["--preset", "quick", "--sizes", "1000,2000,4000,8000", "--repeats", "2"],
        "grid": ["--preset", "quick", "--sizes", "1000,2000", "--repeats", "2", "--workers", "2"],
    }
    for name, extra in commands.items():
        if not made[name].exists():
            subprocess.run([sys.executable, "-m", "modelrace.gui", "race", *extra, "--json", str(made[name])],
                           check=True, stdout=subprocess.DEVNULL)
    return made


def capture_one(name: str, out: Path, results: dict[str, Path]) -> None:
    """In this process: one configuration, every state."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from modelrace.gui.window import theme

    width, height, presenter, _, hidden, scheme = CONFIGS[name]
    app = QApplication.instance() or QApplication([])
    theme.apply_theme(scheme)  # the window's own light or dark theme (View → Theme)
    from modelrace.gui.window.main_window import MainWindow
    from modelrace.gui.window.app import save_png_atomic
    from modelrace.models.race.events import Steps

    window = MainWindow(remember=False)
    window.set_window_size(width, height)
    window.show()
    window.set_scale_index(presenter)
    window.sidebar.setVisible(not hidden)
    window.fit_panels()

    def grab(state: str) -> None:
        app.processEvents()
        save_png_atomic(window.grab(), out / f"{name}-{state}.png")

    for _ in range(5):
        app.processEvents()
    grab("idle")
    window.apply_preset("tutorial")
    window.show_tab("results")
    caught = {"mid": False}

    def on_steps(event: object) -> None:
        if not isinstance(event, Steps):
            return
        mlp = [s for s in event.steps if s.model == "mlp" and s.step >= 5]
        if mlp and not caught["mid"]:
            caught["mid"] = True
            QTimer.singleShot(150, lambda: (grab("mid-race"), window.stop_race()))

    window.session.event.connect(on_steps)
    window.raceFinished.connect(lambda _result: QTimer.singleShot(300, app.quit))
    window.run_race()
    app.exec()
    grab("stopped")
    tabs = {"repeats": ("repeats", "results"), "sizes": ("sizes", "data-size"), "grid": ("grid", "cells"),
            "time-to-target": ("repeats", "time-to-target"), "confusion": ("repeats", "confusion-matrices")}
    for state, (made, tab) in tabs.items():
        window.open_results(results[made])
        window.show_tab(tab)
        window.plots.set_x_mode("time")
        QTimer.singleShot(300, app.quit)
        app.exec()
        grab(state)
    window.close()


def capture_grid(out: Path) -> Path:
    """A real grid (quick preset, 2 seeds × 3 sizes) on 2 local workers, caught once 3 cells have finished."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from modelrace.gui.window.app import save_png_atomic
    from modelrace.gui.window.main_window import MainWindow
    from modelrace.gui.window.run_on_box import LOCAL
    from modelrace.models.cluster.events import CellFinished

    app = QApplication.instance() or QApplication([])
    window = MainWindow(remember=False)
    window.set_window_size(1366, 768)
    window.show()
    window.fit_panels()
    window.apply_preset("quick")
    window.controls.repeats.setValue(2)
    window.controls.sizes.setText("1000, 2000, 4000")
    window.run_on.where.setCurrentText(LOCAL)
    window.run_on.workers.setValue(2)
    path = out / "1366x768-live-grid.png"
    finished = {"cells": 0}

    def on_cell(event: object) -> None:
        if not isinstance(event, CellFinished):
            return
        finished["cells"] += 1
        if finished["cells"] == 3:  # a moment later, a fourth cell is mid-training
            QTimer.singleShot(2500, lambda: (save_png_atomic(window.grab(), path), window.stop_race()))

    window.session.event.connect(on_cell)
    window.raceFinished.connect(lambda _result: QTimer.singleShot(300, app.quit))
    window.run_race()
    app.exec()
    window.close()
    return path


def contact_sheet(name: str, out: Path) -> Path:
    """The five states of a configuration side by side (for looking at), saved beside them."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    images = [QImage(str(out / f"{name}-{state}.png")) for state in STATES]
    rows = (len(images) + 1) // 2
    thumb_width = 900
    thumbs = [image.scaledToWidth(thumb_width, Qt.TransformationMode.SmoothTransformation) for image in images]
    sheet = QImage(thumb_width * 2 + 10, (max(t.height() for t in thumbs) + 10) * rows, QImage.Format.Format_RGB32)
    sheet.fill(Qt.GlobalColor.white)
    painter = QPainter(sheet)
    for i, thumb in enumerate(thumbs):
        painter.drawImage((i % 2) * (thumb_width + 10), (i // 2) * (thumbs[0].height() + 10), thumb)
    painter.end()
    path = Path(tempfile.gettempdir()) / "modelrace-sheets" / f"{name}.png"  # for looking, not for the repository
    path.parent.mkdir(exist_ok=True)
    sheet.save(str(path))
    return path


def capture_reports(result_path: Path, docs: Path) -> list[Path]:
    """The HTML report rendered by Qt, and the PDF's first three pages by pypdfium2, as PNGs for the README."""
    import pypdfium2
    from PySide6.QtWidgets import QApplication

    from modelrace.gui.window.report_preview import render_html_to_image
    from modelrace.models.output.html_report import html_report
    from modelrace.models.output.pdf_report import pdf_report
    from modelrace.models.results.files import load_result

    QApplication.instance() or QApplication([])
    result = load_result(result_path)
    made = [docs / "report-html.png"]
    page = render_html_to_image(html_report(result), width=1000)
    page.copy(0, 0, page.width(), min(page.height(), 1500)).save(str(made[0]))  # the first screen of the page
    pdf = pypdfium2.PdfDocument(pdf_report(result))
    for index in range(min(3, len(pdf))):
        path = docs / f"report-pdf-{index + 1}.png"
        pdf[index].render(scale=1.4).to_pil().save(path)
        made.append(path)
    return made


def main() -> None:
    """Capture every configuration (each in a child process), then the contact sheets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screens"))
    parser.add_argument("--only", choices=list(CONFIGS), action="append")
    parser.add_argument("--one", choices=list(CONFIGS), help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    parser.add_argument("--grid", action="store_true", help="capture only the race grid's screenshot")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.grid:
        print("grid:", capture_grid(args.out))
        return
    if args.one:
        capture_one(args.one, args.out, {k: Path(v) for k, v in json.loads(args.results).items()})
        return
    results = make_results(Path(tempfile.mkdtemp(prefix="modelrace-screens-")))
    print("reports:", ", ".join(str(p) for p in capture_reports(results["repeats"], args.out.parent)))
    for name in args.only or list(CONFIGS):
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "QT_SCALE_FACTOR": str(CONFIGS[name][3])}
        subprocess.run([sys.executable, __file__, "--one", name, "--out", str(args.out),
                        "--results", json.dumps({k: str(v) for k, v in results.items()})], check=True, env=env)
        print(f"{name}: {', '.join(STATES)} -> {contact_sheet(name, args.out)}")


if __name__ == "__main__":
    main()
