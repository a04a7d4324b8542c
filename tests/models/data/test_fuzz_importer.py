"""Importer fuzzing: random bytes and mutated real rows end in a clean dataset or a clear DataError.

Each example gets its own empty data home; afterwards the cache holds nothing but complete entries
(and none at all after an error). A per-example alarm turns a hang into a failure. These run in
the ``fuzz`` suite (``pytest -m fuzz``), which .ci/run runs after the default suite;
MODELRACE_FUZZ_EXAMPLES sets the examples per strategy (default 1,000).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelrace.models.data.cache import load_cached

from modelrace.models.data.opening import open_dataset
from modelrace.models.system.errors import DataError, one_line
from modelrace.models.system.paths import HOME_ENV, datasets_dir

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("MODELRACE_FUZZ_EXAMPLES", "1000"))
SECONDS_PER_EXAMPLE = 20
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture])
#: Counts per strategy, read by the README's Reliability figures (printed at the end of the run).
TALLY: dict[str, dict[str, int]] = {}


class Hang(Exception):
    """An example ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"an import took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def fresh_home() -> Iterator[Path]:
    old = os.environ.get(HOME_ENV)
    with tempfile.TemporaryDirectory(prefix="modelrace-fuzz-") as folder:
        os.environ[HOME_ENV] = str(Path(folder) / "home")
        try:
            yield Path(folder)
        finally:
            if old is None:
                os.environ.pop(HOME_ENV, None)
            else:
                os.environ[HOME_ENV] = old


def check_import(path: Path, strategy: str) -> None:
    """Import ``path``: either a sound, reloadable dataset or a one-line DataError naming the file; nothing stray."""
    tally = TALLY.setdefault(strategy, {"examples": 0, "imported": 0, "refused": 0})
    tally["examples"] += 1
    try:
        with time_limit(SECONDS_PER_EXAMPLE):
            dataset = open_dataset(str(path))
    except DataError as exc:
        tally["refused"] += 1
        message = str(exc)
        assert one_line(str(path)) in message, f"the message does not name the file: {message}"
        assert "\n" not in message and len(message) < 600, message
        leftovers = list(datasets_dir().iterdir()) if datasets_dir().is_dir() else []
        assert leftovers == [], f"a refused import left {leftovers}"
        return
    tally["imported"] += 1
    X, y = dataset.X, dataset.y
    assert X.dtype == np.float32 and y.dtype == np.int32 and X.ndim == 2 and X.shape[0] == y.shape[0] > 0
    assert np.isfinite(X).all()
    assert len(dataset.classes) >= 2 and y.min() >= 0 and y.max() < len(dataset.classes)
    assert len(dataset.feature_names) == X.shape[1]
    entries = list(datasets_dir().iterdir())
    assert [e.name for e in entries] == [dataset.name], f"stray cache files: {entries}"
    assert {p.name for p in entries[0].iterdir()} == {"X.npy", "y.npy", "meta.json"}
    again = load_cached(dataset.name)
    assert np.array_equal(again.X, X) and np.array_equal(again.y, y) and again.sha256 == dataset.sha256


# ------------------------------------------------------------------------------ random bytes

FILE_NAMES = st.text(st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)), min_size=1,
                     max_size=40).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@FUZZ
@given(data=st.binary(max_size=4096), name=FILE_NAMES, gz=st.booleans())
def test_random_bytes(data: bytes, name: str, gz: bool) -> None:
    with fresh_home() as folder:
        path = folder / (name + (".gz" if gz else ""))
        path.write_bytes(gzip.compress(data) if gz and data[:1] != b"\x1f" else data)
        check_import(path, "random bytes")


# ------------------------------------------------------------------- mutations of the real rows

ODD_CELLS = ["", " ", "nan", "NaN", "NA", "abc", "1e400", "-1e39", "3.5e38", "9" * 400, "inf", "-inf", "0x1F",
             '"7"', "1,5", "١٢", "\u00a0", "None", "True", "1e-400", "+", "-"]


