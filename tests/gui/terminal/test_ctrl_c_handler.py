"""The first Ctrl+C's handler survives a second Ctrl+C at any moment, even inside its own ``stop.set()``.

A second SIGINT that arrived while the handler held the Event's lock used to run the handler again,
which then waited for that lock forever (the old order of its lines hangs the first case below every
time). Each case delivers the second signal at one such moment, in a child process, with a harmless
``then`` in place of quitting, so a regression fails on the timeout instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import os, signal, sys, threading
    from modelrace.gui.terminal import exits

    where = sys.argv[1]
    calls = []

    class SignalInsideSet(threading.Event):
        def set(self):
            with self._cond:  # the Event's own lock, held
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(10_000):  # bytecodes at which the pending handler runs
                    pass
                self._flag = True
                self._cond.notify_all()

    stop = SignalInsideSet() if where == "inside stop.set" else threading.Event()
    if where == "during the message":
        say = exits.say
        def say_and_signal(text):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10_000):
                pass
            say(text)
        exits.say = say_and_signal
    handler = exits.first_ctrl_c(stop, "stopping", then=lambda signum, frame: calls.append("then"))
    signal.signal(signal.SIGINT, handler)
    os.kill(os.getpid(), signal.SIGINT)
    if where == "right after the first":
        os.kill(os.getpid(), signal.SIGINT)
    for _ in range(10_000):
        pass
    print(stop.is_set(), signal.getsignal(signal.SIGINT) is handler, calls)
""")


@pytest.mark.parametrize("where", ["inside stop.set", "during the message", "right after the first"])
def test_a_second_ctrl_c_runs_then_and_never_the_first_handler_again(where: str) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, where], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    stopped, still_first, calls = done.stdout.strip().split(" ", 2)
    assert stopped == "True" and still_first == "False", done.stdout
    if where == "right after the first":  # two signals sent at once may arrive as one
        assert calls in ("[]", "['then']"), done.stdout
    else:
        assert calls == "['then']", done.stdout
    assert "stopping" in done.stderr  # the first Ctrl+C's message, written straight to the descriptor
