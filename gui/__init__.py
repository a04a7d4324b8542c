"""The front ends of modelrace: the desktop window (``gui.window``) and the terminal (``gui.terminal``).

The terminal never imports the window's modules (an import-linter contract checks it), except
``gui.terminal.main`` for the ``gui`` command; the window runs on Qt, the terminal without it.
"""

#: Set to make the window print what was imported by its first paint, then quit (start-up checks and benchmark).
STARTUP_PROBE_ENV = "MODELRACE_STARTUP_PROBE"
