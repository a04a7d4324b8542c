"""Giving memory back: the allocator's arenas are limited once, and freed memory returns to the system."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from modelrace.models.system import memory

glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or not ctypes.util.find_library("c"), reason="glibc only")


@glibc
def test_arenas_are_limited_to_the_measured_count(monkeypatch) -> None:
    monkeypatch.delenv(memory.ARENAS_ENV, raising=False)
    assert memory.limit_allocator_arenas.__wrapped__() == memory.ARENAS


@pytest.mark.parametrize("value, expected", [("0", None), ("", None), ("4", 4), ("many", memory.ARENAS)])
@glibc
def test_the_measuring_knob_is_read_safely(monkeypatch, value: str, expected: int | None) -> None:
    monkeypatch.setenv(memory.ARENAS_ENV, value)
    assert memory.limit_allocator_arenas.__wrapped__() == expected
    monkeypatch.setenv(memory.ARENAS_ENV, str(memory.ARENAS))
    memory.limit_allocator_arenas.__wrapped__()  # leave the process as the app sets it


def test_returning_free_memory_collects_cycles() -> None:
    import weakref

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    watch = weakref.ref(a)
    del a, b
    memory.return_free_memory()
    assert watch() is None
