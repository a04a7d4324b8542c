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
from pathlib import Path

from modelrace.models.data import covtype
from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.errors import DataError


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
    raced = [k for k in ("rf", "xgb", "mlp") if models.get(k, {}).get("status") in ("finished", "stopped", "failed")]
    parts = [_header(result), _read_data(dataset), _sample_and_split(split, dataset["rows"] if sampled else None)]
    if "rf" in raced:
        parts.append(_forest(models["rf"]["config"], _jobs(threads.get("rf")), models["rf"]))
    if "xgb" in raced:
        parts.append(_boost(models["xgb"]["config"], _jobs(threads.get("xgb")), models["xgb"]))
    if "mlp" in raced:
        parts.append(_mlp(models["mlp"]["config"], models["mlp"]))
    return "\n".join(parts).rstrip() + "\n"


def write_script(result: dict, path: Path) -> None:
    """Write the reproduction script for ``result`` to ``path`` atomically."""
    if not result["dataset"].get("source"):
        raise DataError("this result does not say where its rows came from, so no script can read them")
    write_text_atomic(Path(path), script_for(result))


def _jobs(entry: object) -> int:
    if isinstance(entry, dict):
        for key in ("n_jobs", "requested"):
            value = entry.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                return value
    return 1


def _header(result: dict) -> str:
    dataset = result["dataset"]
    race = {"created": result.get("created"), "preset": result.get("preset"), "mode": result["environment"].get("mode"),
            "dataset": dataset.get("name"), "rows": dataset.get("rows"), "rows_sha256": str(dataset.get("sha256"))[:16]}
    return f'''"""Reproduce a modelrace race with plain pandas, scikit-learn, XGBoost and Keras.

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


def _forest(config: dict, jobs: int, entry: dict) -> str:
    max_depth = config.get("max_depth") or None
    max_features = None if config.get("max_features") == "all" else config.get("max_features")
    return f'''
# Model: RandomForest (the race's test accuracy: RF_RACE_ACCURACY).
RF_RACE_ACCURACY = {_py(entry.get("test_accuracy"))}
from sklearn.ensemble import RandomForestClassifier

forest = RandomForestClassifier(
    n_estimators={_py(config["n_estimators"])}, criterion={_py(config["criterion"])}, max_depth={_py(max_depth)},
    min_samples_split={_py(config["min_samples_split"])}, min_samples_leaf={_py(config["min_samples_leaf"])},
    max_features={_py(max_features)}, bootstrap={_py(config["bootstrap"])}, n_jobs={_py(jobs)}, random_state=SEED,
)
forest.fit(X_train, y_train)
print(f"RandomForest test accuracy: {{accuracy_score(y_test, forest.predict(X_test)):.4f}}")
'''


def _boost(config: dict, jobs: int, entry: dict) -> str:
    arguments = _py(dict(config))
    return f'''
# Model: XGBoost (the race's test accuracy: XGB_RACE_ACCURACY).
XGB_RACE_ACCURACY = {_py(entry.get("test_accuracy"))}
from xgboost import XGBClassifier

booster = XGBClassifier(**{arguments}, n_jobs={_py(jobs)}, random_state=SEED)
booster.fit(X_train, y_train)
print(f"XGBoost test accuracy: {{accuracy_score(y_test, booster.predict(X_test)):.4f}}")
'''


def _mlp(config: dict, entry: dict) -> str:
    regularizer = f"keras.regularizers.L2({_py(config['l2'])})" if config.get("l2") else "None"
    layers = "\n".join(
        f"    keras.layers.Dense({_py(units)}, activation={_py(config['activation'])}, "
        f"kernel_regularizer={regularizer}, bias_regularizer={regularizer}),"
        + (f"\n    keras.layers.Dropout({_py(config['dropout'])})," if config.get("dropout") else "")
        for units in config["hidden"]
    )
    optimizers = {"adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "sgd": "SGD"}
    if config["optimizer"] not in optimizers:
        raise DataError(f"the MLP's optimizer {config['optimizer']!r} is not one modelrace knows; the file is damaged")
    extra = f", momentum={_py(config['momentum'])}" if config["optimizer"] == "sgd" else ""
    rate = (f"keras.optimizers.schedules.InverseTimeDecay({_py(config['learning_rate'])}, decay_steps=1, "
            f"decay_rate={_py(config['decay'])})" if config.get("decay") else _py(config["learning_rate"]))
    return f'''
# Model: the Keras MLP (the race's test accuracy: MLP_RACE_ACCURACY). Keras 1/2's Adam(lr, decay=d) is
# Adam(learning_rate=InverseTimeDecay(lr, decay_steps=1, decay_rate=d)) in Keras 3.
MLP_RACE_ACCURACY = {_py(entry.get("test_accuracy"))}
import keras

keras.utils.set_random_seed(SEED)
model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
{layers}
    keras.layers.Dense(len(classes), activation="softmax"),
])
optimizer = keras.optimizers.{optimizers[config["optimizer"]]}(learning_rate={rate}{extra})
model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, np.eye(len(classes), dtype=np.float32)[y_train], batch_size={_py(config["batch_size"])},
          epochs={_py(config["epochs"])}, shuffle=True, validation_data=(X_val, np.eye(len(classes), dtype=np.float32)[y_val]),
          verbose=2)
predicted = model.predict(X_test, verbose=0).argmax(axis=1)
print(f"Keras MLP test accuracy: {{accuracy_score(y_test, predicted):.4f}}")
'''
