"""The ``modelrace`` command line: every sub-command's options, and the checks of their values.

A value argparse refuses ends with exit status 2 and a one-line message naming the option.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="modelrace",
        description="Race a Keras MLP, RandomForest and XGBoost on Forest Covertype, and test the tutorial's claim.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    race = commands.add_parser("race", help="run a race headless and print the verdict")
    race.add_argument("--data", metavar="NAME|PATH", help="a dataset name (see `data list`), 'covtype' (fetched if "
                      "needed), or a data file (UCI covtype.data[.gz], Covertype CSV, or any CSV with --target-column); "
                      "default: the cached full Covertype, else the 16,000 rows bundled with modelrace")
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
    grid = race.add_argument_group(
        "race grids on Dask", "run the seeds × sizes of --repeats and --sizes as cells on worker processes: each cell is "
        "one whole race in fair mode on one worker. A cluster runs pickled code: connect only to a scheduler you trust.")
    grid.add_argument("--workers", type=_positive_int, metavar="K",
                      help="start K worker processes on this machine (one cell at a time each) and race the grid on them")
    grid.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="race the grid on the Dask cluster already running "
                      "behind this scheduler (tls://HOST:PORT with the --tls-* files)")
    grid.add_argument("--threads-per-race", type=_positive_int, metavar="T",
                      help="threads each cell trains with (default: the cores divided between the workers)")
    grid.add_argument("--resume", type=Path, metavar="OUT.json", help="finish the grid saved in OUT.json: race only "
                      "its missing cells (same settings), and write it back (or to --json)")
    grid.add_argument("--tls-ca-file", type=Path, metavar="PEM", help="CA certificate for a tls:// scheduler")
    grid.add_argument("--tls-cert", type=Path, metavar="PEM", help="this client's certificate for a tls:// scheduler")
    grid.add_argument("--tls-key", type=Path, metavar="PEM", help="this client's private key for a tls:// scheduler")

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
    """A target accuracy, written as a fraction between 0 and 1 (0.85) or a percentage (85%); nothing in between."""
    forms = "write a fraction between 0 and 1 (e.g. 0.85) or a percentage (e.g. 85%)"
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = float(raw.removesuffix("%").strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an accuracy; {forms}") from None
    if not percent and math.isfinite(value) and 1 < value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is ambiguous: a fraction cannot be above 1, and a percentage needs "
                                         f"its % sign (did you mean {raw}%?); {forms}")
    if not math.isfinite(value) or value <= 0 or value > (100 if percent else 1):
        raise argparse.ArgumentTypeError(f"'{text}' is not an accuracy between 0 and 1 (or 0% and 100%); {forms}")
    if not percent and value == 1:
        raise argparse.ArgumentTypeError(f"'{text}' is ambiguous (100% or 1%?); {forms}")
    return value / 100 if percent else value


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
