"""``modelrace race … --workers K`` or ``--scheduler ADDRESS``: a race grid's cells on Dask, from the terminal.

The result is written atomically after every cell, so a grid stopped (or killed) part way keeps
every finished cell, and ``--resume OUT.json`` races only the rest. Ctrl+C cancels the cells not
started and stops the running ones at their next step; a second Ctrl+C ends at once (local workers
are killed first, so none is left behind).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from modelrace.gui.terminal.exits import EXIT_INTERRUPTED, EXIT_MODEL_FAILED, EXIT_OK, first_ctrl_c, quit_at_once
from modelrace.gui.terminal.grid_progress import GridProgress
from modelrace.gui.terminal.layout import width_for, wrap
from modelrace.gui.terminal.outputs import shown, write_outputs, written_line
from modelrace.gui.terminal.summary import print_summary
from modelrace.models.cluster.grid_plan import GridOptions, grid_fingerprint, where_words
from modelrace.models.cluster.records import FAILED, FINISHED, finished_records
from modelrace.models.data.dataset import Dataset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.document import Result
from modelrace.models.results.files import save_result
from modelrace.models.system import environment
from modelrace.models.system.errors import ConfigError
from modelrace.models.system.formatting import seconds
from modelrace.models.trainers.libraries import uses_keras


def wants_grid(args: argparse.Namespace) -> bool:
    """True if the command line asks for a race grid on Dask; ConfigError for grid options without one."""
    if args.workers is not None or args.scheduler is not None:
        return True
    for flag, value in (("--resume", args.resume), ("--threads-per-race", args.threads_per_race),
                        ("--tls-ca-file", args.tls_ca_file), ("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key)):
        if value is not None:
            raise ConfigError(f"{flag} is for a race grid on Dask; add --workers K (this machine) or --scheduler ADDRESS")
    return False


def grid_options(args: argparse.Namespace) -> GridOptions:
    """Where the cells run, from the command line."""
    return GridOptions(workers=args.workers, threads=args.threads_per_race, scheduler=args.scheduler,
                       tls_ca_file=args.tls_ca_file, tls_cert=args.tls_cert, tls_key=args.tls_key)


def command_grid(args: argparse.Namespace, settings: RaceSettings, dataset: Dataset, stream: TextIO) -> int:
    """Race the grid, print the summary, and write the JSON (after every cell), reports and CSV."""
    from modelrace.models.cluster.connect import Connection, kill_workers
    from modelrace.models.cluster.grid import run_grid
    from modelrace.models.cluster.grid_plan import check_grid

    options = grid_options(args)
    check_grid(dataset, settings, options, environment.cpu_count())
    out: Path | None = args.json or args.resume
    resumed: dict[str, dict] = {}
    if args.resume is not None:
        backend = environment.keras_backend() if uses_keras(settings.models) else None
        resumed = finished_records(args.resume, settings, grid_fingerprint(settings, dataset, backend))
        print(f"Resuming {shown(args.resume)}: {len(resumed)} finished cell{'s' if len(resumed) != 1 else ''} kept",
              file=sys.stderr)
    stop = threading.Event()
    live: dict[str, Connection | None] = {"connection": None}

    def quit_now(signum: int = signal.SIGINT, frame: object = None) -> None:
        connection = live["connection"]
        if connection is not None and connection.local_cluster is not None:
            kill_workers(connection.worker_pids())
        quit_at_once(signum, frame)

    on_interrupt = first_ctrl_c(stop, "\nStopping the grid: cells not started are cancelled, running cells stop after "
                                      "their current step… (Ctrl+C again to quit at once)", then=quit_now)

    def save(result: Result) -> None:
        if out is not None:
            save_result(result, out)

    progress = GridProgress(stream)
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        try:
            result = run_grid(dataset, settings, options, progress, stop, resumed=resumed, save=save,
                              on_connection=lambda connection: live.__setitem__("connection", connection))
        finally:
            progress.close()
        signal.signal(signal.SIGINT, quit_now)
        if result is None:
            print("modelrace: no cell of the grid finished; nothing to write", file=sys.stderr)
            return EXIT_INTERRUPTED
        print_summary(result, sys.stdout)
        width = width_for(sys.stdout)
        print("\n".join(wrap(grid_line(result), width, hang="  ")))
        written = [out] if out is not None else []  # saved after every cell
        try:
            write_outputs(result, args.report, args.csv, written)
        finally:  # also when a later file fails: say which were written
            if written:
                print(written_line(written, args.csv, width))
    finally:
        signal.signal(signal.SIGINT, previous)
    return _exit_status(result, stop.is_set())


def grid_line(result: Result) -> str:
    """One line on the grid: cells finished of those planned, where, and how long it took."""
    block: dict[str, Any] = result["cluster"]  # type: ignore[assignment]
    cells = block["cells"]
    finished = sum(cell["state"] == FINISHED for cell in cells)
    others = {state: sum(cell["state"] == state for cell in cells) for state in ("stopped", "failed", "cancelled")}
    tail = "".join(f", {count} {state}" for state, count in others.items() if count)
    where = where_words(block) if block.get("kind") else "earlier runs"
    return (f"Grid: {finished} of {block['planned_cells']} cells finished{tail}, on {where}, "
            f"in {seconds(block.get('wall_seconds'))} ({block.get('threads_per_race') or '?'} thread(s) per cell)")


def _exit_status(result: Result, stopped: bool) -> int:
    """130 after a stop; 1 if a cell or a model in one failed; else 0."""
    if stopped:
        return EXIT_INTERRUPTED
    cells: list[dict[str, Any]] = result["cluster"]["cells"]  # type: ignore[typeddict-item]
    failed = any(cell["state"] == FAILED or any(model.get("status") == "failed"
                                                 for model in ((cell.get("result") or {}).get("models") or {}).values())
                 for cell in cells)
    return EXIT_MODEL_FAILED if failed else EXIT_OK
