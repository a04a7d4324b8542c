"""A storm against the real window, offscreen: Run, a random wait, Stop, over and over, mixed with worse.

Each cycle, in fair or simultaneous mode (alternating), does one of:

- **run-stop**: Run, wait 0-60 ms, Esc, wait 0-15 ms (most cycles);
- **restart**: Run, wait, Run again while racing, wait, Esc;
- **open**: Run, wait, Open results (a saved result) during the race;
- **grid**: a grid on 2 local workers started, then stopped once a cell runs (or after 8 s);
- **close**: Run, wait, close the window mid-race, then a new window in the same process;
- **finish**: one race to the end, whose result must be complete.

Every 100 cycles hold one grid (the 11th) and one close (the 61st) for sure, and a finish every
25th; the others are drawn at random, mostly run-stop.

The storm runs in a child process, so that a hang or an abort is counted instead of ending the
count. A watchdog in the child (``faulthandler.dump_traceback_later``, re-armed at every sign of
progress) dumps every thread's stack and exits non-zero when any stretch makes no progress for
``--watchdog`` seconds. If a child
hangs or aborts, a new one carries on with the cycles left. At the end each child closes its window
without going back to the event loop and exits; anything but status 0 (a "QThread: Destroyed while
thread is still running" abort, say) counts as an abort.

Prints the cycles run, the hangs, the aborts, the other failures, and the threads and memory at
the end against their baseline. Exits 1 if any hang, abort or failure was seen.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/stress_window.py [--cycles 1000] [--rows 3000] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: What faulthandler's watchdog writes first when it fires.
HANG_MARK = "Timeout ("
#: What a cycle not fixed below does, with its weight (run-stop most of the time).
ACTIONS = {"run-stop": 75, "restart": 13, "open": 9, "close": 3}
#: Cycles (modulo 100) with a fixed action; and a finish every 25th cycle.
FIXED = {10: "grid", 60: "close"}
FINISH_EVERY = 25


def action_for(cycle: int, draw: float, grids: bool) -> str:
    """What cycle ``cycle`` does, ``draw`` being a uniform random number in [0, 1)."""
    if cycle % FINISH_EVERY == FINISH_EVERY - 1:
        return "finish"
    fixed = FIXED.get(cycle % 100)
    if fixed and (fixed != "grid" or grids):
        return fixed
    total = sum(ACTIONS.values())
    edge = 0.0
    for action, weight in ACTIONS.items():
        edge += weight / total
        if draw < edge:
            return action
    return "run-stop"


def main(argv: list[str] | None = None) -> int:
    """Run the storm in child processes and print what came of it; 0 if nothing went wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--watchdog", type=float, default=60.0, metavar="S", help="seconds without progress that count as a hang")
    parser.add_argument("--no-grid", action="store_true", help="leave out the grid cycles (no Dask workers)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return storm(args)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures = {"cycles": 0, "hangs": 0, "aborts": 0, "failures": [], "children": []}
    began = time.monotonic()
    while figures["cycles"] < args.cycles:
        report = Path(tempfile.mkstemp(prefix="modelrace-stress-", suffix=".json")[1])
        command = [sys.executable, __file__, "--child", "--cycles", str(args.cycles), "--first", str(figures["cycles"]),
                   "--rows", str(args.rows), "--seed", str(args.seed + figures["cycles"]), "--watchdog", str(args.watchdog),
                   "--report", str(report), *(["--no-grid"] if args.no_grid else [])]
        done = subprocess.run(command, capture_output=True, text=True)
        child = json.loads(report.read_text() or "{}") if report.stat().st_size else {}
        report.unlink(missing_ok=True)
        ran = child.get("cycles", _last_cycle(done.stdout) - figures["cycles"])
        figures["cycles"] += max(ran, 0)
        status = "ok"
        if done.returncode != 0 and HANG_MARK in done.stderr:
            figures["hangs"] += 1
            status = "hang"
        elif done.returncode != 0 or "Destroyed while thread" in done.stderr:
            figures["aborts"] += 1
            status = f"abort ({done.returncode})"
        figures["failures"] += child.get("failures", [])
        figures["children"].append({"status": status, "cycles": ran, **{k: child.get(k) for k in ("threads", "memory")}})
        if status != "ok":
            print(f"child {len(figures['children'])}: {status} after {ran} cycles; its stderr ends:\n{done.stderr[-4000:]}",
                  file=sys.stderr)
        if ran <= 0 and status != "ok":
            break  # it cannot get going: say so instead of trying for ever
    figures["seconds"] = round(time.monotonic() - began, 1)
    last = figures["children"][-1] if figures["children"] else {}
    threads, memory = last.get("threads") or {}, last.get("memory") or {}
    print(f"cycles run: {figures['cycles']} of {args.cycles} in {figures['seconds']:.0f} s "
          f"({len(figures['children'])} process(es))")
    print(f"hangs: {figures['hangs']}, aborts: {figures['aborts']}, failures: {len(figures['failures'])}")
    for failure in figures["failures"][:10]:
        print(f"  failure: {failure}")
    if threads:
        print(f"threads at the end: {threads['end']} (baseline {threads['baseline']}); "
              f"QThreads alive: {threads['qthreads_end']} (baseline {threads['qthreads_baseline']})")
    if memory:
        print(f"memory: {memory['baseline_mb']:.0f} MB after the warm-up, {memory['end_mb']:.0f} MB at the end "
              f"({memory['end_mb'] / memory['baseline_mb']:.3f}x)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    leaked = bool(threads) and threads["end"] > threads["baseline"]
    return 1 if figures["hangs"] or figures["aborts"] or figures["failures"] or leaked else 0


def _last_cycle(stdout: str) -> int:
    """The last cycle a child said it finished (it prints ``cycle N`` as it goes)."""
    numbers = [int(line.split()[1]) for line in stdout.splitlines() if line.startswith("cycle ")]
    return numbers[-1] + 1 if numbers else 0


def storm(args: argparse.Namespace) -> int:
    """The child: the storm itself, in one process."""
    import faulthandler
    import gc
    import random
    import threading

    import psutil
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    os.environ["MODELRACE_HOME"] = tempfile.mkdtemp(prefix="modelrace-stress-home-")
    from modelrace.gui.window.app import install_message_filter
    from modelrace.gui.window.main_window import MainWindow
    from modelrace.gui.window.run_on_box import HERE, LOCAL
    from modelrace.models.results.files import save_result

    install_message_filter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setProperty("headless_capture", True)  # a failed race says so in the log, not in a modal box
    QMessageBox.warning = lambda *a, **k: QMessageBox.StandardButton.Ok  # type: ignore[method-assign]
    rng = random.Random(args.seed)
    failures: list[str] = []
    report: dict = {"cycles": 0, "failures": failures}

    _watchdog[0] = args.watchdog
    _beat()

    def pump(ms: int) -> None:
        _pump(ms)

    def new_window() -> MainWindow:
        win = MainWindow(remember=False)
        win.apply_preset("quick")
        win.dataset_panel.rows.setValue(args.rows)
        win.show()
        return win

    def wait_idle(win: MainWindow, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while win.session.running and time.monotonic() < deadline:
            pump(20)
            _beat()
        return not win.session.running

    def finish(win: MainWindow, what: str) -> dict | None:
        got: list[dict] = []
        errors: list[str] = []
        win.raceFinished.connect(got.append)
        win.raceFailed.connect(errors.append)
        began = time.monotonic()
        QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
        idle = wait_idle(win, 240)
        if not got:
            failures.append(f"{what}: the race did not finish ({'failed: ' + errors[-1] if errors else 'still running'}"
                            f" after {time.monotonic() - began:.0f} s, phase {win.session.phase})" if not idle or errors
                            else f"{what}: the race ended without a result after {time.monotonic() - began:.0f} s")
            return None
        result = got[-1]
        for key in ("mlp", "rf", "xgb"):
            model = result["models"][key]
            if model["status"] != "finished" or win.plots.point_count(key) != len(model["curve"]):
                failures.append(f"{what}: {key} {model['status']}, {win.plots.point_count(key)} points drawn "
                                f"of {len(model['curve'])}")
        return result

    def grid(what: str) -> None:
        win.run_on.where.setCurrentText(LOCAL)
        win.run_on.workers.setValue(2)
        win.controls.repeats.setValue(4)
        QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and win.grid_table.text(0, 2) in ("", "queued"):
            pump(50)
            _beat()
        QTest.keyClick(win, Qt.Key.Key_Escape)
        if not wait_idle(win, 120):
            failures.append(f"{what}: the stopped grid did not end")
        win.run_on.where.setCurrentText(HERE)
        win.controls.repeats.setValue(1)

    win = new_window()
    warm = finish(win, "warm-up")
    if not args.no_grid:
        grid("warm-up")  # Dask's client keeps a few threads of its own once loaded: they belong to the baseline
    saved = Path(os.environ["MODELRACE_HOME"]) / "saved.json"
    if warm is not None:
        save_result(warm, saved)
    pump(500)
    gc.collect()
    baseline_threads = _settled(threading.active_count)
    baseline_qthreads = _qthreads()
    rss = psutil.Process().memory_info().rss / 2**20

    for cycle in range(args.first, args.cycles):
        _beat()
        mode = "fair" if cycle % 2 == 0 else "simultaneous"
        win.controls.mode.setCurrentText(mode)
        action = action_for(cycle, rng.random(), not args.no_grid)
        if action == "run-stop":
            QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
            pump(rng.randint(0, 60))
            QTest.keyClick(win, Qt.Key.Key_Escape)
            pump(rng.randint(0, 15))
        elif action == "restart":
            QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
            pump(rng.randint(0, 60))
            QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
            pump(rng.randint(0, 60))
            QTest.keyClick(win, Qt.Key.Key_Escape)
        elif action == "open":
            QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
            pump(rng.randint(0, 100))
            if saved.is_file() and not win.open_results(saved):
                failures.append(f"cycle {cycle}: Open results failed during a race")
            pump(rng.randint(0, 15))
        elif action == "grid":
            grid(f"cycle {cycle}")
        elif action == "close":
            QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
            pump(rng.randint(0, 200))
            win.close()
            win.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            win = new_window()
        elif action == "finish":
            finish(win, f"cycle {cycle}")
        report["cycles"] += 1
        print(f"cycle {cycle} {action} {mode} {time.monotonic():.2f}", flush=True)

    if win.session.running:
        QTest.keyClick(win, Qt.Key.Key_Escape)
    wait_idle(win, 120)
    pump(500)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    report["threads"] = {"baseline": baseline_threads, "end": _settled(threading.active_count, baseline_threads),
                         "qthreads_baseline": baseline_qthreads, "qthreads_end": _qthreads()}
    report["memory"] = {"baseline_mb": rss, "end_mb": psutil.Process().memory_info().rss / 2**20}
    args.report.write_text(json.dumps(report))
    faulthandler.cancel_dump_traceback_later()
    # Quit without going back to the event loop, mid-race: the process must still end with status 0.
    QTest.mouseClick(win.controls.run_button, Qt.MouseButton.LeftButton)
    pump(rng.randint(50, 400))
    win.close()
    return 0


_watchdog = [60.0]
_armed = [0.0]


def _beat() -> None:
    """Progress: the watchdog starts counting again (it dumps every thread's stack and exits if it reaches the limit).

    Re-armed at most once a second: each re-arm replaces faulthandler's watchdog thread.
    """
    import faulthandler

    now = time.monotonic()
    if now - _armed[0] >= 1.0:
        _armed[0] = now
        faulthandler.dump_traceback_later(_watchdog[0] + 1.0, exit=True)


def _pump(ms: int) -> None:
    """Run the event loop for ``ms`` milliseconds.

    A QEventLoop, not ``QTest.qWait``: qWait sleeps between its event passes holding the GIL, which
    starved the trainers (a first race took 217 s instead of about 15).
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _settled(count, target: int | None = None, seconds: float = 30.0) -> int:  # type: ignore[no-untyped-def]
    """``count()`` once it stops falling (or reaches ``target``), pumping the event loop meanwhile."""
    deadline = time.monotonic() + seconds
    value = count()
    while time.monotonic() < deadline and (target is None or value > target):
        _pump(200)
        _beat()
        newer = count()
        if target is None and newer == value:
            break
        value = newer
    return value


def _qthreads() -> int:
    """Live QThread wrappers of ours (the model and preload threads)."""
    import gc

    from PySide6.QtCore import QThread
    from shiboken6 import isValid

    return sum(1 for obj in gc.get_objects() if isinstance(obj, QThread) and isValid(obj))


if __name__ == "__main__":
    sys.exit(main())
