"""Conformance: the time a model's steps spend being shown (its sink's ``put``) is not training time.

The sink here sleeps in each of its first few ``put`` calls, as a slow front end would, and then asks
the model to stop. The training seconds between its first step and each later one must not grow by
the sleeps in between, nor must the whole fit's: they are compared with the same model's race on the
same split, settings and seed, where the sink cost nothing. Each sleep is at least half a second and
at least as long as the race took from its first step to the last one compared, so a clock that
counts the sleeps is caught while a busy machine (which slows training, not sleeping) is not taken
for one. (Comparing from the first step leaves out set-up such as Keras' tracing of its first epoch.)
"""

from __future__ import annotations

import time

from modelrace.models.trainers.protocol import Step

SLOW_STEPS = 3  # puts that sleep; the model is asked to stop after them
MIN_PAUSE = 0.5  # seconds per sleeping put, at least


class SleepingSink:
    """Sleeps ``pause`` seconds in each of the first ``slow`` puts, then asks for a stop (and sleeps no more)."""

    def __init__(self, pause: float, slow: int) -> None:
        self.pause, self.slow = pause, slow
        self.steps: list[Step] = []

    def put(self, step: Step) -> None:
        self.steps.append(step)
        if len(self.steps) <= self.slow:
            time.sleep(self.pause)

    def stop_requested(self) -> bool:
        return len(self.steps) >= self.slow

    def slept_before(self, index: int) -> float:
        """Seconds slept in put between the first step's arrival and step ``index``'s."""
        return self.pause * min(index, self.slow)


def time_to_reach(steps: list[Step], number: float) -> float:
    """Training seconds the race needed to reach step ``number`` (its first point at or past it)."""
    return next((step.t for step in steps if step.step >= number), steps[-1].t)


def test_monitoring_time_stays_out_of_the_training_seconds(model_key: str, race_of, make_trainer, split) -> None:
    raced = race_of(model_key)
    entry, quick = raced.entry(model_key), raced.steps
    assert entry["status"] == "finished", entry["error"]
    assert len(quick) > SLOW_STEPS, "too few steps to compare"
    pause = max(MIN_PAUSE, quick[SLOW_STEPS].t - quick[0].t)
    sink = SleepingSink(pause, SLOW_STEPS)
    fit = make_trainer(model_key).fit(split, sink)
    steps = sink.steps
    assert len(steps) >= SLOW_STEPS, "it stopped before the stop was asked for"
    for index, step in enumerate(steps[1:], start=1):
        slow = step.t - steps[0].t
        unhurried = time_to_reach(quick, step.step) - time_to_reach(quick, steps[0].step)
        slept = sink.slept_before(index)
        assert slow < unhurried + slept / 2, (
            f"{step.unit}s {steps[0].step:g} to {step.step:g} took {slow:.3f} training seconds with {slept:.1f} s of "
            f"sleeping puts between them, and {unhurried:.3f} s in the race without them")
    slept = pause * SLOW_STEPS
    assert fit.train_seconds < entry["train_seconds"] + slept / 2, (
        f"{fit.train_seconds:.3f} training seconds for a stopped fit with {slept:.1f} s of sleeping puts; the whole "
        f"race trained {entry['train_seconds']:.3f} s")
    assert fit.train_seconds >= steps[-1].t - 1e-6, "the training seconds cover every step's"
