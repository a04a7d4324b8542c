"""The ``modelrace`` command: the window by default, and headless ``race`` and ``data`` commands.

Every user mistake ends with exit status 2 and one line saying what is wrong and how to fix it;
Ctrl+C during a race stops it, keeps what finished, writes the JSON and exits 130; a race in which
a model failed still finishes the others, writes the JSON and exits 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from modelrace.models.errors import ConfigError, UserError, one_line

EXIT_MODEL_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="modelrace",
        description="Race a Keras MLP, RandomForest and XGBoost on Forest Covertype, and test the tutorial's claim.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    race = commands.add_parser("race", help="run a race headless and print the verdict")
    race.add_argument("--data", required=True, metavar="NAME|PATH", help="a cached dataset name (see `data list`), "
                      "'covtype', or a data file (UCI covtype.data[.gz], Covertype CSV, or any CSV with --target-column)")
    race.add_argument("--target-column", metavar="COL", help="label column, when --data is a generic CSV file")
    race.add_argument("--preset", default="tutorial", metavar="NAME|FILE.toml", help="tutorial (default), quick, strong, or a TOML file")
    race.add_argument("--models", default="mlp,rf,xgb", help="comma list of models to race (default: mlp,rf,xgb)")
    race.add_argument("--mode", choices=("fair", "simultaneous"), help="fair: one at a time, all cores each (default); "
                      "simultaneous: all at once, cores divided")
    race.add_argument("--target", metavar="ACC", type=_accuracy, help="target validation accuracy, e.g. 0.85 or 85%% "
                      "(default: the preset's fraction of the best final accuracy)")
    race.add_argument("--seed", type=int, metavar="N", help="seed for the split and every model (default: the preset's)")
    race.add_argument("--rows", type=_positive_int, metavar="N", help="race on a stratified sample of N rows")
    race.add_argument("--cores", type=_positive_int, metavar="N", help="CPU cores to use (default: all)")
    race.add_argument("--keras-backend", choices=("tensorflow", "jax"),
                      help="Keras backend for the MLP: tensorflow (default, as in the tutorial) or jax "
                           "(pip install 'modelrace[jax]'; often 2-4x faster per epoch on CPU)")
    race.add_argument("--device", choices=("cpu", "gpu"), default="cpu",
                      help="where the MLP and XGBoost train: cpu (default) or gpu (an NVIDIA GPU; not always faster: "
                           "the tutorial's small batch-32 MLP is often slower on a GPU)")
    race.add_argument("--repeats", type=_positive_int, default=1, metavar="N",
                      help="race N times with seeds seed..seed+N-1 (new split and models each), with CIs and tests")
    race.add_argument("--sizes", type=_sizes, metavar="N,N,...",
                      help="race at these training-set sizes (stratified samples), e.g. 1000,2000,4000,8000")
    race.add_argument("--json", type=Path, metavar="OUT", help="write the result as JSON")
    race.add_argument("--report", type=Path, action="append", default=[], metavar="OUT.html|OUT.pdf",
                      help="write a report (repeat for several; the suffix picks HTML, PDF or JSON)")
    race.add_argument("--csv", type=Path, metavar="DIR", help="write curves.csv and summary.csv into DIR")

    report = commands.add_parser("report", help="write reports from a result saved earlier")
    report.add_argument("result", type=Path, metavar="RESULT.json")
    report.add_argument("--report", type=Path, action="append", default=[], metavar="OUT.html|OUT.pdf",
                        help="a report to write (repeat for several)")
    report.add_argument("--csv", type=Path, metavar="DIR", help="write curves.csv and summary.csv into DIR")

    script = commands.add_parser("export-script", help="write a standalone Python script that reproduces a result")
    script.add_argument("result", type=Path, metavar="RESULT.json")
    script.add_argument("out", type=Path, metavar="OUT.py")

    data = commands.add_parser("data", help="manage the dataset cache")
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    fetch = data_commands.add_parser("fetch", help="get Covertype (scikit-learn's cache, or a download)")
    fetch.add_argument("--force", action="store_true", help="download again even if cached")
    importer = data_commands.add_parser("import", help="import a data file into the cache")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--target", metavar="COL", help="label column of a generic CSV")
    importer.add_argument("--name", metavar="NAME", help="cache name (default: from the file name)")
    data_commands.add_parser("list", help="list cached datasets")
    remove = data_commands.add_parser("remove", help="delete a cached dataset")
    remove.add_argument("name", metavar="NAME")

    workshop = commands.add_parser("workshop", help="offline workshop kits: pack one, check a machine")
    workshop_commands = workshop.add_subparsers(dest="workshop_command", metavar="ACTION", required=True)
    pack = workshop_commands.add_parser(
        "pack", help="fill DIR with wheels, data, presets, results and STUDENTS.md (run it while online)")
    pack.add_argument("kit", type=Path, metavar="DIR")
    pack.add_argument("--dataset", action="append", default=[], metavar="NAME",
                      help="a cached dataset to include (repeat; default: covtype, or every cached dataset)")
    pack.add_argument("--results", action="append", default=[], type=Path, metavar="RESULT.json",
                      help="a finished race for students to open (repeat)")
    pack.add_argument("--preset", action="append", default=[], type=Path, metavar="FILE.toml",
                      help="an extra preset file (the built-in presets are always included)")
    pack.add_argument("--platform", action="append", default=[], metavar="TAG",
                      help="also fetch wheels for this platform, e.g. win_amd64, macosx_11_0_arm64 (repeat)")
    pack.add_argument("--python-version", action="append", default=[], metavar="X.Y",
                      help="also fetch wheels for this Python version, e.g. 3.12 (repeat)")
    pack.add_argument("--extra", action="append", default=[], choices=("jax",), help="include an optional extra")
    pack.add_argument("--find-links", action="append", default=[], type=Path, metavar="FOLDER",
                      help="a local folder of wheels for pip to use (repeat)")
    pack.add_argument("--no-index", action="store_true", help="use only --find-links folders, no package index")
    pack.add_argument("--no-wheels", action="store_true", help="leave the wheelhouse as it is (update data and results)")
    check = workshop_commands.add_parser("check", help="the pre-class self-test of this machine")
    check.add_argument("--kit", type=Path, metavar="DIR", help="the workshop kit (to check its data checksums)")
    check.add_argument("--no-window", action="store_true", help="skip opening a window (e.g. over ssh)")

    commands.add_parser("gui", help="open the window (the default); `modelrace gui --help` lists its options")
    return parser


def _accuracy(text: str) -> float:
    raw = text.strip().rstrip("%")
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an accuracy; use a number such as 0.85 or 85%") from None
    if text.strip().endswith("%") or value > 1:
        value /= 100
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not an accuracy between 0 and 1 (or 0% and 100%)")
    return value


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma list of whole numbers, e.g. 1000,2000,4000") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must list training-set sizes of at least 1 row")
    return sizes


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``modelrace`` command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] == "gui":
        return command_gui(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        if args.command == "race":
            return command_race(args)
        if args.command == "data":
            return command_data(args)
        if args.command == "report":
            return command_report(args)
        if args.command == "export-script":
            return command_export_script(args)
        if args.command == "workshop":
            return command_workshop(args)
        build_parser().print_help()
        return EXIT_USAGE
    except UserError as exc:
        print(f"modelrace: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a file problem no command foresaw: still one line, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"modelrace: error: {one_line(where + (exc.strerror or str(exc)))}; check the path, its permissions "
              "and the free space", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nmodelrace: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def command_gui(argv: list[str]) -> int:
    """Open the desktop window (Qt is imported only here)."""
    from modelrace.gui.app import run_app

    return run_app(argv)


def command_race(args: argparse.Namespace) -> int:
    """Run a headless race, print the table and verdict, and write the JSON if asked."""
    from modelrace.gui.cli_progress import TerminalProgress
    from modelrace.gui.cli_report import print_summary
    from modelrace.models.gpu import check_device
    from modelrace.models.keras_setup import choose_backend
    from modelrace.models.presets import load_preset
    from modelrace.models.race import RaceSettings, run_race
    from modelrace.models.registry import parse_models
    from modelrace.models.repeats import run_repeats, run_sizes
    from modelrace.models.results import save_result

    preset = load_preset(args.preset)
    models = parse_models(args.models)
    check_outputs(args.json, args.report)
    if "mlp" in models or args.keras_backend:
        choose_backend(args.keras_backend)
    dataset = open_data(args.data, args.target_column)
    settings = RaceSettings(
        preset=preset, models=models, mode=args.mode, target=args.target, seed=args.seed, rows=args.rows, cores=args.cores,
        device=check_device(args.device),
    )
    stop = threading.Event()
    progress = TerminalProgress(_own_stderr())

    def on_interrupt(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl+C quits at once
        print("\nStopping after the current step… (Ctrl+C again to quit at once)", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        if args.sizes:
            if args.rows is not None:
                raise ConfigError("--sizes and --rows both choose how many rows to race on; use one of them")
            result = run_sizes(dataset, settings, args.sizes, args.repeats, progress, stop)
        elif args.repeats > 1:
            result = run_repeats(dataset, settings, args.repeats, progress, stop)
        else:
            result = run_race(dataset, settings, progress, stop)
    finally:
        signal.signal(signal.SIGINT, previous)
        progress.close()
    print_summary(result, sys.stdout)
    if args.json is not None:
        save_result(result, args.json)
        print(f"Result written to {args.json}")
    write_outputs(result, args.report, args.csv)
    if stop.is_set():
        return EXIT_INTERRUPTED
    return EXIT_MODEL_FAILED if any(m["status"] == "failed" for m in result["models"].values()) else 0


def check_outputs(json_path: Path | None, reports: list[Path]) -> None:
    """Fail before any work if a requested output could not be written or has an unknown type."""
    from modelrace.models.atomic import check_writable
    from modelrace.models.report import check_report_path

    for path in reports:
        check_report_path(path)
    for path in ([json_path] if json_path is not None else []) + list(reports):
        check_writable(path)


def write_outputs(result: dict, reports: list[Path], csv_dir: Path | None) -> None:
    """Write the requested reports and CSV files, saying where each went."""
    from modelrace.models.report import write_csv, write_report

    for path in reports:
        write_report(result, path)
        print(f"Report written to {path}")
    if csv_dir is not None:
        for path in write_csv(result, csv_dir):
            print(f"CSV written to {path}")


def command_report(args: argparse.Namespace) -> int:
    """Write reports (and CSV) from a result file, without training."""
    from modelrace.models.results import load_result

    if not args.report and args.csv is None:
        raise ConfigError("say what to write: --report OUT.html, --report OUT.pdf and/or --csv DIR")
    result = load_result(args.result)
    check_outputs(None, args.report)
    write_outputs(result, args.report, args.csv)
    return 0


def command_export_script(args: argparse.Namespace) -> int:
    """Write the standalone reproduction script of a result."""
    from modelrace.models.atomic import check_writable
    from modelrace.models.repro_script import write_script
    from modelrace.models.results import load_result

    result = load_result(args.result)
    check_writable(args.out)
    write_script(result, args.out)
    print(f"Script written to {args.out}; run it with: python {args.out}")
    return 0


def _own_stderr() -> TextIO:
    """A private handle on the terminal: TensorFlow's import briefly captures file descriptor 2."""
    try:
        return os.fdopen(os.dup(sys.stderr.fileno()), "w", encoding="utf-8", errors="replace")
    except (AttributeError, OSError, ValueError):  # stderr is not a real file (e.g. captured)
        return sys.stderr


