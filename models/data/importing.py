"""Importing a data file into the cache: parse it once (or verify a kit's data file), then cache it.

A pipe (``data import <(zcat covtype.data.gz)``) or another file that can be read only once is
copied aside first, so that it is read once. A name already taken by different rows is refused
rather than replaced: the message names both files and how to keep them apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from modelrace.models.data.cache import read_meta, save_cached
from modelrace.models.data.dataset import Dataset, check_name, content_hash, file_sha256, name_from_path
from modelrace.models.data.kit_file import is_kit_file, read_kit_file
from modelrace.models.system.errors import DataError, UnknownDataset, words
from modelrace.models.system.paths import downloads_dir

#: The most a pipe may hold before the import gives up (the full Covertype CSV is about 75 MB).
MAX_PIPE_BYTES = 1 << 30


def import_file(
    path: Path, target: str | None = None, name: str | None = None, *, replace_other: bool = False,
    digest: str | None = None, shown_as: Path | None = None,
) -> Dataset:
    """Parse a data file (or pipe), cache it under ``name`` (default: from the file name) and return it.

    ``digest`` is the file's sha256 when the caller already computed it; ``shown_as`` is the path the
    user named when ``path`` is a copy of it. A cached dataset of that name with other rows is refused
    unless ``replace_other`` (``data fetch --force``).
    """
    path = Path(path)
    shown = Path(shown_as) if shown_as is not None else path
    with readable_copy(path) as (local, local_digest):
        dataset = _parse(shown, local, target, name, digest or local_digest)
    _refuse_a_different_dataset(dataset, shown, replace_other)
    save_cached(dataset)
    return dataset


def _parse(path: Path, local: Path, target: str | None, name: str | None, digest: str) -> Dataset:
    from modelrace.models.data.importer import read_table  # pandas loads only when a file is parsed

    source = str(path.resolve()) if path.is_file() else str(path.absolute())
    if is_kit_file(path):  # a workshop kit's data file: already parsed, verified by its checksum
        dataset = read_kit_file(local, name)
        dataset.notes.append(f"from a workshop kit; originally imported from {dataset.source}")
        dataset.source, dataset.source_sha256 = source, digest
        return dataset
    parsed = read_table(local, target, shown_as=path)
    return Dataset(
        name=check_name(name or name_from_path(path)), X=parsed.X, y=parsed.y, feature_names=parsed.feature_names,
        classes=parsed.classes, kind=parsed.kind, target=parsed.target, source=source, source_sha256=digest,
        sha256=content_hash(parsed.X, parsed.y, parsed.feature_names, parsed.classes), format=parsed.format,
        notes=parsed.notes,
    )


def _refuse_a_different_dataset(dataset: Dataset, path: Path, replace_other: bool) -> None:
    try:
        meta = read_meta(dataset.name)
    except UnknownDataset:
        return
    except DataError:
        return  # a damaged entry of that name: the import rebuilds it
    same = meta.get("sha256") == dataset.sha256 or meta.get("source_sha256") == dataset.source_sha256
    if not same and not replace_other:
        raise DataError(
            f"{path}: a different dataset named '{dataset.name}' is already cached (imported from {meta.get('source')}); "
            f"import this file under another name with {words('name-option')}, or remove the old one first with "
            f"{words('remove', name=dataset.name)}"
        )


@contextlib.contextmanager
def readable_copy(path: Path) -> Iterator[tuple[Path, str]]:
    """``(a path to read as often as needed, the sha256 of the content)``.

    A regular file is itself. A pipe, FIFO or device is copied aside first (at most MAX_PIPE_BYTES),
    and the copy is removed afterwards.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise DataError(f"{path}: no such file; check the path, or {words('data-list')}") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from exc
    if stat.S_ISDIR(mode):
        raise DataError(f"{path}: is a folder, not a data file; give the CSV or covtype.data(.gz) file inside it")
    if stat.S_ISREG(mode):
        yield path, file_sha256(path)
        return
    folder = downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle, copy = tempfile.mkstemp(prefix=".pipe-", suffix=".tmp", dir=folder)
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as source, os.fdopen(handle, "wb") as out:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
                if out.tell() > MAX_PIPE_BYTES:
                    raise DataError(f"{path}: the stream is larger than {MAX_PIPE_BYTES >> 20:,} MB; save it to a file "
                                    "and import that")
        yield Path(copy), digest.hexdigest()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); save it to a file and import that") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(copy)

