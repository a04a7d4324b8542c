"""The ``modelrace`` command end to end: a race with JSON, Ctrl+C, and the data commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.results.files import load_result


def test_race_prints_table_and_verdict_and_writes_json(sample_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.json"
    code = main(["race", "--data", str(sample_file), "--preset", "quick", "--models", "rf,xgb", "--rows", "3000",
                 "--seed", "2", "--target", "80%", "--json", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    result = load_result(out)
    assert result["verdict"]["target"] == 0.8 and result["verdict"]["target_source"] == "user"
    assert result["split"]["seed"] == 2 and result["dataset"]["rows"] == 3000
    assert result["models"]["mlp"]["status"] == "skipped"
    assert "RandomForest" in printed.out and "XGBoost" in printed.out and "Verdict:" in printed.out
    assert f"{result['models']['rf']['test_accuracy']:.3f}" in printed.out
    assert "cannot be judged" in " ".join(printed.out.split())  # no MLP raced (the verdict is wrapped at 100 columns)
    assert "rounds" in printed.err and "trees" in printed.err  # live progress went to stderr


def test_ctrl_c_keeps_finished_models_and_exits_130(sample_file: Path, tmp_path: Path, read_until, reaped) -> None:
    out = tmp_path / "stopped.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = reaped(subprocess.Popen(
        [sys.executable, "-m", "modelrace.gui", "race", "--data", str(sample_file), "--models", "rf,xgb,mlp",
         "--json", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    ))
    read_until(proc, "epochs")  # the MLP (last) has reported an epoch
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    result = json.loads(out.read_text())
    models = result["models"]
    assert models["rf"]["status"] == models["xgb"]["status"] == "finished"
    assert models["mlp"]["status"] == "stopped"
    assert 1 <= len(models["mlp"]["curve"]) < 20
    assert models["mlp"]["test_accuracy"] is not None
    assert result["race"]["stopped"] is True
    assert "Verdict:" in stdout


def test_data_import_list_remove(sample_file: Path, capsys) -> None:
    assert main(["data", "import", str(sample_file), "--name", "forest16k"]) == 0
    assert "forest16k" in capsys.readouterr().out
    assert main(["data", "list"]) == 0
    listing = capsys.readouterr().out
    assert "forest16k" in listing and "16,000" in listing and str(sample_file) in listing
    assert main(["data", "remove", "forest16k"]) == 0
    capsys.readouterr()
    assert main(["data", "list"]) == 0
    listing = capsys.readouterr().out
    assert "No cached datasets" in listing and "forest16k" not in listing
    assert "covtype-16k" in listing and "16,000" in listing and "read-only" in listing, "the bundled rows stay listed"


def test_race_by_cache_name(sample_file: Path, tmp_path: Path, capsys) -> None:
    assert main(["data", "import", str(sample_file), "--name", "cov"]) == 0
    out = tmp_path / "r.json"
    assert main(["race", "--data", "cov", "--models", "xgb", "--rows", "2000", "--json", str(out)]) == 0
    assert load_result(out)["dataset"]["name"] == "cov"


def test_generic_csv_race(tmp_path: Path, tiny_table, capsys) -> None:
    path = tmp_path / "plants.csv"
    tiny_table(rows=600).to_csv(path, index=False)
    out = tmp_path / "r.json"
    code = main(["race", "--data", str(path), "--target-column", "label", "--models", "rf,xgb", "--json", str(out)])
    assert code == 0, capsys.readouterr().err
    result = load_result(out)
    assert result["dataset"]["classes"] == ["kind_0", "kind_1", "kind_2"]
    assert result["models"]["rf"]["test_accuracy"] > 0.8


@pytest.mark.parametrize("bad", ["150", "abc", "0", "-0.5"])
def test_bad_target_accuracy(bad: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["race", "--data", "x", "--target", bad])
    assert exit_info.value.code == 2
    assert "accuracy" in capsys.readouterr().err


def test_a_failed_model_exits_1_after_writing_everything(sample_file: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from modelrace.models.trainers import registry
    class Broken(registry.TRAINERS["rf"]):
        def fit(self, split, sink):
            raise ValueError("injected")

    monkeypatch.setitem(registry.TRAINERS, "rf", Broken)
    out = tmp_path / "r.json"
    code = main(["race", "--data", str(sample_file), "--models", "rf,xgb", "--rows", "2000", "--json", str(out)])
    printed = capsys.readouterr()
    assert code == 1
    assert "RandomForest failed: ValueError: injected" in printed.out
    result = load_result(out)
    assert result["models"]["rf"]["status"] == "failed" and result["models"]["xgb"]["status"] == "finished"
