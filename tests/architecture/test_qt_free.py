"""models/ never imports Qt, and importing the engine does not drag in TensorFlow, Keras or XGBoost."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import importlib, json, pkgutil, sys
import modelrace.models as models
names = sorted(m.name for m in pkgutil.walk_packages(models.__path__, "modelrace.models."))
for name in names:
    importlib.import_module(name)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6", "tensorflow", "keras", "xgboost", "jax"})
print(json.dumps({"modules": names, "heavy": heavy}))
"""


def test_engine_imports_without_qt_or_heavy_libraries() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(report["modules"]) >= 15, report["modules"]
    assert "modelrace.models.race.one_race" in report["modules"]
    assert report["heavy"] == []


def test_the_terminal_front_end_runs_without_qt() -> None:
    """Every module of gui.terminal imports without Qt (the import contracts say so statically; this runs it)."""
    script = ("import importlib, json, pkgutil, sys; import modelrace.gui.terminal as t; "
              "names = [m.name for m in pkgutil.walk_packages(t.__path__, 'modelrace.gui.terminal.')]; "
              "[importlib.import_module(n) for n in names]; "
              "print(json.dumps({'modules': names, 'qt': sorted(m for m in sys.modules if m.startswith(('PySide6', "
              "'shiboken6', 'pyqtgraph', 'superqt')))}))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert "modelrace.gui.terminal.race_command" in report["modules"] and len(report["modules"]) >= 8
    assert report["qt"] == []


def test_window_paints_before_any_ml_library_loads(tmp_path) -> None:
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MODELRACE_STARTUP_PROBE": "1", "MODELRACE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "modelrace.gui", "gui"], capture_output=True, text=True, env=env,
                         timeout=120, check=True)
    assert "first-paint heavy=-" in out.stdout, out.stdout  # no tensorflow, keras, xgboost, sklearn, scipy, pandas, dask


def test_dask_loads_only_when_a_grid_runs_on_it() -> None:
    """Both front ends, the engine and every module a grid's front end needs first, without Dask in memory."""
    script = ("import sys; import modelrace.gui.terminal.main, modelrace.gui.terminal.race_command, "
              "modelrace.gui.terminal.grid_command, modelrace.gui.window.app, modelrace.gui.window.main_window, "
              "modelrace.models.race.engine, modelrace.models.cluster.grid_plan, modelrace.models.cluster.records; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout
    probe = subprocess.run([sys.executable, "-c", "import sys, modelrace.models.cluster.grid; "
                            "print('distributed' in sys.modules)"], capture_output=True, text=True, timeout=120)
    assert probe.stdout.strip() == "False", "the grid itself imports Dask only when it connects"
