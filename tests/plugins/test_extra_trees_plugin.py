"""A model from another package: ExtraTrees (``et_plugin``), registered by its entry point alone, races.

The package declares ``[project.entry-points."modelrace.trainers"] et = "modelrace_et:SPEC"``; once it is
installed, ``--models rf,et`` races it beside RandomForest, the verdict counts it among the simpler
models, start-up still loads no ML library, and it passes the whole conformance suite.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import install


@pytest.fixture(scope="module")
def et_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the installed ExtraTrees plugin."""
    return install(["et_plugin"], tmp_path_factory.mktemp("et-plugin"))


def test_the_plugin_races_beside_modelrace_s_own_models(et_site: Path, run_in, tmp_path: Path) -> None:
    path = tmp_path / "race.json"
    done = run_in(et_site, "-m", "modelrace.gui", "race", "--models", "rf,et", "--rows", "2000", "--preset", "quick",
                  "--json", str(path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "warning: plugin" not in done.stderr, "a good plugin is not left out"
    result = json.loads(path.read_text())
    assert result["race"]["models"] == ["rf", "et"]
    et, rf = result["models"]["et"], result["models"]["rf"]
    assert et["status"] == "finished" and rf["status"] == "finished"
    assert et["unit"] == "tree" and et["steps_done"] == et["planned_steps"] == len(et["curve"]) > 1
    assert 0 < et["test_accuracy"] <= 1
    assert "ExtraTrees" in done.stdout, "the terminal shows it by its label"


def test_the_verdict_counts_the_plugin_among_the_simpler_models(et_site: Path, run_in, tmp_path: Path) -> None:
    """With the MLP and ExtraTrees alone, the claim can only be judged if ExtraTrees stands on the simpler side."""
    path = tmp_path / "race.json"
    done = run_in(et_site, "-m", "modelrace.gui", "race", "--models", "mlp,et", "--rows", "2000", "--preset", "quick",
                  "--json", str(path))
    assert done.returncode == 0, done.stderr[-3000:]
    verdict = json.loads(path.read_text())["verdict"]
    assert verdict["claim_holds"] in (True, False), verdict.get("reason")
    assert "et" in verdict["time_to_target"] and "ExtraTrees" in verdict["text"]


def test_start_up_stays_free_of_the_ml_libraries_with_the_plugin(et_site: Path, run_in, tmp_path: Path) -> None:
    """As tests/architecture's start-up test: the window paints with no ML library loaded, the plugin's spec loaded."""
    probe = run_in(et_site, "-m", "modelrace.gui", "gui", MODELRACE_STARTUP_PROBE="1", MODELRACE_HOME=str(tmp_path))
    assert probe.returncode == 0, probe.stderr[-3000:]
    assert "first-paint heavy=-" in probe.stdout, probe.stdout
    script = ("import json, sys; import modelrace.gui.terminal.main, modelrace.gui.window.app, "
              "modelrace.gui.window.main_window; from modelrace.models.trainers import registry; "
              "print(json.dumps({'keys': list(registry.MODEL_KEYS), 'plugin': 'modelrace_et' in sys.modules, "
              "'heavy': sorted(m for m in sys.modules if m.split('.')[0] in "
              "('sklearn', 'xgboost', 'keras', 'tensorflow', 'jax', 'torch'))}))")
    done = run_in(et_site, "-c", script)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "et" in report["keys"] and report["plugin"], "the plugin's spec was loaded at start-up"
    assert report["heavy"] == []


def test_the_plugin_passes_the_conformance_suite(et_site: Path, run_in) -> None:
    """Registered, the plugin's model gets every conformance check, and passes them."""
    done = run_in(et_site, "-m", "pytest", "tests/conformance", "-v", "-p", "no:cacheprovider",
                  MODELRACE_CONFORMANCE_MODELS="et")
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    outcomes = re.findall(r"^tests/conformance/\S+::(\w+)\[(\w+)\] (\w+)", done.stdout, flags=re.M)
    assert len(outcomes) >= 7, done.stdout[-3000:]
    assert {(key, outcome) for _, key, outcome in outcomes} == {("et", "PASSED")}
