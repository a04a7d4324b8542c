"""What a cell tells the client while it runs: plain, msgpack-safe envelopes on one event topic per grid.

Dask carries worker events as msgpack, which refuses numpy scalars: every number here is cast to a
Python ``float`` or ``int`` before it leaves the worker. Each message names its cell and attempt,
so the steps of an attempt whose worker died are told apart from the retry's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modelrace.models.trainers.protocol import Step

START, WARMING, MODEL_STARTED, STEPS, MODEL_FINISHED = "start", "warming", "model_started", "steps", "model_finished"


def topic_for(run_id: str) -> str:
    """The event topic of one grid run (a shared scheduler keeps the last 1,000 events per topic)."""
    return f"modelrace-{run_id}"


def stop_name_for(run_id: str) -> str:
    """The name of one grid run's cluster-wide stop event."""
    return f"modelrace-stop-{run_id}"


def envelope(kind: str, cell: str, attempt: str, **payload: Any) -> dict[str, Any]:
    """One message: its kind, cell key and attempt token, and plain payload fields."""
    return {"kind": kind, "cell": cell, "attempt": attempt, **payload}


def step_to_plain(step: Step) -> dict[str, Any]:
    """A step as msgpack-safe fields."""
    return {"model": str(step.model), "step": float(step.step), "unit": str(step.unit), "total": int(step.total),
            "t": float(step.t), "wall": float(step.wall), "val_accuracy": float(step.val_accuracy),
            "val_loss": float(step.val_loss)}


def step_from_plain(fields: dict[str, Any]) -> Step:
    """The step a message carried."""
    return Step(model=fields["model"], step=fields["step"], unit=fields["unit"], total=fields["total"],
                t=fields["t"], wall=fields["wall"], val_accuracy=fields["val_accuracy"], val_loss=fields["val_loss"])


def entry_summary(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a finished model that a progress line or a model card shows (the whole entry comes with the result)."""
    def number(name: str) -> float | None:
        value = entry.get(name)
        return None if value is None else float(value)

    return {"status": str(entry.get("status")), "error": entry.get("error"), "test_accuracy": number("test_accuracy"),
            "train_seconds": number("train_seconds"), "monitor_seconds": number("monitor_seconds"),
            "steps_done": number("steps_done"), "planned_steps": int(entry.get("planned_steps") or 0),
            "curve": []}
