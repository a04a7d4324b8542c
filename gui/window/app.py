"""Starting the window: ``modelrace`` / ``modelrace gui [--data ...] [--preset ...] [--run | --open R.json] [--screenshot ...] [--quit]``.

The capture options drive the real window for documentation and checks: pick the data and preset and
run (or open a saved result, with no training), save a PNG of the whole window and the result JSON
when the race ends, and quit. Every combination ends: without --run or --open, a screenshot is taken
of the window as it opens.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from modelrace.gui import STARTUP_PROBE_ENV
from modelrace.gui.cli_parsing import FriendlyParser, positive_int, sizes
from modelrace.gui.window import PRESENTER_SCALES, TAB_ALIASES, TAB_NAMES
from modelrace.models.system.errors import UserError


EXAMPLES = """examples:
  modelrace gui                                   the window, as you left it
  modelrace gui --theme light --presenter 150     for a projector
  modelrace gui --open lesson.json --tab time-to-target
                                                  a saved race, no training
  modelrace gui --preset quick --run --screenshot race.png --quit
                                                  race, capture, and quit
"""


def build_parser() -> argparse.ArgumentParser:
    """Options of ``modelrace gui``."""
    parser = FriendlyParser(prog="modelrace gui", description="Open the modelrace window.", epilog=EXAMPLES)
    parser.add_argument("--data", metavar="NAME|PATH", help="dataset to select (a cache name, or a file to import)")
    parser.add_argument("--preset", metavar="NAME", help="preset to apply (tutorial, quick, strong)")
    parser.add_argument("--models", metavar="LIST", help=models_help())
    parser.add_argument("--mode", choices=("fair", "simultaneous"))
    parser.add_argument("--rows", type=positive_int, metavar="N", example="4000", help="stratified sample size")
    parser.add_argument("--repeats", type=positive_int, metavar="N", example="3",
                        help="race N seeds (means, bands, significance)")
    parser.add_argument("--sizes", type=sizes, metavar="N,N,...", example="1000,2000,4000",
                        help="race at these training-set sizes")
    parser.add_argument("--references", action="store_true", help="show the published full-data accuracies")
    parser.add_argument("--tab", metavar="NAME", type=_tab_name, help="results tab to show: " + ", ".join(TAB_NAMES))
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--run", action="store_true", help="start the race at once")
    start.add_argument("--open", type=Path, metavar="RESULT.json", help="show a saved result (no training), "
                       "with its settings in the controls")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png", help="save the window when the race ends "
                        "(with --open: once the result is shown; otherwise: once the window is shown)")
    parser.add_argument("--json", type=Path, metavar="OUT.json", help="write the result when the race ends (needs --run)")
    parser.add_argument("--quit", action="store_true", help="quit after the race, the opened result or the window "
                        "is shown (and captured)")
    parser.add_argument("--size", metavar="WxH", type=_window_size,
                        help=f"window size, e.g. 1280x800, from {MIN_SIZE[0]}x{MIN_SIZE[1]} to {MAX_SIZE[0]}x{MAX_SIZE[1]} "
                             "(default: as last time)")
    parser.add_argument("--presenter", type=_text_size, default=0, metavar="PERCENT",
                        help="text size for a projector: " + ", ".join(f"{s * 100:.0f}%%" for s in PRESENTER_SCALES)
                             + " (Ctrl+= and Ctrl+- in the window; default 100%%)")
    parser.add_argument("--hide-settings", action="store_true", help="hide the settings panel (Ctrl+B in the window)")
    parser.add_argument("--theme", choices=("system", "light", "dark"),
                        help="light or dark colours, or follow the system (default: as chosen in View → Theme)")
    return parser



def models_help() -> str:
    """``--models``' help: the registered models' keys, and the default race."""
    from modelrace.models.trainers.registry import DEFAULT_MODELS, MODEL_KEYS

    return (f"comma list of models to enable, from {', '.join(MODEL_KEYS)} "
            f"(default: as last time; at first {','.join(DEFAULT_MODELS)})")


def _text_size(text: str) -> int:
    """``150``, ``150%`` or ``1.5`` -> the index of that size in PRESENTER_SCALES (0..5 are accepted as indexes too)."""
    cleaned = text.strip().rstrip("%").strip()
    try:
        value = float(cleaned)
    except ValueError:
        value = -1.0
    if value.is_integer() and 0 <= value < len(PRESENTER_SCALES) and not text.strip().endswith("%"):
        return int(value)  # a level, as earlier versions took
    for scale in (value / 100, value):
        for index, known in enumerate(PRESENTER_SCALES):
            if abs(scale - known) < 1e-9:
                return index
    choices = ", ".join(f"{s:.0%}" for s in PRESENTER_SCALES)
    raise argparse.ArgumentTypeError(f"'{text}' is not a text size; use one of {choices}, e.g. --presenter 150")


def _tab_name(text: str) -> str:
    """A results tab's name (its label in lower case, spaces as hyphens), or one of the older short names."""
    name = text.strip().lower().replace(" ", "-").rstrip("?")
    name = TAB_ALIASES.get(name, name)
    if name not in TAB_NAMES:
        raise argparse.ArgumentTypeError(f"'{text}' is not a results tab; use one of {', '.join(TAB_NAMES)}")
    return name


