"""Exit statuses of the ``modelrace`` command, and its way of quitting at once."""

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

EXIT_OK = 0
EXIT_MODEL_FAILED = 1  # a model failed; the others finished and everything asked for was written
EXIT_USAGE = 2  # a user mistake: one line says what and how to fix it
EXIT_INTERRUPTED = 130  # Ctrl+C: the race stopped, what finished was kept and written


Handler = Callable[[int, Any], None]


def say(text: str) -> None:
    """Write ``text`` and a newline to stderr from a signal handler: one ``write`` call, no Python I/O lock.

    ``print`` goes through sys.stderr's buffer, whose lock a handler may find held by the very code it
    interrupted (Python then raises 'reentrant call'), so handlers write to the file descriptor directly.
    """
    with contextlib.suppress(OSError):
        os.write(2, (text + "\n").encode("utf-8", "replace"))


def quit_at_once(signum: int = signal.SIGINT, frame: object = None) -> None:
    """End the process now with status 130, whatever is running.

    Not by raising KeyboardInterrupt: that unwinds into the interpreter's shutdown while TensorFlow's
    native threads are still busy, which can abort the process (``terminate called…``, status 134).
    What was already written stays: every file is written atomically.
    """
    try:
        sys.stdout.flush()  # may fail when the signal interrupted a write to stdout: quit all the same
    except Exception:  # noqa: BLE001 - nothing may keep this handler from ending the process
        pass
    finally:
        say("\nmodelrace: interrupted")
        os._exit(EXIT_INTERRUPTED)


def first_ctrl_c(stop: threading.Event, message: str, then: Handler = quit_at_once) -> Handler:
    """The handler of a command's first Ctrl+C: ask ``stop`` to stop, say ``message``; a second Ctrl+C runs ``then``.

    It hands Ctrl+C to ``then`` before anything else. ``stop.set()`` takes the Event's lock, and a second
    Ctrl+C arriving inside it used to run this handler again, which waited for that same lock forever (a
    hang seen about once in 40 double Ctrl+C's). Now a second Ctrl+C at any moment runs ``then``, which
    takes no lock this handler holds.
    """

    def on_interrupt(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGINT, then)
        stop.set()
        say(message)

    return on_interrupt
