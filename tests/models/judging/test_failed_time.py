"""A failed model never has a time to the target, in any table, chart or CSV that reads one run's times."""

from __future__ import annotations

import pytest

from modelrace.models.judging.verdict import run_time_to_target

CURVE = [{"t": 1.0, "step": 1, "unit": "tree", "val_accuracy": 0.5, "val_loss": 1.0},
         {"t": 2.0, "step": 2, "unit": "tree", "val_accuracy": 0.9, "val_loss": 0.3}]


@pytest.mark.parametrize("status, expected", [("finished", 2.0), ("stopped", 2.0), ("failed", None)])
def test_only_a_model_that_trained_reaches_the_target(status: str, expected: float | None) -> None:
    assert run_time_to_target({"status": status, "curve": CURVE}, 0.8) == expected


def test_a_live_model_without_a_status_yet_is_read_from_its_curve() -> None:
    assert run_time_to_target({"curve": CURVE}, 0.8) == 2.0
    assert run_time_to_target({"status": "finished", "curve": CURVE}, 0.95) is None
