"""The idle-time preload changes nothing a race measures, and never runs beside a race's Keras work."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from modelrace.models.trainers import preload
from modelrace.models.trainers.mlp import MLPTrainer


class Record:
    """A sink that keeps every step and never asks for a stop."""

    def __init__(self) -> None:
        self.steps = []

    def put(self, step) -> None:
        self.steps.append(step)

    def stop_requested(self) -> bool:
        return False


@pytest.fixture(scope="module")
def mlp_split(small_split):
    """The trainers' small real split and a 3-epoch tutorial MLP."""
    _dataset, split, preset = small_split
    return split, dataclasses.replace(preset.models["mlp"], epochs=3)


@pytest.fixture
def not_preloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process counts as not yet preloaded (another test may have preloaded it)."""
    monkeypatch.setattr(preload, "_loaded", None)
    monkeypatch.delenv(preload.PRELOAD_ENV, raising=False)


def accuracies(split, config) -> list[float]:
    sink = Record()
    result = MLPTrainer(config, threads=2, seed=0).fit(split, sink)
    assert result.status == "finished"
    return [step.val_accuracy for step in sink.steps]


def test_the_mlp_learns_the_same_after_a_preload(mlp_split, not_preloaded) -> None:
    split, config = mlp_split
    before = accuracies(split, config)
    assert preload.preload_wanted()
    loaded = preload.preload_libraries(2)
    assert loaded is not None and "XGBoost" in loaded
    assert not preload.preload_wanted(), "once per process"
    assert preload.preload_libraries(2) == loaded
    assert accuracies(split, config) == before


def test_a_race_that_starts_during_the_preload_waits_for_it(mlp_split, not_preloaded) -> None:
    split, config = mlp_split
    alone = accuracies(split, config)
    for _ in range(3):  # the tiny fit and a race's MLP never overlap, whichever starts first
        preload._loaded = None
        errors: list[BaseException] = []

        def load() -> None:
            try:
                preload.preload_libraries(2)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        loader = threading.Thread(target=load)
        loader.start()
        assert accuracies(split, config) == alone
        loader.join(60)
        assert not errors and not loader.is_alive()


def test_a_preload_asked_for_during_a_race_does_nothing(not_preloaded) -> None:
    with preload.using_keras():
        assert preload.keras_in_use()
        assert preload.preload_libraries(2) is None
    assert not preload.keras_in_use()
    assert preload.preload_wanted(), "it is still to be done, once the race is over"


def test_it_can_be_switched_off(monkeypatch: pytest.MonkeyPatch, not_preloaded) -> None:
    for word in ("0", "off", "no"):
        monkeypatch.setenv(preload.PRELOAD_ENV, word)
        assert not preload.preload_wanted()
