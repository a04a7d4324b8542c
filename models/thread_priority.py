"""Per-thread CPU priority (Linux nice values), so that lesser work yields to what matters more."""

from __future__ import annotations

import os
import threading


def lower_thread_priority(by: int) -> None:
    """Make the calling thread ``by`` nice levels less urgent (threads it starts inherit this on Linux).

    Nothing happens where per-thread priorities are not available or not allowed: the work still
    runs, only less politely.
    """
    try:
        thread_id = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread_id)
        os.setpriority(os.PRIO_PROCESS, thread_id, min(19, current + by))
    except (AttributeError, OSError):
        pass
