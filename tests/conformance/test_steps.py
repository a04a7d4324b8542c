"""Conformance: a model's steps arrive in order, with its spec's key and unit, out of its planned total."""

from __future__ import annotations

import math

from modelrace.models.trainers import registry


def test_steps_arrive_in_order_with_the_spec_s_key_unit_and_total(model_key: str, race_of, make_trainer) -> None:
    raced = race_of(model_key)
    entry, steps, spec = raced.entry(model_key), raced.steps, registry.spec(model_key)
    assert entry["status"] == "finished", entry.get("error")
    assert steps, "no step reached the race's listener"
    planned = make_trainer(model_key).planned_steps()
    assert raced.plan[model_key] == entry["planned_steps"] == planned
    assert {step.model for step in steps} == {model_key}
    assert {step.unit for step in steps} == {spec.unit} and entry["unit"] == spec.unit
    assert {step.total for step in steps} == {planned}
    numbers, times = [step.step for step in steps], [step.t for step in steps]
    assert all(b > a for a, b in zip(numbers, numbers[1:])), f"step numbers must increase: {numbers}"
    assert all(b >= a for a, b in zip(times, times[1:])), f"training seconds must never go back: {times}"
    assert 0 < numbers[0] and numbers[-1] == entry["steps_done"] <= planned, "the last step is the model's end"
    assert all(0 <= step.t <= step.wall for step in steps), "training seconds are part of the wall seconds"
    assert all(0.0 <= step.val_accuracy <= 1.0 and 0 <= step.val_loss < math.inf for step in steps)
    # The result keeps the curve the listener was shown, and the training time covers it.
    assert [point["step"] for point in entry["curve"]] == numbers
    assert all(point["unit"] == spec.unit for point in entry["curve"])
    assert entry["curve"][-1]["t"] <= entry["train_seconds"] + 1e-6
