"""A dataset as one portable file for workshop kits: ``NAME.modelrace.npz``.

The file is an ``.npz`` archive (compressed) holding ``X`` (float32), ``y`` (int32) and ``meta``
(the cache entry's ``meta.json`` as text). It is loaded without pickle support, and its arrays
must hash to the ``sha256`` recorded in ``meta``, so a damaged or altered copy is refused.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from modelrace.models.system.atomic import write_bytes_atomic
from modelrace.models.data.dataset import arrays_problem, check_name, content_hash, Dataset, KIT_SUFFIX
from modelrace.models.system.errors import DataError
from modelrace.models.system.parsing import parse_json

SUFFIX = KIT_SUFFIX
KIT_FORMAT = 1


def is_kit_file(path: Path) -> bool:
    """True if ``path`` is named like a kit data file (``*.modelrace.npz``)."""
    return Path(path).name.lower().endswith(SUFFIX)


def export_dataset(dataset: Dataset, path: Path) -> None:
    """Write ``dataset`` as a kit data file, atomically."""
    meta = {"kit_format": KIT_FORMAT, **dataset.meta()}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, X=np.ascontiguousarray(dataset.X, dtype=np.float32),
                        y=np.ascontiguousarray(dataset.y, dtype=np.int32), meta=np.array(json.dumps(meta)))
    write_bytes_atomic(path, buffer.getvalue())


def read_kit_file(path: Path, name: str | None = None) -> Dataset:
    """Load and verify a kit data file; raise DataError naming the file and what to do if it is unusable."""
    path = Path(path)
    again = "copy it from the kit again, or ask the teacher to run `modelrace workshop pack` again"
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = {"X", "y", "meta"} - set(archive.files)
            if missing:
                raise DataError(f"{path}: not a modelrace kit data file (it lacks {', '.join(sorted(missing))}); {again}")
            X, y, meta = archive["X"], archive["y"], parse_json(str(archive["meta"]), f"{path} (its description)")
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file; check the kit's data folder") from exc
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: the kit data file is damaged or incomplete ({exc}); {again}") from exc
    if not isinstance(meta, dict):
        raise DataError(f"{path}: the kit data file is damaged (its description is not an object); {again}")
    if meta.get("kit_format") != KIT_FORMAT:
        raise DataError(f"{path}: written by another modelrace version (kit format {meta.get('kit_format')!r}); {again}")
    try:
        problem = arrays_problem(X, y, meta)
        if problem:
            raise ValueError(problem)
        if content_hash(X, y, list(meta["feature_names"]), list(meta["classes"])) != meta["sha256"]:
            raise ValueError("its rows do not match their checksum")
        return Dataset.from_meta(meta, X, y, name=check_name(name or meta["name"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: the kit data file is damaged ({exc}); {again}") from exc
