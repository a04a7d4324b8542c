"""The one way news reaches the window: a thread-safe queue, drained on the GUI thread by one timer.

Background threads (a model's QThread, a race's coordinator, Dask's client side, a job) never
touch a Qt object: each holds a :class:`Port`, a plain object whose ``put`` drops a plain item
into the queue. A :class:`QTimer` on the GUI thread drains the queue at most about 20 times a
second and hands each item, in order, to the handler its port was opened with. Closing a port
(a new Run, Open results, closing the window) is the one place where a stale run's news is
dropped: what it still sends is thrown away unread, and a dropped request that someone waits for
is released (see ``dropped``).

Handlers live only here, on the GUI thread: a port never holds one, so a background thread can
never own the last reference to a window's object (its destruction would then run on that
thread). Orange3's ``FutureWatcher`` is the model: background threads only post.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from shiboken6 import isValid

from modelrace.models.race.events import RaceEvent, merge_steps

#: Milliseconds between two drains: at most 20 a second, so steps reach the plots in batches.
DRAIN_MS = 50
#: ... and while no port is open: a request put just as its run was let go is still released soon.
IDLE_DRAIN_MS = 500

Handler = Callable[[Any], None]


class Port:
    """A run's or a job's way into the relay: ``put`` from any thread; ``closed`` once the GUI thread let go."""

    def __init__(self, items: queue.SimpleQueue[tuple[int, object]], number: int) -> None:
        self._items = items
        self.number = number
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        """True once nobody listens any more (what is put now is dropped unread)."""
        return self._closed.is_set()

    def put(self, item: object) -> bool:
        """Queue ``item`` for the GUI thread; False (and nothing queued) if the port is closed."""
        if self._closed.is_set():
            return False
        self._items.put((self.number, item))
        return True


class EventRelay:
    """Drains the queue on the GUI thread and calls each port's handler with its items, one at a time, in order.

    Make it, and call every method but :meth:`Port.put`, on the GUI thread. Re-entrant: a handler
    that opens a modal dialog (whose event loop drains again) sees later items only after the
    earlier ones were handed out, because every drain pops from one pending line.
    """

    def __init__(self, interval_ms: int = DRAIN_MS) -> None:
        self._interval = interval_ms
        self._items: queue.SimpleQueue[tuple[int, object]] = queue.SimpleQueue()
        self._pending: deque[tuple[int, object]] = deque()
        self._handlers: dict[int, Handler] = {}
        self._owners: dict[int, object] = {}
        self._tickers: list[Callable[[], bool]] = []
        self._numbers = itertools.count(1)
        self._timer = QTimer(QCoreApplication.instance())  # deleted with the application, on its thread
        self._timer.setInterval(interval_ms)
        # Single-shot, re-armed as each drain begins: Qt never fires a timer again while its slot runs,
        # but a re-armed one is a new timer, so a handler's nested event loop (a dialog) still drains.
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.drain)

    def open(self, handler: Handler, owner: object = None) -> Port:
        """A new port whose items go to ``handler`` (on the GUI thread) until :meth:`close`.

        Once ``owner`` (by default the object a bound ``handler`` belongs to) is a deleted Qt object, its
        items are dropped, as Qt drops the connections of a deleted receiver.
        """
        number = next(self._numbers)
        port = Port(self._items, number)
        self._handlers[number] = handler
        self._owners[number] = owner if owner is not None else getattr(handler, "__self__", None)
        self._wake()
        return port

    def close(self, port: Port) -> None:
        """Stop listening to ``port``: whatever it sent or sends from now on is dropped unread."""
        port._closed.set()  # noqa: SLF001 - the relay owns its ports' state
        self._handlers.pop(port.number, None)
        self._owners.pop(port.number, None)

    def keep_ticking(self, ticker: Callable[[], bool]) -> None:
        """Call ``ticker()`` after every drain until it returns False (to reap threads that have ended)."""
        self._tickers.append(ticker)
        self._wake()

    def drain(self) -> None:
        """Hand out everything queued so far (a stale port's items are dropped here), then run the tickers."""
        self._timer.start()
        self._collect()
        while self._pending:
            number, item = self._pending.popleft()
            handler = self._handlers.get(number)
            if handler is None:
                _drop(item)
                continue
            owner = self._owners.get(number)
            if owner is not None and _is_deleted(owner):
                _drop(item)
                continue
            handler(item)
        self._tickers = [ticker for ticker in self._tickers if ticker()]
        idle = not self._handlers and not self._tickers and not self._pending and self._items.empty()
        self._timer.setInterval(IDLE_DRAIN_MS if idle else self._interval)

    def _collect(self) -> None:
        """Move what the queue holds onto the pending line, with adjacent step batches of one run joined."""
        taken: list[tuple[int, object]] = []
        while True:
            try:
                taken.append(self._items.get_nowait())
            except queue.Empty:
                break
        if not taken:
            return
        # Join each run of one port's adjacent events (see merge_steps), so each drain grows a curve once.
        number = taken[0][0]
        group: list[RaceEvent] = []
        for item_number, item in taken:
            if not isinstance(item, RaceEvent) or item_number != number:
                self._pending.extend((number, event) for event in merge_steps(group))
                group, number = [], item_number
            if isinstance(item, RaceEvent):
                group.append(item)
            else:
                self._pending.append((item_number, item))
        self._pending.extend((number, event) for event in merge_steps(group))

    def _wake(self) -> None:
        if self._timer.interval() != self._interval or not self._timer.isActive():
            self._timer.start(self._interval)


def _drop(item: object) -> None:
    """Release whoever waits for an item nobody will handle (a request to start a model, say)."""
    dropped = getattr(item, "dropped", None)
    if callable(dropped):
        dropped()


def _is_deleted(owner: object) -> bool:
    """True if ``owner`` is a Qt object whose C++ side is gone (any other object is never deleted)."""
    return not isValid(owner)


_relay: EventRelay | None = None


def relay() -> EventRelay:
    """The process's relay (made on first use, which must be on the GUI thread)."""
    global _relay
    if _relay is None or not isValid(_relay._timer):  # noqa: SLF001 - a new QApplication needs a new timer
        _relay = EventRelay()
    return _relay