def open_data(spec: str, target: str | None = None):  # noqa: ANN201 - Dataset, imported lazily
    """Resolve ``--data``: 'covtype' fetches it if needed, other names load from the cache, paths import."""
    from modelrace.models.datasets import COVTYPE_NAME, cached_names, open_dataset
    from modelrace.models.download import fetch_covtype

    if spec == COVTYPE_NAME and COVTYPE_NAME not in cached_names() and not Path(spec).exists():
        return fetch_covtype(progress=_download_progress)
    return open_dataset(spec, target)


def _download_progress(what: str, done: int, total: int) -> None:
    if total:
        print(f"\r{what}: {done / 1e6:.1f} of {total / 1e6:.1f} MB", end="" if done < total else "\n", file=sys.stderr)
    else:
        print(what, file=sys.stderr)


def command_data(args: argparse.Namespace) -> int:
    """The ``data`` sub-commands: fetch, import, list, remove."""
    from modelrace.models import datasets
    from modelrace.models.download import fetch_covtype

    if args.data_command == "fetch":
        dataset = fetch_covtype(progress=_download_progress, force=args.force)
        print(f"covtype: {dataset.rows:,} rows, {len(dataset.classes)} classes, from {dataset.source}")
        return 0
    if args.data_command == "import" and args.file.is_dir():  # a workshop kit: import every dataset in it
        from modelrace.models.workshop import find_kit_data

        for path in find_kit_data(args.file):
            dataset = datasets.import_file(path)
            print(f"Imported {path} as '{dataset.name}': {dataset.rows:,} rows, {len(dataset.classes)} classes "
                  "(checksum verified)")
        return 0
    if args.data_command == "import":
        dataset = datasets.import_file(args.file, target=args.target, name=args.name)
        print(
            f"Imported {args.file} as '{dataset.name}': {dataset.rows:,} rows, {dataset.X.shape[1]} features, "
            f"{len(dataset.classes)} classes ({dataset.format})"
        )
        for note in dataset.notes:
            print(f"  note: {note}")
        return 0
    if args.data_command == "remove":
        datasets.remove_cached(args.name)
        print(f"Removed '{args.name}' from the cache")
        return 0
    return _list_datasets()


