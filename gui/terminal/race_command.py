"""``modelrace race``: a headless race with live progress, the results table and the verdict.

Ctrl+C stops the race after each model's current step (a batch, a tree or a round), keeps what
finished, writes the JSON and exits 130; a second Ctrl+C quits at once.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TextIO

from modelrace.gui.terminal.exits import EXIT_INTERRUPTED, EXIT_MODEL_FAILED, EXIT_OK, first_ctrl_c, quit_at_once
from modelrace.gui.terminal.grid_command import command_grid, wants_grid
from modelrace.gui.terminal.layout import width_for, wrap
from modelrace.gui.terminal.outputs import check_outputs, write_outputs, written_line
from modelrace.gui.terminal.progress import TerminalProgress
from modelrace.gui.terminal.summary import print_summary
from modelrace.models.data import bundled
from modelrace.models.data.dataset import COVTYPE_NAME
from modelrace.models.data.opening import default_name, open_dataset
from modelrace.models.race.engine import run
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.formatting import NBSP
from modelrace.models.results.files import save_result
from modelrace.models.trainers.devices import check_device
from modelrace.models.trainers.keras_setup import choose_backend
from modelrace.models.trainers.libraries import uses_keras
from modelrace.models.trainers.registry import parse_models


def command_race(args: argparse.Namespace) -> int:
    """Run a race, print the table and verdict, and write the JSON, reports and CSV asked for."""
    models = parse_models(args.models)
    settings = RaceSettings(
        preset=load_preset(args.preset), models=models, mode=args.mode, target=args.target, seed=args.seed,
        rows=args.rows, cores=args.cores, device=check_device(args.device), repeats=args.repeats,
        sizes=tuple(args.sizes or ()),
    )
    check_outputs(args.json or args.resume, args.report)
    if uses_keras(models) or args.keras_backend:
        choose_backend(args.keras_backend)
    if args.data is None:
        print("\n".join(wrap(_default_data_line(default_name()), width_for(sys.stderr))), file=sys.stderr)
    grid = wants_grid(args)
    dataset = open_dataset(args.data, args.target_column, allow_fetch=True, progress=download_progress)
    if grid:
        return command_grid(args, settings, dataset, _own_stderr())
    stop = threading.Event()
    progress = TerminalProgress(_own_stderr())

    on_interrupt = first_ctrl_c(stop, "\nStopping after the current step… (Ctrl+C again to quit at once)")
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        try:
            result = run(dataset, settings, progress, stop)
        finally:
            progress.close()
        signal.signal(signal.SIGINT, quit_at_once)  # from now on (writing), Ctrl+C ends at once too
        print_summary(result, sys.stdout)
        written: list[Path] = []
        try:
            if args.json is not None:
                save_result(result, args.json)
                written.append(args.json)
            write_outputs(result, args.report, args.csv, written)
        finally:  # also when a later file fails: say which were written
            if written:
                print(written_line(written, args.csv, width_for(sys.stdout)))
    finally:
        signal.signal(signal.SIGINT, previous)
    if stop.is_set():
        return EXIT_INTERRUPTED
    return EXIT_MODEL_FAILED if any(m["status"] == "failed" for m in result["models"].values()) else EXIT_OK


def _default_data_line(name: str) -> str:
    if name == COVTYPE_NAME:
        return "No --data given: racing the full Covertype from the cache (covtype)."
    return (f"No --data given: racing {bundled.NAME}, the {bundled.ROWS:,}{NBSP}real rows bundled with modelrace "
            f"(`modelrace data fetch` gets all 581,012{NBSP}Covertype rows once, with a network).")


def download_progress(what: str, done: int, total: int) -> None:
    """Show a download's progress on one line of stderr."""
    if total:
        print(f"\r{what}: {done / 1e6:.1f} of {total / 1e6:.1f} MB", end="" if done < total else "\n", file=sys.stderr)
    else:
        print(what, file=sys.stderr)


def _own_stderr() -> TextIO:
    """A private handle on the terminal: TensorFlow's import briefly captures file descriptor 2."""
    try:
        return os.fdopen(os.dup(sys.stderr.fileno()), "w", encoding="utf-8", errors="replace")
    except (AttributeError, OSError, ValueError):  # stderr is not a real file (e.g. captured)
        return sys.stderr
