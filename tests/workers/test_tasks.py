"""Background jobs on Qt's thread pool leave no record behind in Python's threading module."""

from __future__ import annotations

import threading

from modelrace.workers.tasks import start_job, start_stream


def _touch_threading() -> str:
    return threading.current_thread().name  # registers a _DummyThread for the pool thread


def _touch_in_a_stream():  # type: ignore[no-untyped-def]
    yield threading.current_thread().name
    yield "done"


def test_jobs_and_streams_forget_their_pool_threads_record(qtbot) -> None:
    baseline = threading.active_count()
    returned: list[str] = []
    items: list[str] = []
    for _ in range(3):
        done: list[int] = []
        start_job(_touch_threading, on_result=returned.append, on_error=print, on_finished=lambda: done.append(1))
        qtbot.waitUntil(lambda: done == [1], timeout=10_000)
        ended: list[int] = []
        start_stream(_touch_in_a_stream, on_item=items.append, on_error=print, on_finished=lambda: ended.append(1))
        qtbot.waitUntil(lambda: ended == [1], timeout=10_000)
    assert len(returned) == 3 and all(name.startswith("Dummy") for name in returned), returned
    assert items[1::2] == ["done"] * 3
    assert threading.active_count() == baseline, "a record of a Qt pool thread outlived its job"
