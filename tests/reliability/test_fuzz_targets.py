"""Target fuzzing: chains of symbolic links (relative or absolute, across folders, looping or
dangling) ending in a file, nothing, a folder, a FIFO, a socket or a device, given to every writer
and to the importer, with a cached dataset of the same name or none.

The expected outcome is worked out here, independently of modelrace. A write: when the chain ends in
a plain file or a free name in an existing folder, it lands there and every link stays a link;
otherwise the writer raises one line naming the path given, the early check (`check_writable`, used
before a race) agrees, and nothing in the folder changes, not even a temporary file. An import: a
chain ending in rows (a CSV, a gzipped CSV, or a FIFO fed once) is imported unless a different
dataset holds its name, which is refused with the fix named; anything else is refused with one line
naming the path given; either way the cache holds exactly what it should, and no copy is left.

In the ``fuzz`` suite (``pytest -m fuzz``); MODELRACE_FUZZ_EXAMPLES sets the examples (default 1,000).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import socket
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelrace.models.data.cache import cached_names, load_cached
from modelrace.models.data.importing import import_file
from modelrace.models.output.reports import write_report
from modelrace.models.output.repro_script import write_script
from modelrace.models.results.files import load_result, save_result
from modelrace.models.system.atomic import check_writable
from modelrace.models.system.errors import DataError, OutputError

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("MODELRACE_FUZZ_EXAMPLES", "1000"))
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False
ENDS = ["missing", "file", "folder", "fifo", "socket", "loop", "missing folder"] + (["device"] if ROOT else [])
FOLDERS = ["a", "b", "a/c"]
SUFFIXES = {"result": ".json", "html report": ".html", "script": ".py"}
TALLY = {"written": 0, "refused": 0, "imported": 0, "collisions refused": 0, "unreadable refused": 0}


@pytest.fixture(scope="module")
def result(saved_race) -> dict:
    return load_result(saved_race("--models", "rf", "--rows", "2000"))


def writers(result: dict) -> dict[str, Callable[[Path], object]]:
    return {"result": lambda p: save_result(result, p), "html report": lambda p: write_report(result, p),
            "script": lambda p: write_script(result, p)}


def build(root: Path, hops: list[tuple[str, bool]], end: str, suffix: str) -> tuple[Path, Path | None]:
    """Make the chain under ``root``; return the path to give the writer and the file a write should land in."""
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    links = [root / folder / f"link{i}{suffix}" for i, (folder, _) in enumerate(hops)]
    final = root / "b" / f"end{suffix}"
    lands: Path | None = None
    if end == "missing":
        lands = final
    elif end == "file":
        final.write_bytes(b"last week")
        lands = final
    elif end == "folder":
        final.mkdir()
    elif end == "fifo":
        os.mkfifo(final)
    elif end == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(final))
        server.close()  # the socket file stays
    elif end == "device":
        os.mknod(final, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    elif end == "missing folder":
        final = root / "nowhere" / f"end{suffix}"
    targets = [*links[1:], final]
    if end == "loop" and links:
        targets[-1] = links[0]
    for (link, target), (_, relative) in zip(zip(links, targets), hops):
        link.symlink_to(os.path.relpath(target, link.parent) if relative else target)
    if not links:  # no link: the end itself is given (a loop needs a link, so it is a plain free name then)
        return (final if end != "loop" else root / "a" / f"free{suffix}"), (lands if end != "loop" else root / "a" / f"free{suffix}")
    return links[0], lands


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root``: its type, size, modification time, and a link's target."""
    entries = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder) / name
            info = os.lstat(path)
            link = os.readlink(path) if stat.S_ISLNK(info.st_mode) else None
            entries[str(path.relative_to(root))] = (stat.S_IFMT(info.st_mode), info.st_size if stat.S_ISREG(info.st_mode) else 0,
                                                  info.st_mtime_ns if stat.S_ISREG(info.st_mode) else 0, link)
    return entries


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(hops=st.lists(st.tuples(st.sampled_from(FOLDERS), st.booleans()), max_size=3), end=st.sampled_from(ENDS),
       writer=st.sampled_from(sorted(SUFFIXES)))
