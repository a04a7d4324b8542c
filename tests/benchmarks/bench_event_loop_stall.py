"""Event-loop stalls of the window during a simultaneous race with live plots (timer probe).

A 5 ms QTimer records the gap between its ticks while the real window runs a `simultaneous`
race on the real sample; a gap longer than the interval is time the event loop could not run.
Prints p50, p99 and max of the gaps (targets: p99 <= 33 ms, max <= 100 ms).

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_event_loop_stall.py [--data PATH] [--preset quick] [--repeats 3]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from bench_common import SAMPLE_FILE, background_load, load_processes

PROBE_MS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(SAMPLE_FILE))
    parser.add_argument("--preset", default="quick")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--models", default="mlp,rf,xgb", help="models to race (to find which one stalls)")
    parser.add_argument("--preimport", action="store_true",
                        help="before the window, load the libraries as the idle preload does (import, tiny fit, "
                             "frozen collection), to separate their one-off stalls")
    parser.add_argument("--interact", type=float, default=0.0, metavar="S",
                        help="first move the pointer over the window for S seconds (input holds the idle preload off)")
    parser.add_argument("--idle", type=float, default=0.0, metavar="S",
                        help="then leave the window idle for S seconds (the idle preload may load the libraries)")
    parser.add_argument("--niceness", type=int, help="trainer nice level (default: the window's own)")
    parser.add_argument("--load", action="store_true",
                        help="race beside a background load (one busy process on 2 cores, one per other core elsewhere)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MODELRACE_HOME"] = tempfile.mkdtemp(prefix="modelrace-stall-")

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from modelrace.gui.window.app import install_message_filter
    from modelrace.gui.window.main_window import MainWindow
    from modelrace.models.data.opening import open_dataset
    from modelrace.models.system.environment import cpu_count, cpu_model

    install_message_filter()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("modelrace-bench")
    if args.preimport:
        from modelrace.models.trainers.preload import preload_libraries

        preload_libraries(cpu_count())
    dataset = open_dataset(args.data)
    window = MainWindow()
    window.resize(1280, 800)
    window.dataset_panel.refresh(select=dataset.name)
    window.apply_preset(args.preset)
    window.controls.mode.setCurrentText("simultaneous")
    for key, card in window.cards.items():
        card.setChecked(key in args.models.split(","))
    window.show()

    from modelrace.workers import model_threads

    if args.niceness is not None:  # the same level whether the machine is quiet or busy
        model_threads.QUIET_NICENESS = model_threads.BUSY_NICENESS = args.niceness
    load = contextlib.ExitStack()  # closed at the end: the busy processes stop
    busy = load.enter_context(background_load(load_processes() if args.load else 0))
    all_gaps: list[float] = []
    print(f"machine: {cpu_model()}, {cpu_count()} cores; {dataset.rows:,} rows; preset {args.preset}; simultaneous; "
          f"trainers at nice {model_threads.QUIET_NICENESS} quiet, {model_threads.BUSY_NICENESS} busy; "
          f"{busy} busy process(es) beside")
    for phase, seconds in (("interacting", args.interact), ("idle", args.idle)):
        if seconds > 0:
            gaps = probe_gaps(window, seconds, move_pointer=phase == "interacting")
            ordered = sorted(gaps)
            print(f"{phase} {seconds:g} s before the first race: gap p99 {ordered[int(0.99 * (len(ordered) - 1))]:.1f} ms, "
                  f"max {max(gaps):.1f} ms; preload {window.preload.state}")
    for repeat in range(args.repeats):
        gaps: list[float] = []
        clock = QElapsedTimer()
        probe = QTimer()
        probe.setInterval(PROBE_MS)

        def tick() -> None:
            gaps.append(clock.nsecsElapsed() / 1e6)
            clock.restart()

        probe.timeout.connect(tick)
        loop = QEventLoop()
        window.raceFinished.connect(loop.quit)
        clock.start()
        probe.start()
        start = time.perf_counter()
        window.run_race()
        loop.exec()  # the real event loop, as app.exec() runs it; the probe measures its gaps
        probe.stop()
        window.raceFinished.disconnect(loop.quit)
        gaps = gaps[1:]
        if os.environ.get("STALL_TRACE"):
            print("  gaps > 33 ms at", [f"{sum(gaps[:i]) / 1000:.2f}s:{g:.0f}" for i, g in enumerate(gaps) if g > 33])
        all_gaps += gaps
        ordered = sorted(gaps)
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        print(f"run {repeat + 1}: {time.perf_counter() - start:.1f} s, {len(gaps)} ticks; gap p50 "
              f"{statistics.median(gaps):.1f} ms, p99 {p99:.1f} ms, max {max(gaps):.1f} ms")
    ordered = sorted(all_gaps)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    loaded = "preloaded before the window" if args.preimport else f"preload {window.preload.state} at run 1"
    print(f"all runs: p99 {p99:.1f} ms (target <= 33), max {max(all_gaps):.1f} ms (target <= 100); "
          f"probe interval {PROBE_MS} ms; TensorFlow {loaded}")
    load.close()
    window.close()
    return 0


def probe_gaps(window, seconds: float, move_pointer: bool) -> list[float]:  # noqa: ANN001 - a benchmark helper
    """Run the event loop for ``seconds`` with the 5 ms probe (and, if asked, a pointer moving over the window)."""
    from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QPointF, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    gaps: list[float] = []
    clock = QElapsedTimer()
    probe, mover, loop = QTimer(), QTimer(), QEventLoop()
    probe.setInterval(PROBE_MS)
    probe.timeout.connect(lambda: (gaps.append(clock.nsecsElapsed() / 1e6), clock.restart()))
    mover.setInterval(100)
    position = {"x": 10.0}

    def move() -> None:
        position["x"] = 10.0 + (position["x"] + 7) % 600
        point = QPointF(position["x"], 200.0)
        event = QMouseEvent(QEvent.Type.MouseMove, point, window.mapToGlobal(point.toPoint()).toPointF(),
                            Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window, event)

    mover.timeout.connect(move)
    clock.start()
    probe.start()
    if move_pointer:
        mover.start()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    probe.stop()
    mover.stop()
    return gaps[1:]


if __name__ == "__main__":
    sys.exit(main())
