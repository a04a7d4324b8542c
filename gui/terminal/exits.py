"""Exit statuses of the ``modelrace`` command, and its way of quitting at once."""

import os
import signal
import sys

EXIT_OK = 0
EXIT_MODEL_FAILED = 1  # a model failed; the others finished and everything asked for was written
EXIT_USAGE = 2  # a user mistake: one line says what and how to fix it
EXIT_INTERRUPTED = 130  # Ctrl+C: the race stopped, what finished was kept and written


def quit_at_once(signum: int = signal.SIGINT, frame: object = None) -> None:
    """End the process now with status 130, whatever is running.

    Not by raising KeyboardInterrupt: that unwinds into the interpreter's shutdown while TensorFlow's
    native threads are still busy, which can abort the process (``terminate called…``, status 134).
    What was already written stays: every file is written atomically.
    """
    try:
        sys.stdout.flush()
        print("\nmodelrace: interrupted", file=sys.stderr, flush=True)
    finally:
        os._exit(EXIT_INTERRUPTED)
