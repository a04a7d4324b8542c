"""``python -m modelrace.gui``: the same as the ``modelrace`` command."""

import sys

from modelrace.gui.terminal.main import main

if __name__ == "__main__":
    sys.exit(main())
