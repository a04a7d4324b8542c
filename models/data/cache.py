"""The dataset cache: one folder per dataset, written atomically and checked when it loads.

A cached dataset is a folder ``<datasets_dir>/<name>/`` holding ``X.npy`` (float32 features),
``y.npy`` (int32 class codes) and ``meta.json``. The folder is built under a temporary name and
renamed into place, so a crash never leaves a half-written entry that looks complete. Loading
checks the arrays against ``meta.json`` and reports a damaged entry instead of using it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from modelrace.models.data.covtype import BUNDLED_NAME
from modelrace.models.data.dataset import COVTYPE_NAME, NAME_OK, Dataset, arrays_problem, check_name
from modelrace.models.system.errors import DataError, UnknownDataset, words
from modelrace.models.system.parsing import parse_json, read_text
from modelrace.models.system.paths import datasets_dir

CACHE_FORMAT = 1
#: Cache leftovers younger than this may belong to a save still running in another process.
SETTLE_SECONDS = 60.0
_cache_lock = threading.RLock()



def cached_names() -> list[str]:
    """Names of complete cache entries, sorted (an entry whose replacement was interrupted is recovered first)."""
    root = datasets_dir()
    if not root.is_dir():
        return []
    recover_interrupted(root)
    return sorted(p.name for p in root.iterdir() if (p / "meta.json").is_file() and not p.name.startswith("."))


def recover_interrupted(root: Path) -> None:
    """Finish or undo cache writes that a crash or kill cut short; remove their abandoned leftovers.

    ``save_cached`` builds ``.NAME.*.tmp`` (``meta.json`` is written last, so its presence means
    complete) and, when replacing, parks the old entry in ``.NAME.*.old/entry`` between two renames.
    If NAME is missing, the complete new build wins, else the parked old entry is put back.
    Leftovers younger than SETTLE_SECONDS are left alone, since another process may still be writing
    them; incomplete builds are removed once they are an hour old.
    """
    if not _cache_lock.acquire(blocking=False):  # this process is saving an entry: not now, and never wait
        return
    try:
        try:
            hidden = [p for p in root.iterdir() if p.name.startswith(".") and p.suffix in (".tmp", ".old")]
        except OSError:
            return
        for leftover in sorted(hidden, key=lambda p: p.suffix != ".tmp"):  # complete new builds first
            try:
                age = time.time() - leftover.stat().st_mtime
                if age < SETTLE_SECONDS:
                    continue  # another process may be writing it right now
                name = leftover.name[1:].rsplit(".", 2)[0]
                entry = leftover / "entry" if leftover.suffix == ".old" else leftover
                target = root / name
                if not target.exists() and NAME_OK.match(name) and (entry / "meta.json").is_file():
                    os.replace(entry, target)
                if leftover.suffix == ".old" or age > 3600:
                    shutil.rmtree(leftover, ignore_errors=True)
            except OSError:
                continue
    finally:
        _cache_lock.release()


def read_meta(name: str) -> dict[str, Any]:
    """Return the ``meta.json`` of a cache entry (JSON, checked only for its format), or raise DataError if it is
    missing or damaged."""
    meta_path = datasets_dir() / name / "meta.json"
    if not meta_path.parent.exists() and datasets_dir().is_dir():
        recover_interrupted(datasets_dir())
    try:
        meta = parse_json(read_text(meta_path, 16 * 1024 * 1024, "meta.json"), str(meta_path))
        if not isinstance(meta, dict) or meta.get("cache_format") != CACHE_FORMAT:
            raise ValueError("unknown cache format")
        return meta
    except (OSError, ValueError, DataError) as exc:
        if not meta_path.exists():
            raise UnknownDataset(_unknown_name_message(name), name) from exc
        raise DataError(_damaged_message(name, f"meta.json unreadable: {exc}")) from exc


def load_cached(name: str) -> Dataset:
    """Load a cached dataset by name; raise DataError if it is unknown or damaged."""
    meta = read_meta(name)
    folder = datasets_dir() / name
    try:
        X = np.load(folder / "X.npy", allow_pickle=False)
        y = np.load(folder / "y.npy", allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise DataError(_damaged_message(name, str(exc))) from exc
    try:
        problem = arrays_problem(X, y, meta)
        if problem:
            raise DataError(_damaged_message(name, problem))
        return Dataset.from_meta(meta, X, y, name=name)
    except (KeyError, TypeError, ValueError) as exc:  # meta.json lacks a field or holds a wrong type
        raise DataError(_damaged_message(name, f"meta.json: {exc!r}")) from exc


def save_cached(dataset: Dataset, replace: bool = True) -> None:
    """Write ``dataset`` into the cache atomically (temporary folder, then rename)."""
    with _cache_lock:
        _save_cached(dataset, replace)


def _save_cached(dataset: Dataset, replace: bool) -> None:
    root = datasets_dir()
    root.mkdir(parents=True, exist_ok=True)
    target = root / check_name(dataset.name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dataset.name}.", suffix=".tmp", dir=root))
    try:
        np.save(tmp / "X.npy", np.ascontiguousarray(dataset.X, dtype=np.float32), allow_pickle=False)
        np.save(tmp / "y.npy", np.ascontiguousarray(dataset.y, dtype=np.int32), allow_pickle=False)
        meta = {
            "cache_format": CACHE_FORMAT,
            **dataset.meta(),
            "class_counts": np.bincount(dataset.y, minlength=len(dataset.classes)).tolist(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # Arrays on disk before meta.json, and all of it before the rename: neither a kill nor a power cut
        # can leave an entry (or a build that recover_interrupted would adopt) that looks complete but is not.
        _fsync(tmp / "X.npy")
        _fsync(tmp / "y.npy")
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        _fsync(tmp / "meta.json")
        if target.exists():
            if not replace:
                raise DataError(f"a dataset named '{dataset.name}' is already cached; {words('choose-name')}")
            old = Path(tempfile.mkdtemp(prefix=f".{dataset.name}.", suffix=".old", dir=root))
            os.replace(target, old / "entry")
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        raise DataError(f"cannot write the dataset cache in {root} ({exc.strerror}); free some space or set MODELRACE_HOME") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)  # Windows refuses to flush a read-only handle
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_cached(name: str) -> None:
    """Delete a cache entry."""
    folder = datasets_dir() / check_name(name)
    if not folder.is_dir():
        raise UnknownDataset(_unknown_name_message(name), name)
    shutil.rmtree(folder)


def _unknown_name_message(name: str) -> str:
    names = cached_names()
    listing = f"cached: {', '.join(names)}" if names else "the cache is empty"
    hint = words("fetch") if name == COVTYPE_NAME else words("import-file")
    return f"no dataset named '{name}' ({listing}; bundled: {BUNDLED_NAME}); {hint}, or {words('data-flag')}"


def _damaged_message(name: str, detail: str) -> str:
    return (
        f"the cached dataset '{name}' is damaged ({detail}); import it again with "
        f"{words('import-again', name=name)} (or {words('fetch-covtype')})"
    )


def find_cached_import(source_sha256: str, target: str | None) -> str | None:
    """Name of a cache entry imported from a file with this hash (and target), if there is one."""
    for name in cached_names():
        try:
            meta = read_meta(name)
        except DataError:
            continue
        if meta.get("source_sha256") == source_sha256 and (target is None or meta.get("target") == target):
            return name
    return None
