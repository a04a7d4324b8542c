"""Datasets and their on-disk cache.

A cached dataset is a folder ``<datasets_dir>/<name>/`` holding ``X.npy`` (float32 features),
``y.npy`` (int32 class codes) and ``meta.json``. The folder is built under a temporary name and
renamed into place, so a crash never leaves a half-written entry that looks complete. Loading
checks the arrays against ``meta.json`` and reports a damaged entry instead of using it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from modelrace.models import covtype
from modelrace.models.errors import DataError
from modelrace.models.paths import datasets_dir

CACHE_FORMAT = 1
COVTYPE_NAME = "covtype"
_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: How a workshop kit's data file is named (see models.kit_data, which reads and writes them).
KIT_SUFFIX = ".modelrace.npz"
#: Cache leftovers younger than this may belong to a save still running in another process.
SETTLE_SECONDS = 60.0
_cache_lock = threading.RLock()


@dataclass
class Dataset:
    """Features and labels plus provenance; ``X`` is float32 and ``y`` holds codes 0..K-1."""

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    classes: list[str]
    kind: str  # "covtype" or "table"
    target: str
    source: str  # where the rows came from, for people
    source_sha256: str  # hash of the imported file ("" when not from a file)
    sha256: str  # hash of the arrays themselves
    format: str = ""
    notes: list[str] = field(default_factory=list)
    sampled_from: int | None = None  # rows before --rows sampling, if sampled

    @property
    def rows(self) -> int:
        """Number of rows."""
        return int(self.X.shape[0])

    def meta(self) -> dict:
        """What describes these rows: the fields a cache entry's ``meta.json`` and a kit data file record."""
        return {
            "name": self.name,
            "rows": self.rows,
            "feature_names": self.feature_names,
            "classes": self.classes,
            "kind": self.kind,
            "target": self.target,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "sha256": self.sha256,
            "format": self.format,
            "notes": self.notes,
        }

    @classmethod
    def from_meta(cls, meta: dict, X: np.ndarray, y: np.ndarray, name: str | None = None) -> Dataset:
        """The dataset that :meth:`meta` described, with its arrays (``name`` overrides the recorded one)."""
        return cls(
            name=name or meta["name"], X=X, y=y, feature_names=list(meta["feature_names"]),
            classes=list(meta["classes"]), kind=meta["kind"], target=meta["target"], source=meta["source"],
            source_sha256=meta.get("source_sha256", ""), sha256=meta["sha256"], format=meta.get("format", ""),
            notes=list(meta.get("notes", [])),
        )

    def describe(self) -> dict:
        """Return the ``dataset`` block of a result file."""
        return {
            "name": self.name,
            "source": self.source,
            "format": self.format,
            "kind": self.kind,
            "rows": self.rows,
            "total_rows": self.sampled_from or self.rows,
            "features": int(self.X.shape[1]),
            "feature_names": list(self.feature_names),
            "target": self.target,
            "classes": list(self.classes),
            "class_counts": np.bincount(self.y, minlength=len(self.classes)).tolist(),
            "sha256": self.sha256,
            "source_sha256": self.source_sha256,
            "notes": list(self.notes),
            "credit": covtype.CREDIT if self.kind == "covtype" else None,
        }


