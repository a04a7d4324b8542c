"""The protocol every trainer follows: ``fit(split, sink) -> FitResult``.

A trainer reports one :class:`Step` per native unit (epoch, tree chunk, round) to a
:class:`Sink`, checks ``sink.stop_requested()`` as often as it cheaply can, and always returns a
usable (possibly partial) model. Its clock separates training time from monitoring time: the
validation evaluations done only to draw the curve are timed apart and left out of ``t``.
"""

from __future__ import annotations

import time
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

import numpy as np


if typing.TYPE_CHECKING:
    from modelrace.models.data.split import Split
    from modelrace.models.trainers.spec import ModelSpec

_EPS = 1e-15
#: How a fit ended: every planned step done, or a stop asked for first (a failure raises instead).
FitStatus = Literal["finished", "stopped"]
#: Largest share of training time the live curve's evaluations may take while training runs; past it,
#: a trainer defers or skips evaluations (each trainer says how) so that drawing never slows the race.
MONITOR_BUDGET = 0.03


@dataclass(frozen=True)
class Step:
    """One point of a live curve."""

    model: str
    step: float  # native units done: epochs, trees or rounds
    unit: str
    total: int  # native units planned
    t: float  # training seconds so far, monitoring excluded
    wall: float  # wall seconds since fit started, monitoring included (for ETA)
    val_accuracy: float
    val_loss: float


class Sink(Protocol):
    """Where a trainer sends its steps, and how it learns that it should stop."""

    def put(self, step: Step) -> None:
        """Receive one step (called from the training thread)."""

    def stop_requested(self) -> bool:
        """True once the user asked this trainer to stop."""


@dataclass
class FitResult:
    """What a trainer hands back: the fitted (maybe partial) model and how long it took."""

    status: FitStatus
    predict_proba: Callable[[np.ndarray], np.ndarray]
    train_seconds: float
    cpu_seconds: float
    monitor_seconds: float
    setup_seconds: float
    steps_done: float
    model_bytes: int
    threads: dict[str, int]
    params: dict[str, Any]  # every effective hyperparameter, for the record
    curve: list[Step] = field(default_factory=list)
    model: Any = None


class TrainClock:
    """Wall and CPU time since start, minus the monitoring spans."""

    def __init__(self) -> None:
        self._wall0 = time.perf_counter()
        self._cpu0 = time.process_time()
        self.monitor_wall = 0.0
        self.monitor_cpu = 0.0

    def wall(self) -> float:
        """Seconds since start, monitoring included."""
        return time.perf_counter() - self._wall0

    def train_seconds(self) -> float:
        """Seconds since start spent training (monitoring spans removed)."""
        return self.wall() - self.monitor_wall

    def cpu_seconds(self) -> float:
        """Process CPU seconds since start, monitoring spans removed."""
        return time.process_time() - self._cpu0 - self.monitor_cpu

    def monitoring(self) -> "_MonitorSpan":
        """Context manager that times a monitoring span."""
        return _MonitorSpan(self)


class _MonitorSpan:
    def __init__(self, clock: TrainClock) -> None:
        self._clock = clock

    def __enter__(self) -> None:
        self._wall = time.perf_counter()
        self._cpu = time.process_time()

    def __exit__(self, *exc: object) -> None:
        self._clock.monitor_wall += time.perf_counter() - self._wall
        self._clock.monitor_cpu += time.process_time() - self._cpu


def validation_scores(proba: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Accuracy and mean cross-entropy of class probabilities ``proba`` (rows x classes) against ``y``."""
    proba = np.asarray(proba)
    accuracy = float(np.mean(proba.argmax(axis=1) == y))
    picked = proba[np.arange(len(y)), y]
    loss = float(-np.mean(np.log(np.clip(picked, _EPS, 1.0))))
    return accuracy, loss


class Trainer(ABC):
    """Base of every trainer. Its :class:`~modelrace.models.trainers.spec.ModelSpec` binds itself as ``spec``."""

    spec: ClassVar[ModelSpec]

    def __init__(self, config: Any, threads: int, seed: int, device: str = "cpu") -> None:
        self.config = config
        self.threads = max(1, int(threads))
        self.seed = int(seed)
        self.device = device  # "cpu" or "gpu"; trainers that cannot use a GPU ignore it

    @property
    def key(self) -> str:
        """The model's key, from its spec."""
        return self.spec.key

    @property
    def unit(self) -> str:
        """The model's native unit of training, from its spec."""
        return self.spec.unit

    @abstractmethod
    def planned_steps(self) -> int:
        """Native units this trainer will run if not stopped."""

    @abstractmethod
    def fit(self, split: Split, sink: Sink) -> FitResult:
        """Train on ``split.X_train``, report steps to ``sink``, return the (maybe partial) model."""
