"""How long a step takes from a trainer to the plots: the real window, offscreen, racing the quick preset.

Each step is timed as the trainer's thread hands it on (into the run's queue) and again as the
window draws it (``LiveRace.show_steps``). Prints the median, p99 and max of that latency over
every step of ``--repeats`` races, and the number of batches the plots grew by. The same script
measures the code before the event stream (the bridge's ``put`` to ``MainWindow.show_steps``) when
it finds that code instead.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_step_latency.py [--repeats 3] [--rows 4000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int, default=4000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MODELRACE_HOME"] = tempfile.mkdtemp(prefix="modelrace-latency-")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from modelrace.gui.window.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    put_at: dict[int, float] = {}
    latencies: list[float] = []
    batches = [0]

    def shown(steps: object) -> None:
        now = time.perf_counter()
        batches[0] += 1
        for step in steps:  # type: ignore[attr-defined]
            began = put_at.pop(id(step), None)
            if began is not None:
                latencies.append(now - began)

    try:
        from modelrace.gui.window.live_race import LiveRace
        from modelrace.models.race.events import Steps
        from modelrace.workers.race_runs import RunChannel

        design = "one event stream"
        put, show = RunChannel.put, LiveRace.show_steps

        def timed_put(channel: RunChannel, event: object) -> None:
            if isinstance(event, Steps):
                for step in event.steps:
                    put_at[id(step)] = time.perf_counter()
            put(channel, event)  # type: ignore[arg-type]

        def timed_show(live: LiveRace, steps: object) -> None:
            show(live, steps)  # type: ignore[arg-type]
            shown(steps)

        RunChannel.put, LiveRace.show_steps = timed_put, timed_show  # type: ignore[method-assign]
    except ImportError:  # the code before the event stream
        from modelrace.workers.race_bridge import RaceBridge

        design = "bridges"
        put, show = RaceBridge.put, MainWindow.show_steps

        def timed_put(bridge: object, step: object) -> None:  # type: ignore[misc]
            put_at[id(step)] = time.perf_counter()
            put(bridge, step)  # type: ignore[arg-type]

        def timed_show(window: object, steps: object) -> None:  # type: ignore[misc]
            show(window, steps)  # type: ignore[arg-type]
            shown(steps)

        RaceBridge.put, MainWindow.show_steps = timed_put, timed_show  # type: ignore[method-assign]

    window = MainWindow(remember=False)
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(args.rows)
    window.show()
    for _ in range(args.repeats + 1):  # the first race loads the libraries: not counted
        got: list[dict] = []
        window.raceFinished.connect(got.append)
        latencies_before = len(latencies)
        window.run_race()
        while not got:  # an event loop, not QTest.qWait, which sleeps holding the GIL
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()
        if not hasattr(main, "_warm"):
            main._warm = True  # type: ignore[attr-defined]
            del latencies[latencies_before:]
            batches[0] = 0
    window.close()
    app.processEvents()
    ms = sorted(1000 * value for value in latencies)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    print(f"{design}: {len(ms)} steps in {batches[0]} batches over {args.repeats} races; trainer -> plot latency "
          f"median {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