def command_workshop(args: argparse.Namespace) -> int:
    """``workshop pack DIR`` and ``workshop check``."""
    from modelrace.models import workshop, workshop_check

    if args.workshop_command == "pack":
        options = workshop.PackOptions(
            kit=args.kit, datasets=args.dataset, results=args.results, presets=args.preset, platforms=args.platform,
            python_versions=args.python_version, extras=args.extra, find_links=args.find_links,
            no_index=args.no_index, wheels=not args.no_wheels,
        )
        manifest = workshop.pack(options, progress=lambda line: print(line, flush=True))
        wheels = manifest.get("wheelhouse", {})
        print(f"Kit ready in {args.kit}: {manifest['bytes'] / 1e6:,.0f} MB ({wheels.get('wheels', 0)} wheels, "
              f"{len(manifest['datasets'])} dataset(s), {len(manifest['results'])} result(s)). "
              f"Students follow {args.kit / workshop.STUDENTS}.")
        return 0
    if args.kit is not None and not args.kit.is_dir():
        raise ConfigError(f"{args.kit}: no such kit folder; give the folder made by `modelrace workshop pack`")
    failed = 0
    for result in workshop_check.run_checks(args.kit, window=not args.no_window):
        print(result.line(), flush=True)
        failed += not result.ok
    print("All checks passed: ready for class." if not failed else f"{failed} check(s) failed; apply the fixes above.")
    return 0 if not failed else 1


def _list_datasets() -> int:
    from modelrace.models import datasets
    from modelrace.models.paths import datasets_dir

    names = datasets.cached_names()
    if not names:
        print(f"No cached datasets in {datasets_dir()}. Run `modelrace data fetch` or `modelrace data import FILE`.")
        return 0
    rows = [("name", "rows", "classes", "source")]
    for name in names:
        try:
            meta = datasets.read_meta(name)
            rows.append((name, f"{meta['rows']:,}", str(len(meta["classes"])), meta["source"]))
        except UserError as exc:
            rows.append((name, "?", "?", f"damaged: {exc}"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")
    print(f"({datasets_dir()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
