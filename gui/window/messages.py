"""How the window words an error: the engine's message with the window's names for each fix."""

from __future__ import annotations

from modelrace.models.system.errors import UserError


def window_text(exc: BaseException) -> str:
    """An error's message in the window's words (its buttons and fields, not the terminal's flags)."""
    return exc.in_window() if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
