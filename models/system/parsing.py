"""Reading JSON and TOML that anyone may have written: bounded in size and nesting before it is parsed.

A file nested 100,000 levels deep would end the parsers (and the schema check) in a RecursionError;
a huge one would fill the memory. Both are refused first, with one line that names the file and the
line where the nesting goes too deep.
"""

from __future__ import annotations

import json
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from modelrace.models.system.errors import DataError

#: Deeper than any file modelrace writes (a result nests about 8 levels).
MAX_DEPTH = 64

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_TOML_SKIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_BRACKET = re.compile(r"[\[\]{}]")


def read_text(path: Path, max_bytes: int, what: str) -> str:
    """The text of ``path`` if it is at most ``max_bytes`` long; DataError (one line) otherwise."""
    path = Path(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise DataError(f"{path}: is not a regular file (a folder, pipe or device); give the {what} itself")
        size = status.st_size
        if size > max_bytes:
            raise DataError(f"{path}: {size / 1e6:,.1f} MB is far larger than any {what} ({max_bytes / 1e6:,.0f} MB at "
                            "most); choose the right file")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from exc


def parse_json(text: str, where: str, **options: Any) -> Any:
    """``json.loads(text)``, after refusing nesting deeper than MAX_DEPTH (``where`` names the source in messages)."""
    _check_depth(_JSON_STRING.sub(_blank, text), where)
    try:
        return json.loads(text, **options)
    except RecursionError as exc:  # the depth check above should have caught it
        raise DataError(f"{where}: nested too deeply to read; the file is damaged") from exc


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, after refusing nesting deeper than MAX_DEPTH."""
    _check_depth(_TOML_SKIP.sub(_blank, text), where)
    try:
        return tomllib.loads(text)
    except RecursionError as exc:
        raise DataError(f"{where}: nested too deeply to read; fix the file") from exc


def _blank(match: re.Match[str]) -> str:
    """A string or comment replaced by as many neutral characters (line breaks kept, so positions stay)."""
    return re.sub(r"[^\n]", "x", match.group())


def _check_depth(code: str, where: str) -> None:
    depth = 0
    for bracket in _BRACKET.finditer(code):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = code.count("\n", 0, bracket.start()) + 1
            raise DataError(f"{where}: line {line}: nested more than {MAX_DEPTH} levels deep, which no modelrace file "
                            "is; the file is damaged or not what it seems")
