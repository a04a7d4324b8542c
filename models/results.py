"""Result files: versioned JSON (never pickle), written atomically, validated when read."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from modelrace.models.atomic import write_text_atomic
from modelrace.models.errors import DataError

SCHEMA = 1
STATUSES = ("finished", "stopped", "failed", "skipped")
MODEL_KEYS = (
    "status", "config", "test_accuracy", "macro_f1", "per_class_recall", "confusion_matrix",
    "train_seconds", "cpu_seconds", "monitor_seconds", "predict_seconds", "model_bytes", "curve", "error",
)
CURVE_KEYS = ("t", "step", "unit", "val_accuracy", "val_loss")


def empty_model(status: str, config: dict, error: str | None = None, note: str | None = None) -> dict:
    """A model entry with every contract key, for a model that produced no scores."""
    entry: dict[str, Any] = {key: None for key in MODEL_KEYS}
    entry.update(status=status, config=config, curve=[], error=error)
    if note:
        entry["note"] = note
    return entry


def save_result(result: dict, path: Path) -> None:
    """Write ``result`` as pretty JSON at ``path``, atomically."""
    text = json.dumps(_finite(result), indent=1, ensure_ascii=False, allow_nan=False)
    write_text_atomic(Path(path), text + "\n")


def load_result(path: Path) -> dict:
    """Read and validate a result file; raise DataError with a clear message if it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); the file is damaged") from exc
    validate_result(data, str(path))
    return data


def validate_result(data: Any, where: str = "result") -> None:
    """Check the structure of a result; raise DataError naming the first problem."""
    if not isinstance(data, dict) or "schema" not in data or "models" not in data:
        raise DataError(f"{where}: not a modelrace result file (no 'schema' and 'models' keys)")
    if not isinstance(data["schema"], int) or data["schema"] > SCHEMA:
        raise DataError(
            f"{where}: written by a newer modelrace (schema {data['schema']}, this one reads {SCHEMA}); upgrade modelrace"
        )
    for key in ("dataset", "split", "environment", "verdict"):
        if not isinstance(data.get(key), dict):
            raise DataError(f"{where}: the '{key}' section is missing or not an object")
    if not isinstance(data["models"], dict):
        raise DataError(f"{where}: 'models' must be an object keyed by model")
    for name, model in data["models"].items():
        if not isinstance(model, dict):
            raise DataError(f"{where}: models.{name} must be an object")
        missing = [k for k in MODEL_KEYS if k not in model]
        if missing:
            raise DataError(f"{where}: models.{name} lacks {', '.join(missing)}")
        if model["status"] not in STATUSES:
            raise DataError(f"{where}: models.{name}.status is {model['status']!r}; expected one of {', '.join(STATUSES)}")
        if not isinstance(model["curve"], list):
            raise DataError(f"{where}: models.{name}.curve must be a list")
        for i, point in enumerate(model["curve"]):
            if not isinstance(point, dict) or any(k not in point for k in CURVE_KEYS):
                raise DataError(f"{where}: models.{name}.curve[{i}] lacks one of {', '.join(CURVE_KEYS)}")


def _finite(value: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) with None, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
