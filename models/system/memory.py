"""Giving memory back: after a race, what the models freed is returned to the system, not kept by the allocator."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import os

#: glibc's mallopt parameter for the most allocator arenas (malloc.h: ``#define M_ARENA_MAX -8``).
_M_ARENA_MAX = -8
#: Arenas the app allows (glibc's default is 8 per core). Measured by tests/benchmarks/bench_allocator.py.
ARENAS = 4
#: Set to ``0`` to keep glibc's default, for measuring (the benchmark's "default" arm).
ARENAS_ENV = "MODELRACE_MALLOC_ARENAS"


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library, or None where it cannot be loaded."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


@functools.cache
def limit_allocator_arenas() -> int | None:
    """Let glibc's malloc keep at most :data:`ARENAS` arenas; return the limit set, or None.

    Every thread that allocates while others do gets its own arena (up to 8 per core); memory freed
    in an arena stays there, fragmented, so a day of races, each in fresh worker threads, grows by
    its scraps. Called once, early, by each front end; where malloc is not glibc's it does nothing.
    """
    try:
        wanted = int(os.environ.get(ARENAS_ENV, ARENAS) or 0)
    except ValueError:  # a typo in a measuring knob must not stop the app
        wanted = ARENAS
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None) if libc is not None else None
    if wanted <= 0 or mallopt is None or getattr(libc, "malloc_trim", None) is None:  # no glibc: nothing to do
        return None
    return wanted if mallopt(_M_ARENA_MAX, wanted) == 1 else None


def return_free_memory() -> None:
    """Collect Python's garbage and hand the freed heap back to the system.

    A race frees hundreds of MB (a model, its graphs, its predictions) across many threads' allocator
    arenas; without this, a window racing all day keeps the high-water mark of every arena, and its
    resident memory creeps up even though nothing is held.

    Only the young generations are collected: a full collection with TensorFlow loaded holds the GIL
    for about 230 ms (measured on 2 cores), which froze the window at the end of every race. The
    race's own garbage is young; what survived longer is left to Python's own full collections.
    """
    gc.collect(1)
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)
