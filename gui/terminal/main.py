"""The ``modelrace`` command: the window by default, and headless ``race``, ``report``, ``data`` and ``workshop``.

Every user mistake ends with exit status 2 and one line saying what is wrong and how to fix it (a
"did you mean" for a mistyped command or option; cut at spaces to a terminal's width, one line into
a file or a pipe); Ctrl+C during a race stops it, keeps what finished, writes the JSON and exits 130;
a race in which a model failed still finishes the others, writes the JSON and exits 1. Only ``gui``
(or no command) loads Qt: the window's entry point is imported here and nowhere else in the
terminal package.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from modelrace.gui.cli_parsing import wrapped
from modelrace.gui.terminal.exits import EXIT_INTERRUPTED, EXIT_USAGE
from modelrace.gui.terminal.parser import build_parser
from modelrace.models.system.errors import UserError, one_line
from modelrace.models.system.memory import limit_allocator_arenas
from modelrace.models.trainers import registry
from modelrace.models.trainers.libraries import modules


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``modelrace`` command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    limit_allocator_arenas()  # before any worker thread allocates
    if not argv or argv[0] == "gui":
        from modelrace.gui.window.app import run_app  # Qt loads only for the window

        if not ({"-h", "--help"} & set(argv[1:])):
            say_left_out()
        return run_app(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        if args.command == "race":
            from modelrace.gui.terminal.race_command import command_race

            say_left_out()  # a race and a race grid
            return command_race(args)
        if args.command in ("report", "export-script"):
            from modelrace.gui.terminal.file_commands import command_export_script, command_report

            return command_report(args) if args.command == "report" else command_export_script(args)
        if args.command == "data":
            from modelrace.gui.terminal.data_commands import command_data

            return command_data(args)
        if args.command == "workshop":
            from modelrace.gui.terminal.workshop_commands import command_workshop

            return command_workshop(args)
        build_parser().print_help()
        return EXIT_USAGE
    except UserError as exc:
        print(wrapped(f"modelrace: error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a file problem no command foresaw: still one line, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(wrapped(f"modelrace: error: {one_line(where + (exc.strerror or str(exc)))}; check the path, its "
                      "permissions and the free space"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nmodelrace: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def say_left_out() -> None:
    """Print each model plugin the registry left out, one line each, on stderr (the other models still race)."""
    for problem in registry.problems():
        print(wrapped(f"modelrace: warning: {problem}"), file=sys.stderr)


#: Libraries whose native threads make the interpreter's own shutdown slow and liable to abort (Keras' backends and
#: torch); every model's own libraries are added to these (native_threaded).
_NATIVE_THREADED = ("tensorflow", "jax", "torch")


def native_threaded() -> tuple[str, ...]:
    """The modules that, once loaded, make the process end without the interpreter's shutdown."""
    return (*_NATIVE_THREADED, *modules())


def entry() -> None:
    """The ``modelrace`` program: :func:`main`, then leave without a slow or crash-prone shutdown.

    After a race, TensorFlow's native threads can make the interpreter's shutdown abort (status 134),
    and during that shutdown Ctrl+C is no longer handled: so once such a library is loaded, the
    process ends right after flushing its output, with main's status. A Ctrl+C that lands between
    two commands' handlers ends it the same way, with 130.
    """
    try:
        code = main()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    sys.stdout.flush()
    sys.stderr.flush()
    if any(name in sys.modules for name in native_threaded()):
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
