"""Errors that carry a message meant for the user, not a traceback, in the words of each front end.

A message names a fix the user can apply, and the fix is spelled differently in the terminal
(``--rows N``, ``modelrace data fetch``) and in the window (*Rows*, the *Download* button). Messages
therefore refer to such phrases through :func:`words`, which leaves a marker; ``str(error)`` renders
the terminal's wording and :meth:`UserError.in_window` the window's. Subclasses that a front end
acts on (rather than only shows) carry their data as attributes, so no code reads message text.
"""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Private-use characters delimit a phrase key: they never occur in modelrace's own text.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_OPEN}([a-z-]+){_CLOSE}")

TERMINAL, WINDOW = 0, 1
#: key -> (terminal wording, window wording) of each fix a message can name.
PHRASES: dict[str, tuple[str, str]] = {
    "rows": ("--rows", "Rows"),
    "rows-n": ("--rows N", "Rows"),
    "leave-rows-out": ("leave --rows out", "set Rows to 'all rows'"),
    "sizes": ("--sizes", "Sizes"),
    "repeats": ("--repeats", "Repeats"),
    "seed": ("--seed", "Seed"),
    "one-of-sizes-rows": ("use one of them", "set Rows to 'all rows' or clear Sizes"),
    "rows-or-window": ("--rows N, or Rows in the window", "Rows"),
    "target-column": ("--target COLUMN", "its label column (Import… asks for it)"),
    "pass-target": ("pass one of them to --target", "choose one of them when Import… asks for the label column"),
    "choose-name": ("choose another --name", "choose another name"),
    "name-option": ("--name NAME", "a renamed copy of the file"),
    "remove": ("`modelrace data remove {name}`", "`modelrace data remove {name}` in a terminal"),
    "data-flag": ("pass a file path to --data", "choose a file with Import…"),
    "import-file": ("import a file with `modelrace data import FILE`", "import a file with Import…"),
    "import-again": ("`modelrace data import FILE --name {name}`", "Import… (the same file)"),
    "import-covtype": ("`modelrace data import FILE --name covtype`", "Import… in the Dataset panel"),
    "fetch": ("run `modelrace data fetch`", "press Download in the Dataset panel"),
    "fetch-again": ("run `modelrace data fetch` again", "press Download again"),
    "fetch-covtype": ("`modelrace data fetch` for covtype", "Download for covtype"),
    "data-list": ("run `modelrace data list` for cached datasets", "choose a dataset from the Source list"),
    "device-cpu": ("race on the CPU with --device cpu", "race on the CPU (untick Use the GPU)"),
    "workers": ("--workers", "Workers"),
    "threads-per-race": ("--threads-per-race", "Threads per race"),
    "scheduler": ("--scheduler", "Scheduler"),
    "leave-mode-out": ("leave --mode out", "set Mode to fair"),
    "without-workers": ("race without --workers", "race on This machine"),
    "tls-files": ("--tls-ca-file, --tls-cert and --tls-key", "the TLS files in Dask's configuration (distributed.comm.tls)"),
}


def words(key: str, **values: object) -> str:
    """A marker for the phrase ``key`` (see PHRASES), rendered in each front end's own words.

    ``values`` fill ``{placeholders}`` of the phrase (a dataset's name, say).
    """
    if key not in PHRASES:
        raise KeyError(f"no phrase '{key}' in errors.PHRASES")
    filled = "".join(f"{_OPEN}{k}={v}{_CLOSE}" for k, v in values.items())
    return f"{filled}{_OPEN}{key}{_CLOSE}"


_FILLED = re.compile(f"{_OPEN}([a-z_]+)=([^{_CLOSE}]*){_CLOSE}")


def render(text: str, front: int = TERMINAL) -> str:
    """``text`` with every phrase marker replaced by the wording of ``front`` (TERMINAL or WINDOW)."""
    values: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        values[match.group(1)] = match.group(2)
        return ""

    text = _FILLED.sub(keep, text)
    return _MARKER.sub(lambda m: PHRASES[m.group(1)][front].format(**values), text)


def one_line(text: str) -> str:
    """``text`` with control characters (newlines in a file name, say) shown as escapes, so it stays one line."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


class UserError(Exception):
    """A problem the user can fix; ``str(error)`` is one clear line saying what and how (terminal wording)."""

    def __init__(self, message: object = "", *args: object) -> None:
        super().__init__(one_line(str(message)), *args)

    def __str__(self) -> str:
        return render(str(self.args[0]) if self.args else "", TERMINAL)

    def in_window(self) -> str:
        """The same message with the window's names for the fixes (buttons and fields, not flags)."""
        return render(str(self.args[0]) if self.args else "", WINDOW)


class DataError(UserError):
    """A dataset file or cache entry cannot be used (bad format, bad values, missing)."""


class ConfigError(UserError):
    """A preset, model name or option is invalid."""


class OutputError(UserError):
    """A result or report cannot be written where the user asked."""


class NeedsLabelColumn(DataError):
    """A table that is not Covertype's was imported without naming its label column.

    ``columns`` lists the header, so a front end can offer them (the window asks which one).
    """

    def __init__(self, message: object, path: Path, columns: list[str]) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.columns = list(columns)


class UnknownDataset(DataError):
    """No cached dataset has this name (``name``)."""

    def __init__(self, message: object, name: str) -> None:
        super().__init__(message)
        self.name = name


class ReadOnlyDataset(DataError):
    """The dataset bundled with modelrace cannot be removed or replaced (``name``)."""

    def __init__(self, message: object, name: str) -> None:
        super().__init__(message)
        self.name = name
