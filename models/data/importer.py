"""Reads a dataset file (UCI covtype.data[.gz], a Covertype CSV in any known naming, or any table).

Every problem becomes a :class:`DataError` whose message names the file, the line or column, and
what to do. Nothing here writes to disk; :mod:`modelrace.models.data.importing` caches the result.
"""

from __future__ import annotations

import csv
import gzip
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from modelrace.models.data import covtype
from modelrace.models.system.errors import DataError, NeedsLabelColumn, words

#: A table with more distinct labels than this is almost surely a regression target.
MAX_CLASSES = 100
_GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 64 * 1024


@dataclass
class ParsedTable:
    """Features, encoded labels and what is known about where they came from."""

    X: np.ndarray  # float32, shape (rows, features)
    y: np.ndarray  # int32 class codes 0..K-1
    feature_names: list[str]
    classes: list[str]  # the original label of each code, as text
    kind: str  # "covtype" or "table"
    target: str
    format: str  # human description of the detected format
    notes: list[str] = field(default_factory=list)


def read_table(path: Path, target: str | None = None, shown_as: Path | None = None) -> ParsedTable:
    """Parse ``path`` into features and labels, detecting its format; raise DataError if unusable.

    Messages name ``shown_as`` when given (the pipe or file the user named, when ``path`` is a copy of it).
    """
    source = Path(path)
    path = Path(shown_as) if shown_as is not None else source
    first_line, compressed = _sniff(source, path)
    delimiter = _sniff_delimiter(first_line)
    fields = [f.strip() for f in next(csv.reader([first_line], delimiter=delimiter))]
    has_header = not all(_is_number(f) for f in fields)

    if has_header:
        duplicates = sorted({f for f in fields if fields.count(f) > 1})
        if duplicates:
            where = ", ".join(str(i + 1) for i, f in enumerate(fields) if f == duplicates[0])
            raise DataError(
                f"{path}: line 1 names column '{duplicates[0]}' more than once (columns {where}); "
                "rename or remove the duplicate and import again"
            )
        frame = _read_csv(source, path, compressed, delimiter, header=0)
        return _from_header_table(path, frame, target)

    if len(fields) != covtype.N_COLUMNS:
        raise DataError(
            f"{path}: line 1 has {len(fields)} values and no header row; a file without a header must be "
            f"UCI covtype.data with {covtype.N_COLUMNS} columns. For other data, add a header row and pass "
            f"{words('target-column')}"
        )
    frame = _read_csv(source, path, compressed, delimiter, header=None)
    frame.columns = covtype.FEATURES + [covtype.TARGET]
    return _covtype_table(path, frame, header_lines=0, fmt="UCI covtype.data (no header)")


def _sniff(source: Path, path: Path) -> tuple[str, bool]:
    """Return the first non-empty line of the file and whether it is gzip-compressed (messages name ``path``)."""
    if not source.exists():
        raise DataError(f"{path}: no such file; check the path, or {words('data-list')}")
    if source.is_dir():
        raise DataError(f"{path}: is a folder, not a data file; give the CSV or covtype.data(.gz) file inside it")
    try:
        with open(source, "rb") as handle:
            magic = handle.read(2)
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from exc
    if not magic:
        raise DataError(f"{path}: the file is empty (0 bytes); copy or download it again")
    compressed = magic == _GZIP_MAGIC
    try:
        opener = gzip.open(source, "rb") if compressed else open(source, "rb")
        with opener as handle:
            head = handle.read(_SNIFF_BYTES)
    except (EOFError, OSError, zlib.error) as exc:
        raise _gzip_error(path, exc) from exc
    text = _decode(path, head, partial=len(head) == _SNIFF_BYTES)
    for line in text.splitlines():
        if line.strip().strip(",;\t"):
            return line, compressed
    raise DataError(f"{path}: the file holds no data (only empty lines); copy or download it again")


def _decode(path: Path, head: bytes, partial: bool) -> str:
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is not an error.
        if partial and exc.start >= len(head) - 4:
            return head[: exc.start].decode("utf-8-sig")
        line = head[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}: line {line} is not UTF-8 text; is this really a CSV or covtype.data file? "
            "Export it again as UTF-8 CSV"
        ) from exc


def _gzip_error(path: Path, exc: BaseException) -> DataError:
    return DataError(
        f"{path}: the gzip data is truncated or corrupt ({exc}); download or copy the file again"
    )


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_csv(source: Path, path: Path, compressed: bool, delimiter: str, header: int | None) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            source,
            sep=delimiter,
            header=header,
            compression="gzip" if compressed else None,
            encoding="utf-8-sig",
            skip_blank_lines=False,  # keeps row index -> line number exact
            low_memory=False,
        )
    except pd.errors.ParserError as exc:
        raise _parser_error(path, exc) from exc
    except pd.errors.EmptyDataError as exc:
        raise DataError(f"{path}: the file holds no data; copy or download it again") from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: the file is not UTF-8 text; export it again as UTF-8 CSV") from exc
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _gzip_error(path, exc) from exc
    except OSError as exc:
        if compressed:
            raise _gzip_error(path, exc) from exc
        raise DataError(f"{path}: cannot be read ({exc}); check the file") from exc
    if header is not None:
        if not frame.index.equals(pd.RangeIndex(len(frame))):
            # Every row had more values than the header names: pandas took the extra ones as an index.
            raise DataError(
                f"{path}: the data rows have more values than the {frame.shape[1]} columns named on line 1 "
                "(the header); add the missing column names to the header, or remove the extra values"
            )
        frame.columns = [str(c).strip() for c in frame.columns]
        frame = _unnamed_columns(frame)
    return frame


