"""Writes a standalone, readable Python script that reproduces a race with plain library calls.

The script does not import modelrace. It reads the same rows, draws the same sample, cuts the same
split with the same seed, scales on the training rows only, and trains each raced model with the
same hyperparameters and thread counts, printing each test accuracy.

A result file can come from anyone (workshop kits hand them to every student), so nothing from it is
spliced into the script's text: every value is written as a Python literal (``repr``) that is parsed
back and compared before use, and the script's code is the template's whatever the values hold.
"""

from __future__ import annotations

import ast
import pprint
import re
from pathlib import Path

from modelrace.models.data import covtype
from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.errors import DataError, OutputError
from modelrace.models.trainers import registry


def _py(value: object) -> str:
    """``value`` as a Python literal that parses back to exactly ``value`` (never code)."""
    text = pprint.pformat(value, width=100, sort_dicts=False)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        same = False
    if not same:
        raise DataError(f"a value of this result cannot be written into a script ({text[:40]}…); the file is damaged")
    return text


def script_for(result: dict) -> str:
    """The reproduction script's source text."""
    dataset, split, models = result["dataset"], result["split"], result["models"]
    threads = result["environment"].get("threads") or {}
    sampled = dataset.get("total_rows") and dataset["rows"] < dataset["total_rows"]
    raced = [k for k in models if models[k].get("status") in ("finished", "stopped", "failed")]
    missing = [k for k in raced if not registry.known(k)]
    if missing:
        one = len(missing) == 1
        raise DataError(f"this result races model{'' if one else 's'} {', '.join(repr(key) for key in missing)}, which "
                        f"{'is' if one else 'are'} not installed here; install the plugin{'' if one else 's'} that "
                        f"provide{'s it' if one else ' them'} to write its script")
    # The simpler models first, as the tutorial's readers meet them; each model's own spec writes its part.
    raced.sort(key=lambda k: (registry.side(k) == "neural", registry.MODEL_KEYS.index(k)))
    parts = [_header(result, raced), _read_data(dataset), _sample_and_split(split, dataset["rows"] if sampled else None)]
    for key in raced:
        try:
            part = registry.spec(key).repro(models[key]["config"], _jobs(threads.get(key)), models[key], _py)
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{registry.label(key)}'s settings in this result cannot be written into a script "
                            f"({exc}); the file is damaged") from exc
        try:
            ast.parse(part)
        except SyntaxError as exc:  # a plugin's snippet: say whose, rather than write a script that cannot run
            raise OutputError(f"{registry.label(key)}'s part of the script is not valid Python (line {exc.lineno}: "
                              f"{exc.msg}); the plugin that provides '{key}' needs fixing") from exc
        parts.append(part)
    return "\n".join(parts).rstrip() + "\n"


def write_script(result: dict, path: Path) -> None:
    """Write the reproduction script for ``result`` to ``path`` atomically."""
    if not result["dataset"].get("source"):
        raise DataError("this result does not say where its rows came from, so no script can read them")
    write_text_atomic(Path(path), script_for(result))


def _jobs(entry: object) -> int:
    """The threads a model trained with: its n_jobs or what was asked for, else its one pool's size (OpenMP, BLAS)."""
    if isinstance(entry, dict):
        counts = {k: v for k, v in entry.items() if isinstance(v, int) and not isinstance(v, bool) and v >= 1}
        for key in ("n_jobs", "requested"):
            if key in counts:
                return counts[key]
        if len(counts) == 1:
            return next(iter(counts.values()))
    return 1


#: What every script uses, whichever models it trains: pandas reads the rows, scikit-learn splits and scales them.
_ALWAYS = ("pandas", "scikit-learn")


def libraries_named(keys: list[str]) -> str:
    """The libraries a script for models ``keys`` calls, in words: 'pandas, scikit-learn, XGBoost and Keras'."""
    names = list(dict.fromkeys([*_ALWAYS, *(_plain(lib.name) for key in keys for lib in registry.spec(key).libraries)]))
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _plain(name: str) -> str:
    """A library's name fit for the script's docstring: letters, digits, spaces and ``.+-_/()`` (no quote ends it)."""
    return re.sub(r"[^\w .+\-/()]", "", name).strip() or "?"


