"""Result files: versioned JSON (never pickle), written atomically, validated against the schema when read."""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

from modelrace.models.results.document import SCHEMA, Result
from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.errors import ConfigError, DataError
from modelrace.models.system.parsing import parse_json, read_text
from modelrace.models.trainers.configs import config_from_dict
from modelrace.models.trainers import registry


#: Far more than any result needs (a 50-seed repeated race with full curves is a few MB).
MAX_RESULT_BYTES = 256 * 1024 * 1024


def save_result(result: Result, path: Path) -> None:
    """Write ``result`` as pretty JSON at ``path``, atomically."""
    text = json.dumps(_finite(result), indent=1, ensure_ascii=False, allow_nan=False)
    write_text_atomic(Path(path), text + "\n")


def load_result(path: Path) -> Result:
    """Read and validate a result file; raise DataError with a clear message if it is not one."""
    path = Path(path)
    try:
        data = parse_json(read_text(path, MAX_RESULT_BYTES, "result file"), str(path), parse_constant=_refuse_non_finite)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); the file is damaged") from exc
    except _NonFinite as exc:
        raise DataError(f"{path}: holds {exc.args[0]}, which is not a number JSON allows (a score or time must be "
                        "finite); the file is damaged or was edited by hand") from exc
    validate_result(data, str(path))
    return data


class _NonFinite(ValueError):
    """NaN or an infinity in a result file (Python's json reads them; JSON does not allow them)."""


def _refuse_non_finite(constant: str) -> Any:
    raise _NonFinite(constant)


def validate_result(data: Any, where: str = "result") -> None:
    """Check a result against resources/result.schema.json; raise DataError naming the first problem and where.

    A model key must be a well-formed key (``spec.KEY_PATTERN``); the settings of each model installed
    here are checked against its config. A model not installed here passes (its scores are plain
    data): ``models.results.installed.not_installed_line`` is the one line to show for it.
    """
    if not isinstance(data, dict) or "schema" not in data or "models" not in data:
        raise DataError(f"{where}: not a modelrace result file (no 'schema' and 'models' keys)")
    if not isinstance(data["schema"], int) or isinstance(data["schema"], bool):
        raise DataError(f"{where}: 'schema' is {data['schema']!r}, not a whole number; the file is damaged")
    if data["schema"] > SCHEMA:
        raise DataError(
            f"{where}: written by a newer modelrace (schema {data['schema']}, this one reads {SCHEMA}); upgrade modelrace"
        )
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        where_in_file = error.json_path.removeprefix("$").removeprefix(".") or "the top level"
        raise DataError(
            f"{where}: {where_in_file}: {_short(_said(error))}; the file is damaged or was edited by hand, "
            "so open another result or race again"
        )
    _check_consistency(data, where)
    for key, model in data["models"].items():
        if not registry.known(key):
            continue  # a model not installed here: its settings' checks are its plugin's (installed.not_installed_line)
        try:
            config_from_dict(registry.config_class(key), model["config"], f"models.{key}.config")
        except ConfigError as exc:
            raise DataError(f"{where}: {exc}; the file is damaged or was edited by hand") from exc


def _check_consistency(data: dict, where: str) -> None:
    """What a JSON Schema cannot say: sizes that must agree with the number of classes, models that must exist."""
    classes = len(data["dataset"]["classes"])
    counts = data["dataset"].get("class_counts")
    if counts is not None and len(counts) != classes:
        raise DataError(f"{where}: dataset.class_counts has {len(counts)} entries for {classes} classes; the file is damaged")
    for key, model in data["models"].items():
        matrix = model["confusion_matrix"]
        if matrix is not None and (len(matrix) != classes or any(len(row) != classes for row in matrix)):
            raise DataError(f"{where}: models.{key}.confusion_matrix is not {classes} x {classes} (one row and column "
                            "per class); the file is damaged")
    for section in ("repeats", "size_curve"):
        block = data.get(section) or {}
        parts = block.get("runs", []) + block.get("points", [])
        for run in parts:
            unknown = sorted(set(run["models"]) - set(data["models"]))
            if unknown:
                raise DataError(f"{where}: {section} names model(s) {', '.join(unknown)} that the result does not have")
        # Every run (or size) must hold the same models as the summary (or the first size): the bands,
        # the size charts and the tables read each model from each of them.
        expected = set(block.get("summary") or {}) or (set(parts[0]["models"]) if parts else set())
        for index, run in enumerate(parts):
            missing = sorted(expected - set(run["models"]))
            if missing:
                kind = "runs" if section == "repeats" else "points"
                raise DataError(f"{where}: {section}.{kind}[{index}] has no entry for {', '.join(missing)}; "
                                "the file is damaged or was edited by hand")


@functools.cache
def _validator() -> Any:
    """The validator of resources/result.schema.json (JSON Schema 2020-12), built once."""
    from jsonschema import Draft202012Validator

    schema = json.loads(resources.files("modelrace.resources").joinpath("result.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def best_match(errors: Any) -> Any:
    """The most relevant schema error (jsonschema's own ranking), or None."""
    from jsonschema.exceptions import best_match as rank

    return rank(errors)


def _said(error: Any) -> str:
    """A schema error in words: a malformed model key says what a key is (not the pattern's regular expression)."""
    if error.validator == "pattern" and error.schema == _validator().schema["$defs"]["model_key"]:
        return f"{error.instance!r} is not a model key (1-16 lower-case letters, digits or _, starting with a letter)"
    return str(error.message)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finite(value: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) with None, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
