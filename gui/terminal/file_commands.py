"""``modelrace report`` and ``modelrace export-script``: files from a result saved earlier, without training."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from modelrace.gui.terminal.layout import width_for
from modelrace.gui.terminal.outputs import check_outputs, shown, write_outputs, written_line
from modelrace.models.output.repro_script import write_script
from modelrace.models.results.files import load_result
from modelrace.models.results.installed import not_installed_line
from modelrace.models.system.atomic import check_writable
from modelrace.models.system.errors import ConfigError


def command_report(args: argparse.Namespace) -> int:
    """Write reports (and CSV) from a result file."""
    if not args.report and args.csv is None:
        raise ConfigError("say what to write: --report OUT.html, --report OUT.pdf and/or --csv DIR")
    result = load_result(args.result)
    missing = not_installed_line(result, Path(args.result).name)
    if missing:
        print(missing, file=sys.stderr)
    check_outputs(None, args.report)
    written: list[Path] = []
    try:
        write_outputs(result, args.report, args.csv, written)
    finally:  # also when a later file fails: say which were written
        if written:
            print(written_line(written, args.csv, width_for(sys.stdout)))
    return 0


def command_export_script(args: argparse.Namespace) -> int:
    """Write the standalone reproduction script of a result."""
    result = load_result(args.result)
    check_writable(args.out)
    write_script(result, args.out)
    print(f"Script written to {shown(args.out)}; run it with: python {shown(args.out)}")
    return 0