def _unnamed_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop a column with no name and no values (a separator at the end of every line); name other nameless ones.

    pandas calls a column with an empty header cell ``Unnamed: N``, a name the user never wrote.
    """
    renames = {}
    for position, column in enumerate(frame.columns):
        if re.fullmatch(r"Unnamed: \d+", column):
            if frame[column].isna().all():
                frame = frame.drop(columns=column)
            else:
                renames[column] = f"column {position + 1} (no name)"
    return frame.rename(columns=renames) if renames else frame


def _parser_error(path: Path, exc: Exception) -> DataError:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if match:
        expected, line, saw = match.groups()
        return DataError(
            f"{path}: line {line} has {saw} values but the file's rows have {expected}; "
            "fix or remove that line and import again"
        )
    return DataError(f"{path}: cannot be parsed as CSV ({str(exc).strip()}); check the file's format")


def _from_header_table(path: Path, frame: pd.DataFrame, target: str | None) -> ParsedTable:
    columns = list(frame.columns)
    if target is not None and target not in columns:
        shown = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
        raise DataError(f"{path}: there is no column named '{target}' (columns: {shown}); {words('pass-target')}")

    id_columns = [c for c in columns if c.lower() == "id"]
    rest = [c for c in columns if c not in id_columns]
    canonical = {c: covtype.canonical_name(c) for c in rest}
    known = [c for c in rest if canonical[c]]
    looks_covtype = len(known) >= len(rest) * 0.8 and len(known) >= 10
    missing = [n for n in covtype.FEATURES + [covtype.TARGET] if n not in canonical.values()]
    unknown = [c for c in rest if not canonical[c]]

    if looks_covtype and target is None and (missing or unknown):
        problem = []
        if missing:
            problem.append(f"lacks column(s) {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
        if unknown:
            problem.append(f"has unknown column(s) {', '.join(unknown[:5])}")
        raise NeedsLabelColumn(f"{path}: the header looks like Covertype but {' and '.join(problem)}; fix the header, "
                               f"or import it as a generic table with {words('target-column')}", path, columns)
    # An explicit label column takes the generic path, unless it names Covertype's own, complete, with its classes.
    if looks_covtype and not missing and not unknown and (target is None or (
            canonical.get(target) == covtype.TARGET and _are_covtype_classes(frame[target]))):
        frame = frame.drop(columns=id_columns).rename(columns=canonical)[covtype.FEATURES + [covtype.TARGET]]
        naming = "Kaggle" if id_columns else ("UCI" if any(c in covtype.UCI_FEATURES[10:] for c in rest) else "scikit-learn")
        return _covtype_table(path, frame, header_lines=1, fmt=f"Covertype CSV ({naming} column names)")

    if target is None:
        shown = ", ".join(columns[:6]) + (", ..." if len(columns) > 6 else "")
        raise NeedsLabelColumn(
            f"{path}: the header ({shown}) is not Covertype's; to import any table, name its label column "
            f"with {words('target-column')}", path, columns)
    return _generic_table(path, frame, target)


def _are_covtype_classes(labels: pd.Series) -> bool:
    """True if every label is one of Covertype's classes, 1..7."""
    return bool(pd.to_numeric(labels, errors="coerce").isin(range(1, 8)).all())


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    blank = frame.isna().all(axis=1).to_numpy()
    return frame[~blank] if blank.any() else frame


def _line_of(index: int, header_lines: int) -> int:
    return int(index) + header_lines + 1


def _check_short_rows(path: Path, frame: pd.DataFrame, header_lines: int) -> None:
    """Report the first row that ends early (pandas fills the missing trailing cells with NaN)."""
    missing = frame.isna().to_numpy()
    if not missing[:, -1].any():
        return
    for row in np.flatnonzero(missing[:, -1]):
        present = int((~missing[row]).sum())
        if missing[row, present:].all():
            raise DataError(
                f"{path}: line {_line_of(frame.index[row], header_lines)} has {present} values but the file's rows have "
                f"{frame.shape[1]}; fix or remove that line and import again"
            )


