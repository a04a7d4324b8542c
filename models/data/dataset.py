"""A dataset in memory: features, labels and provenance, with the hashes and names that identify it."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from modelrace.models.data import covtype
from modelrace.models.system.errors import DataError, ReadOnlyDataset, words

COVTYPE_NAME = covtype.CACHE_NAME
#: A cache name: letters and digits of any script, '.', '_' and '-', starting with a letter or digit.
NAME_OK = re.compile(r"^[^\W_][\w.-]{0,63}$")
#: How a workshop kit's data file is named (see models.data.kit_file, which reads and writes them).
KIT_SUFFIX = ".modelrace.npz"


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

    def meta(self) -> dict[str, Any]:
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
    def from_meta(cls, meta: Mapping[str, Any], X: np.ndarray, y: np.ndarray, name: str | None = None) -> Dataset:
        """The dataset that :meth:`meta` described, with its arrays (``name`` overrides the recorded one)."""
        return cls(
            name=name or meta["name"], X=X, y=y, feature_names=list(meta["feature_names"]),
            classes=list(meta["classes"]), kind=meta["kind"], target=meta["target"], source=meta["source"],
            source_sha256=meta.get("source_sha256", ""), sha256=meta["sha256"], format=meta.get("format", ""),
            notes=list(meta.get("notes", [])),
        )

    def describe(self) -> dict[str, Any]:
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
    name = re.sub(r"[^\w.-]+", "_", name).strip("._-") or "dataset"
    return name[:64]


def check_name(name: str) -> str:
    """Return ``name`` if it can name a cache entry, else raise DataError saying which names are allowed."""
    if not NAME_OK.match(name):
        raise DataError(
            f"'{name}' cannot name a dataset; use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    if name == covtype.BUNDLED_NAME:
        raise ReadOnlyDataset(f"'{name}' is the name of the Covertype sample bundled with modelrace; "
                              f"{words('choose-name')}", name)
    return name


# ---------------------------------------------------------------------------------------- cache


def arrays_problem(X: np.ndarray, y: np.ndarray, meta: Mapping[str, Any]) -> str | None:
    """What is wrong with stored arrays against their description (shapes, types, label range), or None."""
    rows, features = int(meta["rows"]), len(meta["feature_names"])
    if X.shape != (rows, features) or y.shape != (rows,) or X.dtype != np.float32 or y.dtype != np.int32:
        return f"arrays have shape {X.shape}/{y.shape}, expected ({rows}, {features})"
    if rows and (y.min() < 0 or y.max() >= len(meta["classes"])):
        return "labels out of range"
    return None

