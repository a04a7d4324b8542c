"""Importing a data file into the cache: parse it once (or verify a kit's data file), then cache it."""

from __future__ import annotations

from pathlib import Path

from modelrace.models.data.cache import save_cached
from modelrace.models.data.dataset import Dataset, check_name, content_hash, file_sha256, name_from_path
from modelrace.models.data.kit_file import is_kit_file, read_kit_file


def import_file(
    path: Path, target: str | None = None, name: str | None = None, replace: bool = True, digest: str | None = None
) -> Dataset:
    """Parse a data file, cache it under ``name`` (default: from the file name) and return it.

    ``digest`` is the file's sha256 when the caller already computed it.
    """
    from modelrace.models.data.importer import read_table  # pandas loads only when a file is parsed

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
