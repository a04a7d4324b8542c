"""``python -m modelrace.gui``: the same as the ``modelrace`` command."""

from modelrace.gui.terminal.main import entry

if __name__ == "__main__":
    entry()
