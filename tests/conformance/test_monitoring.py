"""Conformance: the time a model's steps spend being shown (its sink's ``put``) is not training time.

The sink here sleeps in each of its first few ``put`` calls, as a slow front end would, and then asks
the model to stop. The training seconds between its first step and each later one must not grow by
the sleeps in between, nor must the whole fit's: they are compared with the same model's race on the
same split, settings and seed, where the sink cost nothing.

Each sleep is at least half a second and PAUSE_FACTOR times as long as the race took over the longest
span compared (a model with a monitoring budget reports fewer, further-apart steps when its puts are
slow; the fit is then run again with sleeps long enough for the spans it did report). So a clock that
counts the sleeps is always caught, while a busy machine (which slows training, not sleeping) is taken
for one only if it slows training threefold or more (a machine eight times oversubscribed was seen to
slow the MLP 2.4-fold). Spans start at the first step, leaving out set-up such as Keras' first tracing.
"""

from __future__ import annotations

import time

from modelrace.models.trainers.protocol import Step

SLOW_STEPS = 3  # puts that sleep; the model is asked to stop after them
MIN_PAUSE = 0.5  # seconds per sleeping put, at least
PAUSE_FACTOR = 4  # each sleep at least this many times the race's training over the longest span compared
ATTEMPTS = 3  # fits, each with longer sleeps if the spans it reported need them


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


def spans(sink: SleepingSink, quick: list[Step]) -> list[tuple[Step, float, float, float]]:
    """For each step from the second to the first after the last sleep: the step, its training seconds since the
    first step, the race's over the same span, and the seconds slept in put in between."""
    first = sink.steps[0]
    return [(step, step.t - first.t, time_to_reach(quick, step.step) - time_to_reach(quick, first.step),
             sink.slept_before(index)) for index, step in enumerate(sink.steps[1:sink.slow + 1], start=1)]


def test_monitoring_time_stays_out_of_the_training_seconds(model_key: str, race_of, make_trainer, split) -> None:
    raced = race_of(model_key)
    entry, quick = raced.entry(model_key), raced.steps
    assert entry["status"] == "finished", entry["error"]
    assert len(quick) > SLOW_STEPS, "too few steps to compare"
    pause = max(MIN_PAUSE, PAUSE_FACTOR * (quick[SLOW_STEPS].t - quick[0].t))
    for _ in range(ATTEMPTS):
        sink = SleepingSink(pause, SLOW_STEPS)
        fit = make_trainer(model_key).fit(split, sink)
        assert len(sink.steps) >= SLOW_STEPS, "it stopped before the stop was asked for"
        compared = spans(sink, quick)
        needed = max(MIN_PAUSE, PAUSE_FACTOR * max(unhurried for _, _, unhurried, _ in compared))
        if pause >= needed:
            break
        pause = needed  # slow puts made it report fewer, further-apart steps (a monitoring budget): sleep longer
    first = sink.steps[0]
    for step, slow, unhurried, slept in compared:
        assert slow < unhurried + slept / 2, (
            f"{step.unit}s {first.step:g} to {step.step:g} took {slow:.3f} training seconds with {slept:.1f} s of "
            f"sleeping puts between them, and {unhurried:.3f} s in the race without them")
    slept = pause * SLOW_STEPS
    assert fit.train_seconds < entry["train_seconds"] + slept / 2, (
        f"{fit.train_seconds:.3f} training seconds for a stopped fit with {slept:.1f} s of sleeping puts; the whole "
        f"race trained {entry['train_seconds']:.3f} s")
    assert fit.train_seconds >= sink.steps[-1].t - 1e-6, "the training seconds cover every step's"
