"""The 16,000 real Covertype rows that ship inside the package, so a race needs no network and no import.

The file is package data (``modelrace/resources/data``, with its provenance and credit beside it). It
is read-only: it is never copied into the user's cache, ``data remove`` refuses it, and no import may
take its name. It is parsed once per process and checked against its sha256 first.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import Any

from modelrace.models.data import covtype
from modelrace.models.data.dataset import Dataset, content_hash, file_sha256
from modelrace.models.system.errors import DataError
from modelrace.resources import bundled_data_dir

#: The name races, results and ``data list`` use for the bundled rows.
NAME = covtype.BUNDLED_NAME
FILE = "covtype_rows_1-20000.csv.gz"
SHA256 = "473eac5577c56846a85b3fc5e68f97e92224eba821b81de0de25cb537bbb460a"
ROWS = 16_000
DESCRIPTION = "real Covertype rows 1-20,000 of UCI covtype.data (a random 80%), bundled with modelrace"
NOTE = ("bundled sample: not a uniform sample of Covertype (close to class-balanced; the full data is mostly classes "
        "1 and 2), so its accuracies are not comparable with full-data figures")


def path() -> Path:
    """Where the bundled file is installed."""
    return bundled_data_dir() / FILE


def is_bundled(name: str) -> bool:
    """True if ``name`` names the bundled rows."""
    return name == NAME


def meta() -> dict[str, Any]:
    """What ``data list`` and the window show about the bundled rows, without reading them."""
    return {"name": NAME, "rows": ROWS, "feature_names": list(covtype.FEATURES), "classes": [str(c) for c in range(1, 8)],
            "source": DESCRIPTION, "kind": "covtype", "read_only": True}


def load() -> Dataset:
    """The bundled rows as a dataset (parsed on first use, then shared: its arrays are read-only)."""
    dataset = _parsed()
    return replace(dataset, notes=list(dataset.notes))


@functools.cache
def _parsed() -> Dataset:
    from modelrace.models.data.importer import read_table  # pandas loads only when the rows are first needed

    file = path()
    if not file.is_file():
        raise DataError(f"{file}: the Covertype sample bundled with modelrace is missing; reinstall modelrace")
    digest = file_sha256(file)
    if digest != SHA256:
        raise DataError(f"{file}: the bundled Covertype sample is damaged (sha256 {digest[:12]}…, expected "
                        f"{SHA256[:12]}…); reinstall modelrace")
    table = read_table(file)
    table.X.setflags(write=False)
    table.y.setflags(write=False)
    return Dataset(
        name=NAME, X=table.X, y=table.y, feature_names=table.feature_names, classes=table.classes, kind=table.kind,
        target=table.target, source=str(file), source_sha256=digest,
        sha256=content_hash(table.X, table.y, table.feature_names, table.classes), format=table.format,
        notes=[NOTE],
    )
