"""Writing a result as a report: the suffix picks HTML, PDF or JSON; every file is written atomically."""

from __future__ import annotations

from pathlib import Path

from modelrace.models.results.document import Result
from modelrace.models.results.files import save_result
from modelrace.models.system.atomic import write_bytes_atomic, write_text_atomic
from modelrace.models.system.errors import OutputError

REPORT_SUFFIXES = (".html", ".htm", ".pdf", ".json")


def write_report(result: Result, path: Path) -> None:
    """Write ``result`` as HTML, PDF or JSON, chosen by the file suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        from modelrace.models.output.html_report import html_report  # matplotlib loads only for a report

        write_text_atomic(path, html_report(result))
    elif suffix == ".pdf":
        from modelrace.models.output.pdf_report import pdf_report

        write_bytes_atomic(path, pdf_report(result))
    elif suffix == ".json":
        save_result(result, path)
    else:
        raise OutputError(f"{path}: unknown report type '{suffix or '(none)'}'; use .html, .pdf or .json")


def check_report_path(path: Path) -> None:
    """Raise OutputError early for a report path whose type is unknown."""
    if Path(path).suffix.lower() not in REPORT_SUFFIXES:
        raise OutputError(f"{path}: unknown report type; use a name ending in .html, .pdf or .json")
