"""Fits on a busy machine: engine against bare library fits, as the terminal and as the real window runs them.

A controlled background load is started (one CPU-bound process on a 2-core machine, one per other
core elsewhere), then, per model and per repeat, alternating: a bare library fit; the engine's fit on
a plain thread (the terminal); a race of that one model in a real, shown window (offscreen), its
event loop running, once per trainer niceness asked for (``--niceness auto,5,0``: the window's
QThread workers are lowered by it; ``auto`` is the window's own choice, by how busy the machine is).
The same runs on the quiet machine first. Prints medians and each engine/bare ratio, quiet and under
load (target: <= 1.2 under load).

    python tests/benchmarks/bench_under_load.py [--models xgb,rf,mlp] [--repeats 3] [--rows N] [--niceness auto,5,0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading

from bench_common import NullSink, SAMPLE_FILE, background_load, load_processes
from bench_engine_overhead import BARE

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MODELRACE_HOME"] = tempfile.mkdtemp(prefix="modelrace-load-")
os.environ["MODELRACE_PRELOAD"] = "0"  # the libraries load in the warm-up instead, as measured

from modelrace.models.data.opening import open_dataset  # noqa: E402 - after the environment above
from modelrace.models.race.one_race import prepare, run_model  # noqa: E402
from modelrace.models.race.presets import load_preset  # noqa: E402
from modelrace.models.race.settings import RaceSettings  # noqa: E402
from modelrace.models.system.environment import cpu_count, cpu_model  # noqa: E402

def on_thread(work):  # noqa: ANN001, ANN201 - a benchmark helper
    """Run ``work`` on a new thread, as the terminal's workers do, and return its value."""
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(value=work()))
    thread.start()
    thread.join()
    return box["value"]


class WindowArm:
    """A real window that races one model at a time, with its trainers at a chosen niceness."""

    def __init__(self, dataset_name: str, preset: str, rows: int | None) -> None:
        from PySide6.QtWidgets import QApplication

        from modelrace.gui.window.app import install_message_filter
        from modelrace.gui.window.main_window import MainWindow

        from modelrace.workers import model_threads

        self.defaults = model_threads.QUIET_NICENESS, model_threads.BUSY_NICENESS
        install_message_filter()
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.window = window = MainWindow(remember=False)
        window.resize(1280, 800)
        window.dataset_panel.refresh(select=dataset_name)
        window.apply_preset(preset)
        window.dataset_panel.rows.setValue(rows or 0)
        window.controls.mode.setCurrentText("simultaneous")
        window.show()

    def race(self, key: str, niceness: str) -> float:
        """Race model ``key`` alone in the window, its trainers at ``niceness`` ("auto": the window's choice)."""
        from PySide6.QtCore import QEventLoop

        from modelrace.workers import model_threads

        quiet, busy = (self.defaults if niceness == "auto" else (int(niceness), int(niceness)))
        model_threads.QUIET_NICENESS, model_threads.BUSY_NICENESS = quiet, busy
        for name, card in self.window.cards.items():
            card.setChecked(name == key)
        loop, box = QEventLoop(), {}

        def finished(result: dict) -> None:
            box["result"] = result
            loop.quit()

        self.window.raceFinished.connect(finished)
        self.window.run_race()
        loop.exec()
        self.window.raceFinished.disconnect(finished)
        return float(box["result"]["models"][key]["train_seconds"])


def measure(key: str, split, dataset, config, threads: int, seed: int, repeats: int,  # noqa: ANN001
            window: WindowArm, niceness: list[str]) -> dict[str, list[float]]:
    """Alternate bare, terminal-engine and window fits (one per niceness); training seconds of each."""
    arms: dict[str, list[float]] = {"bare": [], "terminal": [], **{f"window nice {n}": [] for n in niceness}}
    for _ in range(repeats):
        arms["bare"].append(on_thread(lambda: BARE[key](split, config, threads, seed)))
        entry = on_thread(lambda: run_model(key, config, split, dataset.classes, threads, seed, NullSink()))
        arms["terminal"].append(entry["train_seconds"])
        for level in niceness:
            arms[f"window nice {level}"].append(window.race(key, level))
    return arms


def main() -> int:
    """Quiet figures, then the same under a background load; one line per model and phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SAMPLE_FILE))
    parser.add_argument("--preset", default="tutorial")
    parser.add_argument("--models", default="xgb,rf,mlp")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--niceness", default="auto,5,0",
                        help="trainer nice levels to try in the window (auto: the window's own choice, by the load)")
    args = parser.parse_args()
    niceness = args.niceness.split(",")
    preset = load_preset(args.preset)
    settings = RaceSettings(preset=preset, rows=args.rows)
    dataset, split = prepare(open_dataset(args.data), settings)
    window = WindowArm(dataset.name, preset.name, args.rows)
    threads, seed = cpu_count(), settings.resolved_seed()
    busy_count = load_processes()
    print(f"machine: {cpu_model()}, {threads} cores; {len(split.y_train):,} training rows; preset {preset.name}; "
          f"{args.repeats} alternating repeats; load: {busy_count} busy process(es)")
    names = ["terminal", *(f"window nice {n}" for n in niceness)]
    print(f"{'model':<5} {'phase':<6} {'bare s':>7} " + " ".join(f"{n + ' s':>15}" for n in names)
          + " " + " ".join(f"{n + '/bare':>18}" for n in names))
    for key in args.models.split(","):
        config = preset.models[key]
        BARE[key](split, config, threads, seed)  # warm-up: imports, first-call compilation
        window.race(key, niceness[0])
        for phase in ("quiet", "loaded"):
            with background_load(busy_count if phase == "loaded" else 0):
                arms = measure(key, split, dataset, config, threads, seed, args.repeats, window, niceness)
            medians = {arm: statistics.median(values) for arm, values in arms.items()}
            bare = medians["bare"]
            print(f"{key:<5} {phase:<6} {bare:>7.2f} " + " ".join(f"{medians[n]:>15.2f}" for n in names) + " "
                  + " ".join(f"{medians[n] / bare:>18.2f}" for n in names), flush=True)
    print("target: engine/bare <= 1.2 under load, in the window as in the terminal")
    window.window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
