"""The worker's side of a cell, without a cluster: the dataset's hash check and the step batches."""

from __future__ import annotations

import dataclasses
import time

import msgpack
import numpy as np
import pytest

from modelrace.models.cluster import cell, messages
from modelrace.models.data import bundled
from modelrace.models.system.errors import DataError
from modelrace.models.race.events import ModelFinished, ModelStarted, Steps
from modelrace.models.trainers.protocol import Step


def test_a_dataset_that_does_not_hash_as_sent_is_refused_once_checked_it_is_not_hashed_again(monkeypatch) -> None:
    dataset = bundled.load()
    tampered = dataclasses.replace(dataset, X=dataset.X.copy())
    tampered.X[0, 0] += 1
    with pytest.raises(DataError) as caught:
        cell.verify_dataset(tampered, dataset.sha256, "tcp://10.0.0.9:4000")
    assert "tcp://10.0.0.9:4000 does not match the one sent" in str(caught.value)
    cell.verify_dataset(dataset, dataset.sha256, "here")
    calls: list[int] = []
    monkeypatch.setattr(cell, "content_hash", lambda *args: calls.append(1) or "")
    cell.verify_dataset(dataset, dataset.sha256, "here")
    assert calls == [], "a dataset object already checked on this worker is not hashed again"


def test_steps_leave_in_batches_a_few_times_a_second_as_plain_msgpack() -> None:
    sent: list[tuple[str, dict]] = []
    batcher = cell.StepBatcher(lambda kind, **payload: sent.append((kind, payload)))
    step = Step(model="rf", step=np.float32(3), unit="tree", total=100, t=np.float64(0.5), wall=0.6,
                val_accuracy=np.float32(0.75), val_loss=np.float32(0.6))
    batcher(ModelStarted("rf"))
    began = time.monotonic()
    for _ in range(40):
        batcher(Steps((step,)))
        time.sleep(0.02)
    batcher(ModelFinished("rf", {"status": "finished", "test_accuracy": np.float64(0.8), "train_seconds": 0.8,
                                 "steps_done": 100, "planned_steps": 100}))
    batcher.close()
    kinds = [kind for kind, _ in sent]
    assert kinds[0] == messages.MODEL_STARTED and kinds[-1] == messages.MODEL_FINISHED
    batches = [payload["steps"] for kind, payload in sent if kind == messages.STEPS]
    assert sum(map(len, batches)) == 40 and 2 <= len(batches) <= int((time.monotonic() - began) / 0.25) + 2
    for _, payload in sent:
        msgpack.packb(payload)  # what Dask's event stream requires: no numpy scalars
    assert messages.step_from_plain(batches[0][0]).val_accuracy == pytest.approx(0.75)
