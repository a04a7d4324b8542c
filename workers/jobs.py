"""Background jobs for the window: opening or importing a dataset, exports, the workshop check, the preload.

A job runs in a thread of its own and touches no Qt object: what it returns, yields or raises goes
onto a port of the relay (``workers.event_relay``) as a plain item, and the relay calls the job's
callbacks on the GUI thread. The callbacks never leave the GUI thread (the relay holds them, not
the job), and a callback bound to a Qt object that has since been deleted is skipped, as Qt skips
a deleted receiver's slots. One model's failure never reaches here (the engine records it in that
model's entry and the others carry on).
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from modelrace.workers.event_relay import Port, relay
from modelrace.workers.model_threads import EXIT_WAIT_SECONDS, start_work_thread


R = TypeVar("R")  # what a job's function returns, and its on_result takes
T = TypeVar("T")  # what a stream yields, and its on_item takes


@dataclass(frozen=True)
class _Returned:
    value: Any


@dataclass(frozen=True)
class _Yielded:
    value: Any


@dataclass(frozen=True)
class _Raised:
    error: BaseException


@dataclass
class Job:
    """A job under way; ``done`` is set once its function has returned or raised (in its thread)."""

    name: str
    done: threading.Event


#: Jobs started in this process that may still run (the window's close and the exit wait for them).
_jobs: list[Job] = []


def _track(job: Job) -> Job:
    _jobs[:] = [j for j in _jobs if not j.done.is_set()]
    _jobs.append(job)
    return job


def running_jobs() -> list[Job]:
    """The jobs of this process still running."""
    return [job for job in _jobs if not job.done.is_set()]


def wait_for_jobs(milliseconds: int) -> bool:
    """Wait up to ``milliseconds`` in all for every job still running; True if none is left."""
    deadline = time.monotonic() + milliseconds / 1000
    return all(job.done.wait(max(0.0, deadline - time.monotonic())) for job in running_jobs())


@atexit.register
def _wait_at_exit() -> None:
    """A job's thread still inside a library's C++ code as Python finalises would end the process with
    ``std::terminate``: a script that ends without the event loop waits for its jobs first (bounded)."""
    wait_for_jobs(int(EXIT_WAIT_SECONDS * 1000))


def _callbacks(on_result: Callable[[Any], None] | None, on_error: Callable[[BaseException], None],
               on_finished: Callable[[], None] | None, on_item: Callable[[Any], None] | None = None) -> Port:
    """Open a port whose items call these callbacks on the GUI thread; it closes after the last one."""
    the_relay = relay()
    port: Port

    def handle(item: object) -> None:
        if isinstance(item, _Yielded):
            if on_item is not None:
                _call(on_item, item.value)
            return
        the_relay.close(port)
        if isinstance(item, _Raised):
            _call(on_error, item.error)
        elif isinstance(item, _Returned) and on_result is not None:
            _call(on_result, item.value)
        if on_finished is not None:
            _call(on_finished)

    port = the_relay.open(handle)
    return port


def _call(callback: Callable[..., None], *args: Any) -> None:
    from shiboken6 import isValid

    owner = getattr(callback, "__self__", None)
    if owner is None or isValid(owner):
        callback(*args)


def _outcome(port: Port, function: Callable[..., Any], args: tuple, done: threading.Event) -> None:
    try:
        value = function(*args)
    except BaseException as exc:  # noqa: BLE001 - every failure is the caller's to show
        port.put(_Raised(exc))
    else:
        port.put(_Returned(value))
    finally:
        done.set()


def start_job(
    function: Callable[..., R],
    *args: Any,
    on_result: Callable[[R], None],
    on_error: Callable[[BaseException], None],
    on_finished: Callable[[], None] | None = None,
    name: str = "modelrace-job",
) -> Job:
    """Run ``function(*args)`` in a thread of its own; ``on_result`` or ``on_error``, then ``on_finished``, on the GUI thread."""
    port = _callbacks(on_result, on_error, on_finished)
    job = _track(Job(name, threading.Event()))
    threading.Thread(target=_outcome, args=(port, function, args, job.done), name=name, daemon=True).start()
    return job


def start_stream(
    generator: Callable[..., Iterator[T]],
    *args: Any,
    on_item: Callable[[T], None],
    on_error: Callable[[BaseException], None],
    on_finished: Callable[[], None],
) -> Job:
    """Run a generator function in a thread of its own; each item it yields reaches ``on_item`` on the GUI thread."""
    port = _callbacks(None, on_error, on_finished, on_item)
    job = _track(Job("modelrace-stream", threading.Event()))

    def stream() -> None:
        for item in generator(*args):
            if not port.put(_Yielded(item)):
                return  # nobody listens any more

    threading.Thread(target=_outcome, args=(port, stream, (), job.done), name=job.name, daemon=True).start()
    return job


def start_in_qthread(
    name: str,
    function: Callable[..., R],
    *args: Any,
    on_result: Callable[[R], None],
    on_error: Callable[[BaseException], None],
) -> Job:
    """As :func:`start_job`, in a QThread of its own (made here, on the GUI thread, and deleted here once ended).

    For work that must not share a thread with other jobs: TensorFlow keeps per-thread state.
    """
    port = _callbacks(on_result, on_error, None)
    job = _track(Job(name, threading.Event()))
    start_work_thread(name, lambda: _outcome(port, function, args, threading.Event()), job.done)
    return job
