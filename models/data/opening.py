"""Opening a dataset by name or path: the one entry point both front ends use, and the rules they share.

- No name: the full Covertype when it is cached, else the 16,000 rows bundled with modelrace.
- ``covtype`` when it is not cached: fetched (scikit-learn's cache, else a verified download), if the
  caller allows it.
- The bundled sample's name: its rows, from the package.
- A file path: imported once; naming the same file again loads it from the cache.
- Any other name: the cache entry of that name.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from modelrace.models.data import bundled
from modelrace.models.data.cache import cached_names, find_cached_import, load_cached, read_meta, remove_cached
from modelrace.models.data.dataset import COVTYPE_NAME, NAME_OK, Dataset, name_from_path
from modelrace.models.data.importing import import_file, readable_copy
from modelrace.models.system.errors import DataError, ReadOnlyDataset, words

Progress = Callable[[str, int, int], None]  # (what, done bytes, total bytes or 0), as models.data.download reports


def default_name() -> str:
    """The dataset to race when none is named: the full Covertype if cached, else the bundled sample."""
    return COVTYPE_NAME if COVTYPE_NAME in cached_names() else bundled.NAME


def needs_download(spec: str) -> bool:
    """True if opening ``spec`` would download Covertype (it is named and not cached)."""
    return spec == COVTYPE_NAME and COVTYPE_NAME not in cached_names() and not Path(spec).exists()


def open_dataset(spec: str | None = None, target: str | None = None, *, allow_fetch: bool = False,
                 progress: Progress | None = None) -> Dataset:
    """Resolve ``spec`` (None, a cache name, the bundled sample's name or a file path) to a dataset.

    A file that was imported before (same content and target) loads from the cache instantly.
    ``allow_fetch`` lets ``covtype`` be fetched when it is not cached (``progress`` follows it).
    """
    spec = default_name() if spec is None else spec
    if bundled.is_bundled(spec) and not Path(spec).exists():
        return bundled.load()
    if allow_fetch and needs_download(spec):
        from modelrace.models.data.download import fetch_covtype

        return fetch_covtype(progress=progress)
    path = Path(spec).expanduser()
    if path.exists():
        return _open_file(path, target)
    if NAME_OK.match(spec) and not _looks_like_path(spec):
        return load_cached(spec)
    raise DataError(f"{spec}: no such file; check the path, or {words('data-list')}")


def _open_file(path: Path, target: str | None) -> Dataset:
    with readable_copy(path) as (local, digest):
        name = find_cached_import(digest, target)
        if name is not None:
            try:
                return load_cached(name)
            except DataError:
                pass  # damaged: import again below, under the same name
        else:
            name = name_from_path(path)
            if bundled.is_bundled(name):
                name = f"{name}-file"  # the bundled sample's name is taken
            if name in cached_names():
                try:
                    taken = read_meta(name).get("source_sha256") != digest
                except DataError:
                    taken = False  # damaged entry of that name: rebuild it
                if taken:
                    name = f"{name}-{digest[:8]}"
        return import_file(local, target, name, digest=digest, shown_as=path)


def _looks_like_path(spec: str) -> bool:
    return os.sep in spec or "/" in spec or spec.lower().endswith((".csv", ".gz", ".data", ".tsv", ".txt", ".npz"))


def dataset_names() -> list[str]:
    """Every dataset a race can use by name: the cached ones, then the bundled sample."""
    return [*cached_names(), bundled.NAME]


def describe(name: str) -> dict[str, Any]:
    """A dataset's description (rows, feature names, classes, source) without loading its rows."""
    return bundled.meta() if bundled.is_bundled(name) else read_meta(name)


def remove_dataset(name: str) -> None:
    """Delete a cached dataset; the bundled sample is read-only and is refused with a clear message."""
    if bundled.is_bundled(name):
        raise ReadOnlyDataset(f"'{name}' is the Covertype sample bundled with modelrace: it is read-only and cannot be "
                              "removed (it takes no space in the cache)", name)
    remove_cached(name)