def _header(result: dict, raced: list[str]) -> str:
    dataset = result["dataset"]
    race = {"created": result.get("created"), "preset": result.get("preset"), "mode": result["environment"].get("mode"),
            "dataset": dataset.get("name"), "rows": dataset.get("rows"), "rows_sha256": str(dataset.get("sha256"))[:16]}
    return f'''"""Reproduce a modelrace race with plain {libraries_named(raced)}.

Run it with the data file as its argument (default: the file the race used):
    python THIS_FILE [DATA_FILE]

Unlike the tutorial, which scaled all rows before splitting (so test statistics leaked into
training), the scaler here is fitted on the training rows only, as in the race.
"""

import sys

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

# The race this script reproduces, as its result file recorded it.
RACE = {_py(race)}
SEED = {_py(result["split"]["seed"])}
'''


def _read_data(dataset: dict) -> str:
    source = dataset.get("source") or ""
    if dataset.get("kind") == "covtype":
        if dataset.get("format") == "scikit-learn fetch_covtype":
            return '''
# 1. The rows: Covertype from scikit-learn's cache (fetch_covtype downloads it once).
from sklearn.datasets import fetch_covtype

covertype = fetch_covtype()
X = covertype.data.astype(np.float32)
labels = covertype.target
classes = np.unique(labels)
y = np.searchsorted(classes, labels)
'''
        return f'''
# 1. The rows: Covertype, as UCI's covtype.data (no header) or a CSV with a header row.
DATA = sys.argv[1] if len(sys.argv) > 1 else {_py(source)}
FEATURES = ({_py(covtype.QUANTITATIVE)}
            + [f"Wilderness_Area_{{i}}" for i in range(4)] + [f"Soil_Type_{{i}}" for i in range(40)])
# UCI and Kaggle spell the one-hot columns from 1 (Soil_Type1); scikit-learn from 0 (Soil_Type_0).
UCI_NAMES = ({{f"Wilderness_Area{{i + 1}}": f"Wilderness_Area_{{i}}" for i in range(4)}}
             | {{f"Soil_Type{{i + 1}}": f"Soil_Type_{{i}}" for i in range(40)}})
first_line = pd.read_csv(DATA, header=None, nrows=1).iloc[0]
if all(isinstance(v, (int, float, np.number)) for v in first_line):
    frame = pd.read_csv(DATA, header=None, names=FEATURES + ["Cover_Type"])
else:
    frame = pd.read_csv(DATA)
    frame = frame.drop(columns=[c for c in frame.columns if c.strip().lower() == "id"])  # Kaggle's Id
    frame = frame.rename(columns=lambda c: UCI_NAMES.get(c.strip(), c.strip()))
X = frame[FEATURES].to_numpy(np.float32)
labels = frame["Cover_Type"].to_numpy()
classes = np.unique(labels)  # the classes present, in order; codes 0..K-1
y = np.searchsorted(classes, labels)
'''
    return f'''
# 1. The rows: a CSV table with a label column (TARGET).
TARGET = {_py(dataset.get("target"))}
DATA = sys.argv[1] if len(sys.argv) > 1 else {_py(source)}
frame = pd.read_csv(DATA, sep=None, engine="python", encoding="utf-8-sig")
frame.columns = [str(c).strip() for c in frame.columns]
FEATURES = {_py(dataset.get("feature_names"))}
X = frame[FEATURES].to_numpy(np.float32)
labels = frame[TARGET].to_numpy()
classes = np.unique(labels)
y = np.searchsorted(classes, labels)
'''


def _sample_and_split(split: dict, rows: int | None) -> str:
    sample = ""
    if rows:
        sample = f'''
# 2. Sample: the race used a stratified sample of ROWS rows.
ROWS = {_py(rows)}
counts = np.bincount(y)
chosen, _ = train_test_split(np.arange(len(y)), train_size=ROWS, random_state=SEED,
                             stratify=y if counts.min() >= 2 else None)
chosen = np.sort(chosen)
X, y = X[chosen], y[chosen]
'''
    stratify = bool(split.get("stratified"))
    return sample + f'''
# {3 if rows else 2}. One split for every model: test rows first, then validation rows from the rest, same seed.
stratify = {_py(stratify)}
rest, test = train_test_split(np.arange(len(y)), test_size={_py(split["test_fraction"])}, random_state=SEED,
                              stratify=y if stratify else None)
train, val = train_test_split(rest, test_size={_py(split["validation_fraction"])}, random_state=SEED,
                              stratify=y[rest] if stratify else None)
scaler = StandardScaler().fit(X[train])  # training rows only
X_train, X_val, X_test = (scaler.transform(X[rows]).astype(np.float32) for rows in (train, val, test))
y_train, y_val, y_test = y[train], y[val], y[test]
print(f"{{len(train):,}} train / {{len(val):,}} validation / {{len(test):,}} test rows")
'''
