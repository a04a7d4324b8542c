"""The files a command writes besides the terminal output: result JSON, reports and CSV."""

from __future__ import annotations

from pathlib import Path

from modelrace.models.output.csv_export import write_csv
from modelrace.models.output.reports import check_report_path, write_report
from modelrace.models.results.document import Result
from modelrace.models.system.atomic import check_writable
from modelrace.models.system.errors import one_line


def shown(path: object) -> str:
    """A path as a message shows it: on one line, whatever characters its name holds."""
    return one_line(str(path))


def check_outputs(json_path: Path | None, reports: list[Path]) -> None:
    """Fail before any work if a requested output could not be written or has an unknown type."""
    for path in reports:
        check_report_path(path)
    for path in ([json_path] if json_path is not None else []) + list(reports):
        check_writable(path)


def write_outputs(result: Result, reports: list[Path], csv_dir: Path | None) -> None:
    """Write the requested reports and CSV files, saying where each went."""
    for path in reports:
        write_report(result, path)
        print(f"Report written to {shown(path)}")
    if csv_dir is not None:
        for path in write_csv(result, csv_dir):
            print(f"CSV written to {shown(path)}")