def _numeric_features(path: Path, frame: pd.DataFrame, names: list[str], header_lines: int) -> np.ndarray:
    """Return the feature columns as float32, or raise DataError naming the first bad cell."""
    for name in names:
        column = frame[name]
        if column.dtype.kind not in "iufb":
            # As text: pandas keeps integers beyond 64 bits as Python ints, which to_numeric cannot convert;
            # their text parses to inf, reported below as too large.
            numbers = pd.to_numeric(column.astype(str).where(column.notna()), errors="coerce")
            bad = numbers.isna() & column.notna()
            if bad.any():
                index = bad.idxmax()
                raise DataError(
                    f"{path}: line {_line_of(index, header_lines)}, column '{name}': '{column[index]}' is not a "
                    "number; fix the cell or remove the row, then import again"
                )
            frame[name] = numbers
    missing = frame[names].isna().to_numpy()
    if missing.any():
        row = int(np.argmax(missing.any(axis=1)))
        col = names[int(np.argmax(missing[row]))]
        line = _line_of(frame.index[row], header_lines)
        raise DataError(f"{path}: line {line}, column '{col}' is empty; fill it in or remove the row, then import again")
    features = frame[names]
    values = features.to_numpy(dtype=np.float64)
    with np.errstate(over="ignore"):
        X = values.astype(np.float32)
    finite = np.isfinite(X)
    if not finite.all():
        row, col = np.argwhere(~finite)[0]
        raise DataError(
            f"{path}: line {_line_of(frame.index[row], header_lines)}, column '{names[col]}': "
            f"'{_number_text(values[row, col])}' is too large or not finite; fix the cell or remove the row"
        )
    return np.ascontiguousarray(X)


def _number_text(value: float) -> str:
    """A number as a person would write it in the file (``inf``, ``1e+40``), not numpy's repr."""
    return repr(float(value))


def _covtype_table(path: Path, frame: pd.DataFrame, header_lines: int, fmt: str) -> ParsedTable:
    frame = _drop_blank_rows(frame)
    if frame.empty:
        raise DataError(f"{path}: there are no data rows after the header; copy or download the file again")
    _check_short_rows(path, frame, header_lines)
    X = _numeric_features(path, frame, covtype.FEATURES, header_lines)
    labels = pd.to_numeric(frame[covtype.TARGET], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isin(labels, np.arange(1, 8))
    if bad.any():
        row = int(np.argmax(bad))
        raise DataError(
            f"{path}: line {_line_of(frame.index[row], header_lines)}, column '{covtype.TARGET}': "
            f"'{frame[covtype.TARGET].iloc[row]}' is not a Covertype class (1..7); fix the label, or import the file "
            f"as a generic table with {words('target-column')}"
        )
    present = np.unique(labels).astype(int)
    _require_two_classes(path, covtype.TARGET, [str(c) for c in present])
    codes = np.searchsorted(present, labels).astype(np.int32)
    notes = []
    missing_classes = sorted(set(range(1, 8)) - set(present.tolist()))
    if missing_classes:
        notes.append(f"classes {missing_classes} do not occur in this file")
    return ParsedTable(X, codes, list(covtype.FEATURES), [str(c) for c in present], "covtype", covtype.TARGET, fmt, notes)


def _generic_table(path: Path, frame: pd.DataFrame, target: str) -> ParsedTable:
    frame = _drop_blank_rows(frame)
    if frame.empty:
        raise DataError(f"{path}: there are no data rows after the header; add rows and import again")
    _check_short_rows(path, frame, 1)
    names = [c for c in frame.columns if c != target]
    if not names:
        raise DataError(f"{path}: the only column is the target '{target}'; a race needs at least one feature column")
    X = _numeric_features(path, frame, names, header_lines=1)
    labels = frame[target]
    if labels.isna().any():
        index = labels.isna().idxmax()
        raise DataError(f"{path}: line {_line_of(index, 1)}, column '{target}' is empty; every row needs a label")
    if labels.dtype.kind == "f" and np.all(np.mod(labels.to_numpy(), 1) == 0):
        labels = labels.astype(np.int64)
    uniques = pd.unique(labels)
    try:
        uniques = np.sort(uniques)
    except TypeError:
        uniques = np.array(sorted(uniques, key=str), dtype=object)
    classes = [str(u) for u in uniques]
    _require_two_classes(path, target, classes)
    if len(classes) > MAX_CLASSES:
        raise DataError(
            f"{path}: column '{target}' has {len(classes)} distinct values; modelrace compares classifiers, so "
            "choose a column of class labels (at most 100 classes) with --target"
        )
    lookup = {value: code for code, value in enumerate(uniques.tolist())}
    codes = np.fromiter((lookup[v] for v in labels.tolist()), dtype=np.int32, count=len(labels))
    return ParsedTable(X, codes, [str(n) for n in names], classes, "table", target, "CSV table", [])


def _require_two_classes(path: Path, target: str, classes: list[str]) -> None:
    if len(classes) < 2:
        raise DataError(
            f"{path}: column '{target}' has only one class ({classes[0]!r}); a race needs at least 2 classes, "
            "so use a file with more kinds of rows"
        )