def mutations() -> st.SearchStrategy:
    index = st.integers(0, 10_000)
    return st.lists(st.one_of(
        st.tuples(st.just("drop_column"), index),
        st.tuples(st.just("add_column"), st.sampled_from(["extra", "Elevation", "", "Cover_Type", "<script>"]), index),
        st.tuples(st.just("cell"), index, index, st.sampled_from(ODD_CELLS)),
        st.tuples(st.just("label"), index, st.sampled_from(["0", "8", "-1", "x", "", "2.5", "7"])),
        st.tuples(st.just("one_class")),
        st.tuples(st.just("duplicate_header"), index, index),
        st.tuples(st.just("empty_lines"), index, st.integers(1, 3)),
        st.tuples(st.just("header_only")),
        st.tuples(st.just("no_header")),
        st.tuples(st.just("drop_rows"), index),
        st.tuples(st.just("short_row"), index, st.integers(1, 54)),
        st.tuples(st.just("long_row"), index),
    ), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def base_rows(sample_file: Path) -> list[list[str]]:
    """A header and 60 real rows, as text cells."""
    frame = pd.read_csv(sample_file, nrows=60, dtype=str)
    return [list(frame.columns)] + frame.values.tolist()


def apply(rows: list[list[str]], ops: list[tuple]) -> list[list[str]]:
    """Apply the mutations in order to a copy of the table (header first)."""
    rows = [list(r) for r in rows]
    for op in ops:
        kind, args = op[0], op[1:]
        width = max(1, len(rows[0]))
        body = len(rows) - 1
        if kind == "drop_column":
            col = args[0] % width
            rows = [r[:col] + r[col + 1:] for r in rows]
        elif kind == "add_column":
            col = args[1] % (width + 1)
            rows = [r[:col] + [args[0] if i == 0 else str(i % 5)] + r[col:] for i, r in enumerate(rows)]
        elif kind == "cell" and body:
            row, col = 1 + args[0] % body, args[1] % width
            if col < len(rows[row]):
                rows[row][col] = args[2]
        elif kind == "label" and body:
            row = 1 + args[0] % body
            if rows[row]:
                rows[row][-1] = args[1]
        elif kind == "one_class":
            rows = [rows[0]] + [r[:-1] + ["2"] if r else r for r in rows[1:]]
        elif kind == "duplicate_header" and rows[0]:
            rows[0][args[0] % len(rows[0])] = rows[0][args[1] % len(rows[0])]
        elif kind == "empty_lines":
            at = args[0] % len(rows)
            rows[at:at] = [[] for _ in range(args[1])]
        elif kind == "header_only":
            rows = rows[:1]
        elif kind == "no_header":
            rows = rows[1:] or rows
        elif kind == "drop_rows" and body:
            rows = rows[: 1 + args[0] % body]
        elif kind == "short_row" and body:
            row = 1 + args[0] % body
            rows[row] = rows[row][: args[1]]
        elif kind == "long_row" and body:
            row = 1 + args[0] % body
            rows[row] = rows[row] + ["1"]
    return rows


@FUZZ
@given(ops=mutations(), delimiter=st.sampled_from([",", ";", "\t"]), newline=st.sampled_from(["\n", "\r\n"]),
       bom=st.booleans(), gz=st.booleans(), cut=st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_mutated_real_rows(base_rows: list[list[str]], ops: list[tuple], delimiter: str, newline: str, bom: bool,
                           gz: bool, cut: float | None) -> None:
    rows = apply(base_rows, ops)
    text = newline.join(delimiter.join(row) for row in rows) + newline
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    if gz:
        data = gzip.compress(data)
    if cut is not None:  # a truncated file (or a truncated gzip stream)
        data = data[: int(len(data) * cut)]
    with fresh_home() as folder:
        path = folder / ("mutated.csv.gz" if gz else "mutated.csv")
        path.write_bytes(data)
        check_import(path, "mutated real rows")


def test_zz_print_tally() -> None:
    """Print the fuzz counts (run after the strategies above) for the README's Reliability section."""
    for strategy, counts in TALLY.items():
        print(f"fuzz {strategy}: {counts['examples']} examples, {counts['imported']} imported, "
              f"{counts['refused']} refused with a DataError, 0 other outcomes")
