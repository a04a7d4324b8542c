"""One split for all models: stratified sampling, train/validation/test, scaling on training rows only."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from modelrace.models.data.dataset import Dataset
from modelrace.models.system.errors import DataError, one_line, words
from modelrace.models.data.split_config import SplitConfig


@dataclass
class Split:
    """Scaled float32 features and int32 labels for the three parts, shared by every model."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    config: SplitConfig
    monitor: np.ndarray | None = None  # positions in the validation part that draw the live curves

    @property
    def X_monitor(self) -> np.ndarray:  # noqa: N802 - X is the features' conventional name
        """Validation features that draw the live curves (all of them, or a stratified subset when many)."""
        return self.X_val if self.monitor is None else self.X_val[self.monitor]

    @property
    def y_monitor(self) -> np.ndarray:
        """Labels of :attr:`X_monitor`."""
        return self.y_val if self.monitor is None else self.y_val[self.monitor]

    def describe(self) -> dict[str, Any]:
        """Return the ``split`` block of a result file."""
        return {
            "seed": self.config.seed,
            "train": int(len(self.y_train)),
            "validation": int(len(self.y_val)),
            "test": int(len(self.y_test)),
            "test_fraction": self.config.test,
            "validation_fraction": self.config.validation,
            "stratified": self.config.stratify,
            "scaling": "standardised with mean and std of the training rows only",
            "monitor_rows": int(len(self.y_val) if self.monitor is None else len(self.monitor)),
        }


#: Largest number of validation rows evaluated for the live curves (a stratified subset beyond it).
MONITOR_ROWS = 20_000


def sample_rows(dataset: Dataset, rows: int, seed: int) -> Dataset:
    """Return a stratified sample of ``rows`` rows (the whole dataset if ``rows`` equals its size)."""
    total = dataset.rows
    rows_flag = words("rows")
    if rows > total:
        raise DataError(
            f"{rows_flag} {rows} is more than the {total:,} rows in '{dataset.name}'; use at most {total} or "
            f"{words('leave-rows-out')}"
        )
    classes = len(dataset.classes)
    minimum = classes * 2
    if rows < minimum:
        raise DataError(f"{rows_flag} {rows} is too small to sample {classes} classes; use at least {minimum}")
    if rows == total:
        return dataset
    counts = np.bincount(dataset.y, minlength=classes)
    stratify = dataset.y if counts.min() >= 2 else None
    if stratify is not None and total - rows < classes:
        # A stratified sample leaves out at least one row of every class.
        raise DataError(
            f"{rows_flag} {rows} of {total:,}: a stratified sample leaves at least one row of each of the {classes} "
            f"classes out, so take at most {total - classes:,} rows, or all {total:,} ({words('leave-rows-out')})"
        )
    index = np.arange(total)
    try:
        chosen, _ = train_test_split(index, train_size=rows, random_state=seed, stratify=stratify)
    except ValueError as exc:  # a case the checks above did not foresee: still modelrace's words first
        raise DataError(f"{rows_flag} {rows}: cannot draw a stratified sample of {rows:,} from the {total:,} rows of "
                        f"'{dataset.name}'; try a round number of rows such as {max(minimum, rows // 1000 * 1000):,} "
                        f"({one_line(str(exc))})") from exc
    chosen = np.sort(chosen)
    return replace(
        dataset,
        X=dataset.X[chosen],
        y=dataset.y[chosen],
        sampled_from=total,
        notes=dataset.notes + [f"stratified sample of {rows:,} of {total:,} rows (seed {seed})"],
    )


def minimum_rows(n_classes: int, config: SplitConfig) -> int:
    """Smallest row count for which every part of the split can hold each class once."""
    smallest_part = min(config.test, (1 - config.test) * config.validation, (1 - config.test) * (1 - config.validation))
    return max(n_classes * 3, math.ceil(n_classes / smallest_part))


def make_split(dataset: Dataset, config: SplitConfig) -> Split:
    """Cut ``dataset`` into train, validation and test parts and scale them on the training rows."""
    n_classes = len(dataset.classes)
    needed = minimum_rows(n_classes, config)
    if dataset.rows < needed:
        raise DataError(
            f"'{dataset.name}' has {dataset.rows} rows, too few to split {n_classes} classes into train, validation and "
            f"test; use at least {needed} rows"
        )
    index = np.arange(dataset.rows)
    y = dataset.y
    try:
        rest, test = train_test_split(
            index, test_size=config.test, random_state=config.seed, stratify=y if config.stratify else None
        )
        train, val = train_test_split(
            rest, test_size=config.validation, random_state=config.seed, stratify=y[rest] if config.stratify else None
        )
    except ValueError as exc:
        counts = np.bincount(y, minlength=n_classes)
        rare = dataset.classes[int(np.argmin(counts))]
        raise DataError(
            f"'{dataset.name}' cannot be split with stratification: class {rare} has only {counts.min()} row(s); "
            "use more rows or a dataset where every class has at least 3 rows"
        ) from exc
    missing = sorted(set(range(n_classes)) - set(np.unique(y[train]).tolist()))
    if missing:
        names = ", ".join(dataset.classes[m] for m in missing)
        raise DataError(
            f"the split left class(es) {names} out of the training rows of '{dataset.name}'; use more rows or a "
            "stratified split"
        )
    scaler = StandardScaler().fit(dataset.X[train])

    def part(rows: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(scaler.transform(dataset.X[rows]), dtype=np.float32)

    split = Split(part(train), y[train], part(val), y[val], part(test), y[test], n_classes, config)
    if len(val) > MONITOR_ROWS:
        # The live curves need a validation pass after every step; on a large validation part a stratified
        # subset keeps that cost small (at full Covertype size: 20,000 of 92,962 rows).
        counts = np.bincount(y[val], minlength=n_classes)
        subset, _ = train_test_split(np.arange(len(val)), train_size=MONITOR_ROWS, random_state=config.seed,
                                     stratify=y[val] if counts[counts > 0].min() >= 2 else None)
        split.monitor = np.sort(subset)
    return split
