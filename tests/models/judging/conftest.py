"""Fixtures of the judging tests: more models on each side of the claim than the tutorial's three."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from modelrace.models.trainers import registry
from modelrace.models.trainers.protocol import Trainer
from modelrace.models.trainers.spec import Library, ModelSpec, Side

#: A key no installed package registers: a result written where a plugin was installed.
UNKNOWN = "lgbm"


@dataclass(frozen=True)
class _NoSettings:
    """A stand-in model's settings: none."""


def stand_in(key: str, label: str, side: Side, unit: str, libraries: tuple[Library, ...] = ()) -> ModelSpec:
    """A spec that can be judged but never trains (its trainer is a class of its own, so binding it touches no real one)."""
    def fit(self: Any, split: Any, sink: Any) -> Any:
        raise AssertionError("a stand-in model never trains")

    trainer = type(f"StandIn{key.title()}Trainer", (Trainer,), {"planned_steps": lambda self: 1, "fit": fit})
    return ModelSpec(key=key, label=label, short_label=label[:4], unit=unit, config=_NoSettings, trainer=trainer,
                     side=side, libraries=libraries, repro=lambda *args: "")


@pytest.fixture
def more_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registers hgb and logreg among the simpler models (stand-ins where modelrace's own are not installed) and
    a second neural network, 'tabnet' (on Keras), for the test; ``UNKNOWN`` stays unregistered."""
    wanted = [stand_in("hgb", "HistGradientBoosting", "simpler", "iteration"),
              stand_in("logreg", "logistic regression", "simpler", "epoch"),
              stand_in("tabnet", "TabNet", "neural", "epoch", (Library("keras", "keras", "Keras"),))]
    for spec in wanted:
        if not registry.known(spec.key):
            monkeypatch.setitem(registry._REGISTRY.specs, spec.key, spec)
            monkeypatch.setitem(registry._REGISTRY.colors, spec.key, "#999999")
    assert registry.side("hgb") == registry.side("logreg") == "simpler" and registry.side("tabnet") == "neural"
    assert not registry.known(UNKNOWN)
