"""The files a command writes besides the terminal output: result JSON, reports and CSV, and the one line naming them."""

from __future__ import annotations

import os
from pathlib import Path

from modelrace.gui.terminal.layout import WIDTH, wrap
from modelrace.models.output.csv_export import CSV_FILES, write_csv
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


def write_outputs(result: Result, reports: list[Path], csv_dir: Path | None,
                  written: list[Path] | None = None) -> list[Path]:
    """Write the requested reports and CSV files; return the paths written, in order.

    Each path is added to ``written`` (when given) as soon as its file is there, so a caller still
    knows what was written if a later file fails.
    """
    written = [] if written is None else written
    for path in reports:
        write_report(result, path)
        written.append(Path(path))
    if csv_dir is not None:
        for path in write_csv(result, csv_dir):
            written.append(Path(path))
    return written


def written_line(paths: list[Path], csv_dir: Path | None = None, width: int = WIDTH) -> str:
    """One short sentence naming every file written ('Wrote r.json, r.html and csv/ (4 CSV files) in /tmp/x.').

    The CSV files written into ``csv_dir`` count as that folder ('csv/ (4 CSV files)'), or as '4 CSV files'
    when the folder holds the other files too; names are given as typed, and a folder they all share is
    said once, at the end. Cut to ``width`` columns; empty when nothing was written.
    """
    if not paths:
        return ""
    # Only the CSV export's own files count as the folder: a JSON or a report may share it.
    csv = [p for p in paths if csv_dir is not None and p.parent == Path(csv_dir) and p.name in CSV_FILES]
    others = [p for p in paths if p not in csv]
    items = [(None, p.parent, p) for p in others]  # (a name other than the path's, its folder, the path)
    csv_tail = ""
    if csv:
        count = f"{len(csv)} CSV file{'s' if len(csv) != 1 else ''}"
        if all(p.parent == Path(csv_dir) for p in others):  # the CSV folder holds everything: "and 4 CSV files"
            items.append((count, Path(csv_dir), Path(csv_dir)))
        else:
            items.append((None, Path(csv_dir).parent, Path(csv_dir)))
            csv_tail = f"/ ({count})"
    try:
        folder = os.path.commonpath([str(parent) for _, parent, _ in items])
    except ValueError:  # absolute and relative paths mixed
        folder = ""
    folder = "" if folder in ("", ".") else folder
    names = []
    for name, _, path in items:
        if name is None:
            name = shown(os.path.relpath(path, folder) if folder else path)
            if csv_tail and path == Path(csv_dir):
                name += csv_tail
        names.append(name)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    where = f" in {shown(folder)}" if folder else ""
    return "\n".join(wrap(f"Wrote {listed}{where}.", width, hang="  "))