#: The window sizes --size accepts: a small laptop's screen, up to an 8K display.
MIN_SIZE, MAX_SIZE = (640, 480), (7680, 4320)


def _window_size(text: str) -> tuple[int, int]:
    """``1280x800`` -> (1280, 800), within MIN_SIZE and MAX_SIZE."""
    try:
        width, height = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not WIDTHxHEIGHT, e.g. 1280x800") from None
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise argparse.ArgumentTypeError(f"'{text}' is outside the sizes a window can have here: from "
                                         f"{MIN_SIZE[0]}x{MIN_SIZE[1]} to {MAX_SIZE[0]}x{MAX_SIZE[1]}, e.g. 1280x800")
    return width, height


def run_app(argv: list[str]) -> int:
    """Open the window and run the Qt event loop; returns the exit status."""
    args = build_parser().parse_args(argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from modelrace.gui.window.main_window import MainWindow
    from modelrace.models.system.atomic import check_writable
    from modelrace.models.trainers.registry import parse_models
    from modelrace.models.results.files import load_result, save_result

    try:
        if args.json is not None and not args.run:
            raise UserError("--json writes the result of the race that --run starts; add --run (an opened "
                            "result is already a file)")
        for path in (args.screenshot, args.json):
            if path is not None:
                check_writable(path)
        models = parse_models(args.models) if args.models else None
        opened = load_result(args.open) if args.open is not None else None
    except UserError as exc:
        print(f"modelrace: error: {exc}", file=sys.stderr)
        return 2

    install_message_filter()
    _apply_saved_backend()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("modelrace")
    app.setProperty("headless_capture", bool(args.quit))
    # A scripted run (a capture, a check) neither reads nor changes what the user sees at the next start.
    scripted = bool(args.run or args.open or args.quit or args.screenshot or args.json)
    _apply_theme(args.theme, remember=not scripted)
    window = MainWindow(remember=not scripted)
    status = {"code": 0}

    if args.preset:
        try:
            window.apply_preset(args.preset)
        except UserError as exc:
            print(f"modelrace: error: {exc}", file=sys.stderr)
            return 2
    if models is not None:
        for key, card in window.cards.items():
            card.setChecked(key in models)
    window.controls.restore({key: value for key, value in (("mode", args.mode), ("repeats", args.repeats),
                                                           ("sizes", ", ".join(map(str, args.sizes or [])) or None))
                             if value is not None})
    if args.rows is not None:
        window.dataset_panel.restore({"rows": args.rows})
    if args.references:
        window.references_action.setChecked(True)
        window.plots.show_references(True)
    if args.tab:
        window.show_tab(args.tab)
    if args.presenter:
        window.set_scale_index(args.presenter)
    if args.size:
        window.set_window_size(*args.size)
        size = args.size
    else:
        size = None

    def finished(result: dict | None) -> None:
        def capture() -> None:
            try:
                if args.screenshot is not None:
                    save_png_atomic(window.grab(), args.screenshot)
                if args.json is not None and result is not None:
                    save_result(result, args.json)
            except UserError as exc:
                print(f"modelrace: error: {exc}", file=sys.stderr)
                status["code"] = 2
            if args.quit:
                window.close()

        QTimer.singleShot(300, capture)  # let the last redraw land first

    def failed(message: str) -> None:
        print(f"modelrace: error: {message}", file=sys.stderr)
        status["code"] = 2
        if args.quit:
            window.close()

    if args.hide_settings:
        window.sidebar.setVisible(False)
    if os.environ.get(STARTUP_PROBE_ENV):
        _probe_first_paint(app, window)
    window.raceFinished.connect(finished)
    window.raceFailed.connect(failed)
    window.show()

    def start() -> None:
        if size is not None:  # restored geometry may be applied when the window shows: insist
            window.set_window_size(*size)
        if args.data:
            if not _select_data(window, args.data):
                failed(f"no dataset named '{args.data}' and no such file")
                return
        if args.run:
            window.run_race()
            return
        if opened is not None:
            window.show_opened(opened, args.open)
            if args.tab:
                window.show_tab(args.tab)  # the opened result may have chosen a tab of its own
        if args.screenshot is not None or args.quit:
            finished(None)  # nothing to wait for: capture what is shown, then quit if asked

    QTimer.singleShot(0, start)
    code = app.exec()
    from modelrace.workers.jobs import running_jobs
    from modelrace.workers.model_threads import running_threads

    if app.property("abandon_workers") or running_threads() or running_jobs():
        # A tree, a batch or a library load that cannot be interrupted still runs: leave it to the OS.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status["code"] or code)
    return status["code"] or code


def _apply_theme(chosen: str | None, remember: bool) -> None:
    """Use ``--theme``, else the theme chosen in the window last time (before the window's colours are made)."""
    from modelrace.gui.window import theme
    from modelrace.gui.window.window_settings import settings_store

    name = chosen or (str(settings_store().value("theme", "system")) if remember else "system")
    if name != "system" or theme.chosen_theme() != "system":
        theme.apply_theme(name)


def _apply_saved_backend() -> None:
    """Use the Keras backend chosen in the window last time (before anything loads Keras)."""
    from modelrace.gui.window.window_settings import settings_store
    from modelrace.models.trainers.keras_setup import choose_backend

    saved = settings_store().value("keras_backend")
    if saved and "KERAS_BACKEND" not in os.environ:
        try:
            choose_backend(str(saved))
        except UserError as exc:
            print(f"modelrace: {exc}; using TensorFlow", file=sys.stderr)


def _select_data(window: object, spec: str) -> bool:
    """Select ``spec`` in the dataset panel, importing a file synchronously if it is a path."""
    from modelrace.gui.window.dataset_panel import DOWNLOAD_ITEM
    from modelrace.models.data.dataset import COVTYPE_NAME
    from modelrace.models.data.opening import dataset_names, open_dataset

    panel = window.dataset_panel  # type: ignore[attr-defined]
    names = dataset_names()
    if spec in names or spec == COVTYPE_NAME:
        panel.refresh(select=spec if spec in names else DOWNLOAD_ITEM)
        return True
    if Path(spec).exists():
        try:
            dataset = open_dataset(spec)
        except UserError as exc:
            print(f"modelrace: error: {exc}", file=sys.stderr)
            return False
        panel.refresh(select=dataset.name)
        return True
    return False


HEAVY_MODULES = ("tensorflow", "keras", "xgboost", "jax", "torch", "sklearn", "scipy", "pandas", "matplotlib", "dask",
                 "distributed")


def heavy_modules() -> set[str]:
    """The libraries start-up must not load: HEAVY_MODULES and every registered model's (a plugin's too)."""
    from modelrace.models.trainers.registry import specs

    return {*HEAVY_MODULES, *(lib.module.split(".")[0] for spec in specs().values() for lib in spec.libraries)}


def _probe_first_paint(app: object, window: object) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: object, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
                self.seen = True
                watched_for = heavy_modules()
                heavy = sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in watched_for})
                print(f"first-paint heavy={','.join(heavy) or '-'}", flush=True)
                QTimer.singleShot(0, window.close)
            return False

    window._startup_probe = FirstPaint(window)  # type: ignore[attr-defined]
    window.installEventFilter(window._startup_probe)  # type: ignore[attr-defined]


#: Messages of Qt's offscreen platform (used for captures and tests) that are not problems.
_PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)


def install_message_filter() -> None:
    """Route Qt's messages to stderr, minus the offscreen platform's known noise."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode: object, context: object, message: str) -> None:
        if message not in _PLATFORM_NOISE:
            print(f"Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)


def save_png_atomic(pixmap: object, path: Path) -> None:
    """Write a QPixmap as PNG through a temporary file and a rename (see models.atomic)."""
    from PySide6.QtCore import QBuffer, QIODevice

    from modelrace.models.system.atomic import write_bytes_atomic
    from modelrace.models.system.errors import OutputError

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buffer, "PNG"):  # type: ignore[attr-defined]
        raise OutputError(f"{path}: the window could not be encoded as PNG")
    write_bytes_atomic(path, bytes(buffer.data()))
