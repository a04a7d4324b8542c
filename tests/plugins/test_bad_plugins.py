"""Broken plugins are each left out with one line naming them, and every other model still races.

Each is a package of its own, installed together: one whose module fails to import, one that takes
the key 'rf', one whose ``ModelSpec(...)`` leaves out a field (a TypeError at import), one whose entry
point names a dict instead of a spec, and a well-formed one whose fit raises.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelrace.models.trainers import registry

from .conftest import install

#: Each plugin left out at start-up (its distribution's name) and a word of why, as its line says it.
LEFT_OUT = {
    "modelrace-bad-import": "ModuleNotFoundError: No module named 'modelrace_no_such_dependency'",
    "modelrace-taken-key": "the key 'rf' is already RandomForest's",
    "modelrace-missing-field": "TypeError: ModelSpec.__init__() missing 1 required positional argument: 'side'",
    "modelrace-not-a-spec": "is a dict, not a modelrace ModelSpec",
}
FAILING_FIT = "the failing-fit plugin broke on purpose"  # modelrace_failing_fit.MESSAGE
PACKAGES = ["bad_import", "taken_key", "missing_field", "not_a_spec", "failing_fit"]


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the five bad plugins."""
    return install(PACKAGES, tmp_path_factory.mktemp("bad-plugins"))


def lines_naming(text: str, name: str) -> list[str]:
    """The lines of ``text`` that name ``name``."""
    return [line for line in text.splitlines() if name in line]


def test_the_registry_leaves_each_bad_plugin_out_with_one_line(bad_site: Path, run_in) -> None:
    script = ("import json; from modelrace.models.trainers import registry; "
              "print(json.dumps({'keys': list(registry.MODEL_KEYS), 'problems': registry.problems(), "
              "'rf': registry.label('rf'), 'rf_trainer': registry.trainer_class('rf').__name__}))")
    done = run_in(bad_site, "-c", script)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["keys"] == [*registry.MODEL_KEYS, "boom"], "modelrace's own models and the well-formed plugin"
    assert report["rf"] == "RandomForest" and report["rf_trainer"] == "ForestTrainer", "rf is still modelrace's"
    assert len(report["problems"]) == len(LEFT_OUT)
    for plugin, why in LEFT_OUT.items():
        named = [line for line in report["problems"] if plugin in line]
        assert len(named) == 1 and why in named[0] and "\n" not in named[0], report["problems"]


def test_the_other_models_race_while_each_bad_plugin_gets_one_line(bad_site: Path, run_in, tmp_path: Path) -> None:
    path = tmp_path / "race.json"
    done = run_in(bad_site, "-m", "modelrace.gui", "race", "--models", "rf", "--rows", "2000", "--preset", "quick",
                  "--json", str(path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(path.read_text())["models"]["rf"]["status"] == "finished"
    for plugin, why in LEFT_OUT.items():
        named = lines_naming(done.stderr, plugin)
        assert len(named) == 1 and why in named[0], f"{plugin}: {named}\n{done.stderr[-3000:]}"
    assert not any(plugin in done.stdout for plugin in LEFT_OUT), "the warnings go to stderr only"


def test_a_plugin_whose_fit_raises_fails_in_its_own_entry(bad_site: Path, run_in, tmp_path: Path) -> None:
    path = tmp_path / "race.json"
    done = run_in(bad_site, "-m", "modelrace.gui", "race", "--models", "rf,boom", "--rows", "2000", "--preset",
                  "quick", "--json", str(path))
    assert done.returncode == 1, "a model failed: the race says so in its exit status"
    models = json.loads(path.read_text())["models"]
    assert models["boom"]["status"] == "failed" and FAILING_FIT in models["boom"]["error"]
    assert models["boom"]["test_accuracy"] is None
    assert models["rf"]["status"] == "finished" and models["rf"]["test_accuracy"] > 0
    assert FAILING_FIT in done.stdout + done.stderr, "the terminal says why it failed"


def test_a_plugin_reusing_modelrace_s_trainer_leaves_rf_as_it_was(run_in, tmp_path: Path) -> None:
    site = install(["reuses_trainer"], tmp_path)
    script = ("import json; from modelrace.models.trainers import registry; "
              "made = {k: registry.trainer_class(k)(registry.spec(k).config(), 1, 0) for k in ('rf', 'rf_deep')}; "
              "print(json.dumps({k: [t.key, t.unit] for k, t in made.items()}))")
    done = run_in(site, "-c", script)
    assert done.returncode == 0, done.stderr[-3000:]
    trainers = json.loads(done.stdout.strip().splitlines()[-1])
    assert trainers == {"rf": ["rf", "tree"], "rf_deep": ["rf_deep", "deep tree"]}