def test_any_chain_is_written_through_or_refused_untouched(result: dict, hops: list[tuple[str, bool]], end: str,
                                                         writer: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        given_path, lands = build(root, hops, end, SUFFIXES[writer])
        before = snapshot(root)
        links_before = {name: entry for name, entry in before.items() if entry[3] is not None}
        if lands is not None:
            check_writable(given_path)
            writers(result)[writer](given_path)
            assert lands.is_file() and not lands.is_symlink() and lands.read_bytes() != b"last week"
            assert lands.stat().st_size > 0
            after = snapshot(root)
            assert {name: entry for name, entry in after.items() if entry[3] is not None} == links_before
            assert not [name for name in after if Path(name).name.startswith(".")], "no temporary file is left"
            TALLY["written"] += 1
        else:
            with pytest.raises(OutputError) as early:
                check_writable(given_path)
            with pytest.raises(OutputError) as caught:
                writers(result)[writer](given_path)
            for message in (str(early.value), str(caught.value)):
                assert str(given_path) in message and "\n" not in message
            assert snapshot(root) == before
            TALLY["refused"] += 1


ROWS: dict[str, bytes] = {}
IMPORT_ENDS = ["rows A", "rows B", "gzip A", "fifo A", "missing", "folder", "socket", "loop"] + (["device"] if ROOT else [])


@pytest.fixture(scope="module")
def two_tables(small_frame) -> None:
    """Two different sets of Covertype rows, as CSV text (kept out of the test's arguments)."""
    ROWS["A"] = small_frame.head(400).to_csv(index=False).encode()
    ROWS["B"] = small_frame.iloc[400:900].to_csv(index=False).encode()


@contextlib.contextmanager
def feeding(fifo: Path, data: bytes) -> Iterator[None]:
    """Write ``data`` into ``fifo`` once from a thread; unblock the thread if nobody read it."""
    thread = threading.Thread(target=lambda: fifo.write_bytes(data), daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join(0.5)
        if thread.is_alive():  # the import never opened it: open it for reading so the writer ends
            with open(fifo, "rb") as drain:
                drain.read()
            thread.join(5)
        assert not thread.is_alive()


def build_source(root: Path, hops: list[tuple[str, bool]], end: str) -> tuple[Path, str | None]:
    """Make the chain; return the path to import and the rows it holds ("A", "B" or None if unreadable)."""
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    links = [root / folder / f"lesson{i}.csv" for i, (folder, _) in enumerate(hops)]
    final = root / "b" / ("lesson.csv.gz" if end == "gzip A" else "lesson.csv")
    rows = {"rows A": "A", "rows B": "B", "gzip A": "A", "fifo A": "A"}.get(end)
    if end in ("rows A", "rows B"):
        final.write_bytes(ROWS[rows])
    elif end == "gzip A":
        final.write_bytes(gzip.compress(ROWS["A"]))
    elif end == "fifo A":
        os.mkfifo(final)
    elif end == "folder":
        final.mkdir()
    elif end == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(final))
        server.close()
    elif end == "device":
        os.mknod(final, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # reads as empty
    targets = [*links[1:], final]
    if end == "loop" and links:
        targets[-1] = links[0]
    for (link, target), (_, relative) in zip(zip(links, targets), hops):
        link.symlink_to(os.path.relpath(target, link.parent) if relative else target)
    return (links[0] if links else final), rows


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(hops=st.lists(st.tuples(st.sampled_from(FOLDERS), st.booleans()), max_size=2), end=st.sampled_from(IMPORT_ENDS),
       cached=st.sampled_from([None, "A", "B"]), explicit_name=st.booleans())
def test_any_import_target_is_imported_or_refused_with_the_cache_intact(two_tables: None, hops: list[tuple[str, bool]],
                                                                        end: str, cached: str | None,
                                                                        explicit_name: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("MODELRACE_HOME", str(root / "home"))
            name = "lesson" if explicit_name else None
            if cached is not None:  # a dataset named 'lesson' is already there
                (root / "old.csv").write_bytes(ROWS[cached])
                import_file(root / "old.csv", name="lesson")
            before = load_cached("lesson").sha256 if cached else None
            source, rows = build_source(root, hops, end)
            expected_name = "lesson" if explicit_name else source.name.split(".")[0]
            with feeding(source.resolve(), ROWS["A"]) if end == "fifo A" and end != "loop" else contextlib.nullcontext():
                try:
                    dataset = import_file(source, name=name)
                except DataError as exc:
                    message = str(exc)
                    dataset = None
            if rows is not None and not (expected_name == "lesson" and cached not in (None, rows)):
                assert dataset is not None, message
                assert dataset.name == expected_name and dataset.rows == {"A": 400, "B": 500}[rows]
                assert load_cached(expected_name).sha256 == dataset.sha256
                TALLY["imported"] += 1
            else:
                assert dataset is None, f"{end} imported"
                assert str(source) in message and "\n" not in message, message
                if rows is not None:
                    assert "--name" in message and "a different dataset named 'lesson'" in message
                    TALLY["collisions refused"] += 1
                else:
                    TALLY["unreadable refused"] += 1
                assert cached_names() == (["lesson"] if cached else [])
            if cached:
                assert (load_cached("lesson").sha256 == before) or (rows == cached and expected_name == "lesson")
            leftovers = [p for p in (root / "home").rglob(".pipe-*")] if (root / "home").exists() else []
            assert not leftovers, "the copy of a pipe is removed"


def test_zz_print_tally() -> None:
    print(f"\ntarget fuzzing: {TALLY['written'] + TALLY['refused']} output chains, {TALLY['written']} written "
          f"through, {TALLY['refused']} refused untouched; import chains: {TALLY['imported']} imported, "
          f"{TALLY['collisions refused']} name collisions refused, {TALLY['unreadable refused']} unreadable refused")
    assert all(TALLY.values()), TALLY
