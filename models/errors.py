"""Errors that carry a message meant for the user, not a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; ``str(error)`` is one clear line saying what and how."""


class DataError(UserError):
    """A dataset file or cache entry cannot be used (bad format, bad values, missing)."""


class ConfigError(UserError):
    """A preset, model name or option is invalid."""


class OutputError(UserError):
    """A result or report cannot be written where the user asked."""
