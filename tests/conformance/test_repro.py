"""Conformance: the reproduction script, run on the same data file, prints the test accuracy the race had.

The script is written from the saved result (each model's own spec writes its part) and run in a
fresh Python, which imports no modelrace. Every model's part must print one line
``<label> test accuracy: 0.xxxx``. Models are held to the race's accuracy to the four printed
decimals (on 600 test rows: the same rows right), except Keras models, within KERAS_TOLERANCE (12 of
the 600 rows): the race pins Keras' thread pools to its cores while the script lets Keras size its own
from the machine's cores, and TensorFlow's multi-threaded float sums (not made deterministic) may round
differently in other pools, so the weights can drift apart over the epochs. (On a two-core machine the
script printed the MLP's race accuracy exactly, racing on one core and on two.)
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from modelrace.models.data import bundled
from modelrace.models.output.repro_script import script_for
from modelrace.models.results.files import load_result
from modelrace.models.trainers import registry

KERAS_TOLERANCE = 0.02


def test_the_reproduction_script_reproduces_the_scores(model_key: str, race_of, tmp_path) -> None:
    raced = race_of(model_key)
    result = load_result(raced.path)
    script = tmp_path / "reproduce.py"
    script.write_text(script_for(result))
    assert not re.search(r"^\s*(import|from)\s+modelrace\b", script.read_text(), flags=re.M), "plain libraries only"
    run = subprocess.run([sys.executable, str(script), str(bundled.path())], capture_output=True, text=True,
                         cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    label = registry.label(model_key)
    printed = re.findall(rf"^{re.escape(label)} test accuracy: (\d\.\d{{4}})$", run.stdout, flags=re.M)
    assert len(printed) == 1, f"expected one line '{label} test accuracy: 0.xxxx' in:\n{run.stdout[-2000:]}"
    raced_accuracy = result["models"][model_key]["test_accuracy"]
    if registry.uses_library(model_key, "keras"):
        assert float(printed[0]) == pytest.approx(raced_accuracy, abs=KERAS_TOLERANCE)
    else:
        assert printed[0] == f"{raced_accuracy:.4f}"
