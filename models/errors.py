"""Errors that carry a message meant for the user, not a traceback."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """``text`` with control characters (newlines in a file name, say) shown as escapes, so it stays one line."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


class UserError(Exception):
    """A problem the user can fix; ``str(error)`` is one clear line saying what and how."""

    def __init__(self, message: object = "", *args: object) -> None:
        super().__init__(one_line(str(message)), *args)


class DataError(UserError):
    """A dataset file or cache entry cannot be used (bad format, bad values, missing)."""


class ConfigError(UserError):
    """A preset, model name or option is invalid."""


class OutputError(UserError):
    """A result or report cannot be written where the user asked."""
