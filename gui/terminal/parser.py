"""The ``modelrace`` command line: every sub-command's options, descriptions and examples.

The parser is :class:`~modelrace.gui.cli_parsing.FriendlyParser`: a mistyped command or option gets
a "did you mean", an option a sub-command does not have is refused by that sub-command, and a value
argparse refuses ends with exit status 2 and one line naming the option, often with an example.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from modelrace.gui.cli_parsing import FriendlyParser, accuracy, positive_int, sizes
from modelrace.models.output.csv_export import CSV_FILES
from modelrace.models.trainers import registry
from modelrace.models.trainers.devices import DEVICES, gpu_models
from modelrace.models.trainers.keras_setup import BACKENDS
from modelrace.models.trainers.libraries import in_words, keras_models, names

#: How long each preset takes on the bundled rows, measured on 2 cores shared with other work (quick 17 s,
#: tutorial 31 s; strong 12 min there, of which XGBoost's 600 deep rounds 11 min at 16% of the CPU: about
#: 2.5 min on 2 idle cores).
PRESET_TIMES = """\
presets (the default race, a whole command on the 16,000 bundled rows, 2 CPU
cores, TensorFlow's start included; on all 581,012 rows tutorial takes about
3 min, strong 8 min):
  quick      128-64 MLP for 30 epochs, 100 trees, 150 rounds    about {quick}
  tutorial   the tutorial's MLP (batch 32, 20 epochs) and the   about {tutorial}
             libraries' default forest and boosting
  strong     512-256-128 MLP for 60 epochs, 300 trees, 600      about {strong}
             deeper rounds
  FILE.toml  your own: copy one of resources/presets/*.toml
""".format(quick="15 s", tutorial="30 s", strong="3 min")

_RACE_DESCRIPTION = """\
Race the tutorial's {defaults}, or the models you name with --models, on one shared split,
headless: live progress, then the evidence, the results table and the verdict
on the tutorial's claim that a simpler model gets good results more quickly.
Ctrl+C stops the race and keeps what finished (exit status 130)."""

_RACE_EXAMPLES = """\
examples:
  modelrace race --preset quick                      a first race
  modelrace race --preset quick --models {simpler} --rows 4000
  modelrace race --target 85% --seed 1               a fixed target and seed
  modelrace race --preset quick --repeats 5 --json out.json --report out.html
                                                     5 seeds: CIs and tests
  modelrace race --preset quick --sizes 1000,2000,4000,8000
  modelrace race --data covtype --preset strong      all rows (fetched once)
  modelrace race --preset quick --repeats 4 --sizes 1000,4000 --workers 2
                                                     a grid on 2 processes"""

_CSV_HELP = ("write the tables as CSV into DIR: {} and {}, and {} and {} when the race has a time profile"
             .format(*CSV_FILES))

_TOP_EXAMPLES = """\
examples:
  modelrace                                   open the window
  modelrace race --preset quick               race in the terminal
  modelrace race --help                       a race's options and presets
  modelrace report out.json --report out.pdf  a report from a saved race
  modelrace data fetch                        all 581,012 rows, once, online
  modelrace workshop check                    is this machine ready for class?"""


def models_help() -> str:
    """``--models``' help: every registered model's key and name, and the default race (the tutorial's three)."""
    listed = ", ".join(f"{key} ({registry.label(key)})" for key in registry.specs())
    return f"comma list of models to race: {listed}; default: {','.join(registry.DEFAULT_MODELS)}"


def _named(keys: list[str], nobody: str) -> str:
    """The models ``keys`` named in a sentence ("the MLP and XGBoost"), or ``nobody`` if there are none."""
    return in_words(registry.sentence_name(key) for key in keys) or nobody


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    defaults = in_words(registry.label(key) for key in registry.DEFAULT_MODELS)
    simpler = ",".join(registry.on_side("simpler", registry.DEFAULT_MODELS)) or ",".join(registry.specs())
    parser = FriendlyParser(
        prog="modelrace",
        description=f"Race models on Forest Covertype (by default the tutorial's {defaults}),\n"
                    "and test the tutorial's claim. With no command, the window opens.",
        epilog=_TOP_EXAMPLES,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    race = commands.add_parser("race", help="run a race headless and print the verdict",
                               description=_RACE_DESCRIPTION.format(defaults=defaults),
                               epilog=PRESET_TIMES + "\n" + _RACE_EXAMPLES.format(simpler=simpler))
    race.add_argument("--data", metavar="NAME|PATH", help="a dataset name (see `data list`), 'covtype' (fetched if "
                      "needed), or a data file (UCI covtype.data[.gz], Covertype CSV, or any CSV with --target-column); "
                      "default: the cached full Covertype, else the 16,000 rows bundled with modelrace",
                      example="covtype")
    race.add_argument("--target-column", metavar="COL", help="label column, when --data is a generic CSV file",
                      example="label")
    race.add_argument("--preset", default="tutorial", metavar="NAME|FILE.toml",
                      help="tutorial (default), quick, strong, or a TOML file; see the presets below", example="quick")
    race.add_argument("--models", default=",".join(registry.DEFAULT_MODELS), help=models_help(), example=simpler)
    race.add_argument("--mode", choices=("fair", "simultaneous"), help="fair: one at a time, all cores each (default); "
                      "simultaneous: all at once, cores divided")
    race.add_argument("--target", metavar="ACC", type=accuracy, help="target validation accuracy, e.g. 0.85 or 85%% "
                      "(default: the preset's fraction of the best final accuracy)", example="0.85")
    race.add_argument("--seed", type=int, metavar="N", help="seed for the split and every model (default: the preset's)",
                      example="1")
    race.add_argument("--rows", type=positive_int, metavar="N", help="race on a stratified sample of N rows",
                      example="4000")
    race.add_argument("--cores", type=positive_int, metavar="N", help="CPU cores to use (default: all)", example="2")
    race.add_argument("--keras-backend", choices=BACKENDS,
                      help=f"Keras backend for {_named(keras_models(), 'the models that use Keras (none here)')}: "
                           "tensorflow (default, as in the tutorial) or jax "
                           "(pip install 'modelrace[jax]'; often 2-4x faster per epoch on CPU)")
    race.add_argument("--device", choices=DEVICES, default="cpu",
                      help=f"where {_named(gpu_models(), 'the models that can use a GPU (none here)')} train: cpu "
                           "(default) or gpu (an NVIDIA GPU; not always faster: a small network in batches of 32, "
                           "as the tutorial's, is often slower on a GPU)")
    race.add_argument("--repeats", type=positive_int, default=1, metavar="N",
                      help="race N times with seeds seed..seed+N-1 (new split and models each), with CIs and tests",
                      example="5")
    race.add_argument("--sizes", type=sizes, metavar="N,N,...",
                      help="race at these training-set sizes (stratified samples), e.g. 1000,2000,4000,8000",
                      example="1000,2000,4000")
    race.add_argument("--json", type=Path, metavar="OUT", help="write the result as JSON", example="out.json")
    race.add_argument("--report", type=Path, action="append", default=[], metavar="OUT.html|OUT.pdf",
                      help="write a report (repeat for several; the suffix picks HTML, PDF or JSON)", example="out.html")
    race.add_argument("--csv", type=Path, metavar="DIR", example="csv", help=_CSV_HELP)
    grid = race.add_argument_group(
        "race grids on Dask", "Run the seeds × sizes of --repeats and --sizes as cells on worker processes:\n"
        "each cell is one whole race in fair mode on one worker. A cluster runs pickled\n"
        "code: connect only to a scheduler you trust.")
    grid.add_argument("--workers", type=positive_int, metavar="K", example="2",
                      help="start K worker processes on this machine (one cell at a time each) and race the grid on them")
    grid.add_argument("--scheduler", metavar="tcp://HOST:PORT", example="tcp://10.0.0.5:8786",
                      help="race the grid on the Dask cluster already running "
                      "behind this scheduler (tls://HOST:PORT with the --tls-* files)")
    grid.add_argument("--threads-per-race", type=positive_int, metavar="T", example="2",
                      help="threads each cell trains with (default: the cores divided between the workers)")
    grid.add_argument("--resume", type=Path, metavar="OUT.json", help="finish the grid saved in OUT.json: race only "
                      "its missing cells (same settings), and write it back (or to --json)", example="grid.json")
    grid.add_argument("--tls-ca-file", type=Path, metavar="PEM", help="CA certificate for a tls:// scheduler")
    grid.add_argument("--tls-cert", type=Path, metavar="PEM", help="this client's certificate for a tls:// scheduler")
    grid.add_argument("--tls-key", type=Path, metavar="PEM", help="this client's private key for a tls:// scheduler")

    report = commands.add_parser(
        "report", help="write reports from a result saved earlier",
        description="Write HTML or PDF reports, and CSV files, from a race saved with --json;\n"
                    "nothing is trained again.",
        epilog="examples:\n  modelrace report out.json --report out.html --report out.pdf\n"
               "  modelrace report out.json --csv tables/")
    report.add_argument("result", type=Path, metavar="RESULT.json")
    report.add_argument("--report", type=Path, action="append", default=[], metavar="OUT.html|OUT.pdf",
                        help="a report to write (repeat for several)", example="out.html")
    report.add_argument("--csv", type=Path, metavar="DIR", example="tables/",
                        help=_CSV_HELP)

    script = commands.add_parser(
        "export-script", help="write a standalone Python script that reproduces a result",
        description=f"Write a standalone Python script (no modelrace: only the models' own libraries, such as "
                    f"{in_words(names())}) that races the models of a saved result again with the same settings.",
        epilog="example:\n  modelrace export-script out.json again.py && python again.py")
    script.add_argument("result", type=Path, metavar="RESULT.json")
    script.add_argument("out", type=Path, metavar="OUT.py")

    data = commands.add_parser(
        "data", help="manage the dataset cache",
        description="The datasets a race can use: Covertype (fetched once), files you import, and the\n"
                    "16,000 real rows bundled with modelrace (always there, read-only).",
        epilog="examples:\n  modelrace data fetch\n  modelrace data import plants.csv --target label\n"
               "  modelrace data list\n  modelrace data remove plants")
    data_commands = data.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    fetch = data_commands.add_parser("fetch", help="get Covertype (scikit-learn's cache, or a download)",
                                     description="Get all 581,012 Covertype rows once (about 11 MB, with a "
                                                 "network)\ninto the cache.",
                                     epilog="examples:\n  modelrace data fetch\n  modelrace data fetch --force")
    fetch.add_argument("--force", action="store_true", help="download again even if cached")
    importer = data_commands.add_parser("import", help="import a data file into the cache",
                                        description="Import a data file (UCI covtype.data[.gz], a Covertype CSV, "
                                                    "or any CSV\nwith --target), or every dataset of a workshop "
                                                    "kit folder, into the cache.",
                                        epilog="example:\n  modelrace data import plants.csv --target label --name plants")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--target", metavar="COL", help="label column of a generic CSV", example="label")
    importer.add_argument("--name", metavar="NAME", help="cache name (default: from the file name)", example="plants")
    data_commands.add_parser("list", help="list cached datasets", description="List the cached datasets.",
                             epilog="example:\n  modelrace data list")
    remove = data_commands.add_parser("remove", help="delete a cached dataset",
                                      description="Delete a cached dataset (the bundled rows stay).",
                                      epilog="example:\n  modelrace data remove plants")
    remove.add_argument("name", metavar="NAME")

    workshop = commands.add_parser(
        "workshop", help="offline workshop kits: pack one, check a machine",
        description="Workshops without a network: pack a kit (wheels, data, presets, results and\n"
                    "STUDENTS.md) while online, and check each student's machine before class.",
        epilog="examples:\n  modelrace workshop pack kit/ --results quick.json\n"
               "  modelrace workshop check --kit kit/")
    workshop_commands = workshop.add_subparsers(dest="workshop_command", metavar="ACTION", required=True)
    pack = workshop_commands.add_parser(
        "pack", help="fill DIR with wheels, data, presets, results and STUDENTS.md (run it while online)",
        description="Fill DIR with everything a class needs offline: wheels, data, presets, results\n"
                    "and STUDENTS.md. Run it while online.",
        epilog="example:\n  modelrace workshop pack kit/ --platform win_amd64 --python-version 3.12")
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
    check = workshop_commands.add_parser(
        "check", help="the pre-class self-test of this machine",
        description="The pre-class self-test of this machine: Python, the libraries, the data,\n"
                    "a tiny race and a window.",
        epilog="example:\n  modelrace workshop check --kit kit/")
    check.add_argument("--kit", type=Path, metavar="DIR", help="the workshop kit (to check its data checksums)")
    check.add_argument("--no-window", action="store_true", help="skip opening a window (e.g. over ssh)")

    # Only listed here: main() hands `modelrace gui ...` to the window's own parser (gui.window.app) before this one.
    commands.add_parser("gui", help="open the window (the default); `modelrace gui --help` lists its options")
    return parser

