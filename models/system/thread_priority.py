"""Per-thread CPU priority (Linux nice values), so that lesser work yields to what matters more."""

from __future__ import annotations

import os
import threading


def lower_thread_priority(by: int) -> None:
    """Run the calling thread ``by`` nice levels below the process (threads it starts inherit this on Linux).

    The level is relative to the process, not to the thread's current level, so a pooled thread that
    runs one job after another does not sink further with each (nor can it rise again: Linux lets
    an ordinary user lower a priority, never raise it). Nothing happens where per-thread
    priorities are not available or not allowed: the work still runs, only less politely.
    """
    try:
        thread_id = threading.get_native_id()
        target = min(19, os.getpriority(os.PRIO_PROCESS, os.getpid()) + by)
        if os.getpriority(os.PRIO_PROCESS, thread_id) < target:
            os.setpriority(os.PRIO_PROCESS, thread_id, target)
    except (AttributeError, OSError):
        pass
