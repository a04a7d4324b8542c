"""Atomic writes under SIGKILL: a writer killed at a random moment never leaves a corrupt file in place.

A child process rewrites a result file, a cache entry and the window's settings in a loop,
alternating two versions; the parent kills it at random moments (seeded) and then checks that
what is in place is exactly one of the versions (or, before the first write, nothing).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

KILLS = 15

WRITERS = {
    "result": """
        from modelrace.models.system.atomic import write_bytes_atomic
        versions = [b"A" * 4_000_000, b"B" * 3_000_000]
        i = 0
        while True:
            write_bytes_atomic(TARGET, versions[i % 2]); i += 1
            if i == 1: print("ready", flush=True)
    """,
    "cache": """
        import numpy as np
        from modelrace.models.data.cache import save_cached
        from modelrace.models.data.dataset import Dataset
        def version(v):
            X = np.full((100_000, 10), v, dtype=np.float32); y = (np.arange(100_000) % 2).astype(np.int32)
            return Dataset("kill", X, y, [f"f{i}" for i in range(10)], ["a", "b"], "table", "label", "test", "",
                           sha256=str(v))
        versions = [version(1.0), version(2.0)]
        i = 0
        while True:
            save_cached(versions[i % 2]); i += 1
            if i == 1: print("ready", flush=True)
    """,
    "settings": """
        from PySide6.QtCore import QSettings
        store = QSettings(str(TARGET), QSettings.Format.IniFormat)
        versions = ["A" * 300_000, "B" * 200_000]
        i = 0
        while True:
            store.setValue("blob", versions[i % 2]); store.setValue("length", len(versions[i % 2])); store.sync(); i += 1
            if i == 1: print("ready", flush=True)
    """,
}


def check_result(target: Path, home: Path) -> str:
    data = target.read_bytes()
    assert data in (b"A" * 4_000_000, b"B" * 3_000_000), f"corrupt file in place: {len(data)} bytes"
    return "A" if data[:1] == b"A" else "B"


def check_cache(target: Path, home: Path) -> str:
    os.environ["MODELRACE_HOME"] = str(home)
    from modelrace.models.data.cache import load_cached, SETTLE_SECONDS

    settled = time.time() - 2 * SETTLE_SECONDS  # the next start, a while later: leftovers may be recovered
    for leftover in (home / "datasets").glob(".*"):
        os.utime(leftover, (settled, settled))

    dataset = load_cached("kill")
    assert dataset.X.shape == (100_000, 10) and np.unique(dataset.X).size == 1
    assert str(int(dataset.X[0, 0])) in dataset.sha256  # meta and arrays are from the same version
    return dataset.sha256


def check_settings(target: Path, home: Path) -> str:
    from PySide6.QtCore import QSettings

    store = QSettings(str(target), QSettings.Format.IniFormat)
    blob = str(store.value("blob"))
    assert store.status() == QSettings.Status.NoError
    assert blob in ("A" * 300_000, "B" * 200_000) and int(store.value("length")) == len(blob), "corrupt settings"
    return blob[0]


CHECKS = {"result": check_result, "cache": check_cache, "settings": check_settings}


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_a_kill_at_a_random_moment_never_leaves_a_corrupt_file(kind: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    target = tmp_path / ("settings.ini" if kind == "settings" else "result.json")
    code = f"TARGET = {str(target)!r}\n" + textwrap.dedent(WRITERS[kind])
    env = {**os.environ, "MODELRACE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    rng = random.Random(kind)
    seen = set()
    for _ in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert proc.stdout.readline().strip() == b"ready", proc.stderr.read().decode()[-2000:]
            time.sleep(rng.uniform(0.0, 0.3))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        seen.add(CHECKS[kind](target, home))
    assert len(seen) == 2, "the kills should land on both versions (the loop alternates them)"


def test_an_entry_caught_between_its_two_renames_is_recovered(sample_file: Path, isolated_home: Path) -> None:
    from modelrace.models.data.cache import cached_names, load_cached, SETTLE_SECONDS
    from modelrace.models.data.opening import open_dataset

    dataset = open_dataset(str(sample_file))
    root = isolated_home / "datasets"
    entry = root / dataset.name
    # Killed after the old entry was parked and before the new build was renamed into place:
    parked = root / f".{dataset.name}.k1ll3d00.old"
    parked.mkdir()
    os.replace(entry, parked / "entry")
    assert dataset.name not in cached_names(), "a fresh leftover may be another process's save in progress"
    assert parked.exists()
    settled = time.time() - 2 * SETTLE_SECONDS
    os.utime(parked, (settled, settled))
    assert load_cached(dataset.name).sha256 == dataset.sha256, "the parked entry is put back"
    assert not parked.exists()
    # ... and with the complete new build still beside it, the new build wins:
    build = root / f".{dataset.name}.n3wbu1ld.tmp"
    parked.mkdir()
    os.replace(entry, parked / "entry")
    shutil.copytree(parked / "entry", build)
    meta = json.loads((build / "meta.json").read_text())
    (build / "meta.json").write_text(json.dumps({**meta, "notes": ["the new build"]}))
    for folder in (parked, build):
        os.utime(folder, (settled, settled))
    assert dataset.name in cached_names() and not build.exists() and not parked.exists()
    assert load_cached(dataset.name).notes == ["the new build"], "the complete new build wins over the old entry"
    # An abandoned, incomplete build is removed once it is an hour old, and never adopted:
    stale = root / ".other.abandon1.tmp"
    stale.mkdir()
    (stale / "X.npy").write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    assert cached_names() == [dataset.name] and not stale.exists()


def test_atomic_writes_get_the_usual_permissions(tmp_path: Path) -> None:
    from modelrace.models.system.atomic import write_bytes_atomic

    mask = os.umask(0o022)
    try:
        fresh = tmp_path / "report.html"
        write_bytes_atomic(fresh, b"<html>")
        assert fresh.stat().st_mode & 0o777 == 0o644, "readable by others, like any file the user saves"
        kept = tmp_path / "shared.json"
        kept.write_bytes(b"{}")
        kept.chmod(0o664)
        write_bytes_atomic(kept, b'{"a": 1}')
        assert kept.stat().st_mode & 0o777 == 0o664, "replacing a file keeps its permissions"
    finally:
        os.umask(mask)