def content_hash(X: np.ndarray, y: np.ndarray, feature_names: list[str], classes: list[str]) -> str:
    """Hash the arrays and their labels, so the same rows hash alike whatever file they came from."""
    digest = hashlib.sha256()
    digest.update(json.dumps([list(X.shape), feature_names, classes]).encode())
    digest.update(np.ascontiguousarray(X, dtype=np.float32).data)
    digest.update(np.ascontiguousarray(y, dtype=np.int32).data)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Return the sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def name_from_path(path: Path) -> str:
    """Derive a cache name from a file name: ``covtype.data.gz`` -> ``covtype``."""
    name = Path(path).name
    for suffix in (KIT_SUFFIX, ".gz", ".csv", ".data", ".txt", ".tsv"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-") or "dataset"
    return name[:64]


def check_name(name: str) -> str:
    """Return ``name`` if it can name a cache entry, else raise DataError saying which names are allowed."""
    if not _NAME_OK.match(name):
        raise DataError(
            f"'{name}' cannot name a dataset; use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


# ---------------------------------------------------------------------------------------- cache


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
                if not target.exists() and _NAME_OK.match(name) and (entry / "meta.json").is_file():
                    os.replace(entry, target)
                if leftover.suffix == ".old" or age > 3600:
                    shutil.rmtree(leftover, ignore_errors=True)
            except OSError:
                continue
    finally:
        _cache_lock.release()


def read_meta(name: str) -> dict:
    """Return the ``meta.json`` of a cache entry, or raise DataError if it is missing or damaged."""
    meta_path = datasets_dir() / name / "meta.json"
    if not meta_path.parent.exists() and datasets_dir().is_dir():
        recover_interrupted(datasets_dir())
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("cache_format") != CACHE_FORMAT:
            raise ValueError("unknown cache format")
        return meta
    except FileNotFoundError as exc:
        raise DataError(_unknown_name_message(name)) from exc
    except (OSError, ValueError) as exc:
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


def arrays_problem(X: np.ndarray, y: np.ndarray, meta: dict) -> str | None:
    """What is wrong with stored arrays against their description (shapes, types, label range), or None."""
    rows, features = int(meta["rows"]), len(meta["feature_names"])
    if X.shape != (rows, features) or y.shape != (rows,) or X.dtype != np.float32 or y.dtype != np.int32:
        return f"arrays have shape {X.shape}/{y.shape}, expected ({rows}, {features})"
    if rows and (y.min() < 0 or y.max() >= len(meta["classes"])):
        return "labels out of range"
    return None


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
                raise DataError(f"a dataset named '{dataset.name}' is already cached; choose another --name")
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
        raise DataError(_unknown_name_message(name))
    shutil.rmtree(folder)


def _unknown_name_message(name: str) -> str:
    names = cached_names()
    listing = f"cached: {', '.join(names)}" if names else "the cache is empty"
    hint = "run `modelrace data fetch`" if name == COVTYPE_NAME else "import a file with `modelrace data import FILE`"
    return f"no dataset named '{name}' ({listing}); {hint}, or pass a file path to --data"


def _damaged_message(name: str, detail: str) -> str:
    return (
        f"the cached dataset '{name}' is damaged ({detail}); import it again with "
        f"`modelrace data import FILE --name {name}` (or `modelrace data fetch` for covtype)"
    )


# --------------------------------------------------------------------------------------- import


def import_file(
    path: Path, target: str | None = None, name: str | None = None, replace: bool = True, digest: str | None = None
) -> Dataset:
    """Parse a data file, cache it under ``name`` (default: from the file name) and return it.

    ``digest`` is the file's sha256 when the caller already computed it.
    """
    from modelrace.models.importer import read_table  # pandas loads only when a file is parsed
    from modelrace.models.kit_data import is_kit_file, read_kit_file

    path = Path(path)
    if is_kit_file(path):  # a workshop kit's data file: already parsed, verified by its checksum
        dataset = read_kit_file(path, name)
        dataset.notes.append(f"from a workshop kit; originally imported from {dataset.source}")
        dataset.source, dataset.source_sha256 = str(path.resolve()), digest or file_sha256(path)
        save_cached(dataset, replace=replace)
        return dataset
    parsed = read_table(path, target)
    dataset = Dataset(
        name=check_name(name or name_from_path(path)),
        X=parsed.X,
        y=parsed.y,
        feature_names=parsed.feature_names,
        classes=parsed.classes,
        kind=parsed.kind,
        target=parsed.target,
        source=str(path.resolve()),
        source_sha256=digest or file_sha256(path),
        sha256=content_hash(parsed.X, parsed.y, parsed.feature_names, parsed.classes),
        format=parsed.format,
        notes=parsed.notes,
    )
    save_cached(dataset, replace=replace)
    return dataset


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


def open_dataset(spec: str, target: str | None = None) -> Dataset:
    """Resolve ``spec`` (a cache name or a file path) to a dataset, importing a new file once.

    A file that was imported before (same content and target) loads from the cache instantly.
    """
    path = Path(spec).expanduser()
    if path.exists():
        if path.is_dir():
            raise DataError(f"{path}: is a folder, not a data file; give the CSV or covtype.data(.gz) file inside it")
        digest = file_sha256(path)
        name = find_cached_import(digest, target)
        if name is not None:
            try:
                return load_cached(name)
            except DataError:
                pass  # damaged: import again below, under the same name
        else:
            name = name_from_path(path)
            if name in cached_names():
                try:
                    taken = read_meta(name).get("source_sha256") != digest
                except DataError:
                    taken = False  # damaged entry of that name: rebuild it
                if taken:
                    name = f"{name}-{digest[:8]}"
        return import_file(path, target, name, digest=digest)
    if _NAME_OK.match(spec) and not _looks_like_path(spec):
        return load_cached(spec)
    raise DataError(f"{spec}: no such file; check the path, or run `modelrace data list` for cached datasets")


def _looks_like_path(spec: str) -> bool:
    return os.sep in spec or "/" in spec or spec.lower().endswith((".csv", ".gz", ".data", ".tsv", ".txt", ".npz"))
