"""NaN and infinities are refused wherever a number is read (presets, flags, result files), and a model
whose loss stops being a number fails with a one-line reason instead of "finishing"."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data.opening import open_dataset
from modelrace.models.race.engine import run
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.results.files import load_result, save_result
from modelrace.models.system.errors import ConfigError
from modelrace.models.trainers import registry


@pytest.mark.parametrize("table, line", [
    ("mlp", "learning_rate = nan"), ("mlp", "learning_rate = inf"), ("mlp", "dropout = -inf"),
    ("xgb", "subsample = nan"), ("rf", "n_estimators = 1e400"), ("split", "test = nan"), ("race", "target_fraction = inf"),
])
def test_a_preset_with_a_non_finite_number_is_refused(tmp_path: Path, table: str, line: str, capsys) -> None:
    preset = tmp_path / "bad.toml"
    preset.write_text(f"[{table}]\n{line}\n")
    with pytest.raises(ConfigError):
        load_preset(str(preset))
    assert main(["race", "--preset", str(preset), "--models", "rf"]) == 2
    err = capsys.readouterr().err
    assert f"[{table}]" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN%", "inf%"])
def test_a_non_finite_target_is_refused(value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["race", f"--target={value}"])
    assert exit_info.value.code == 2 and "accuracy" in capsys.readouterr().err


@pytest.fixture(scope="module")
def saved(sample_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("nan-home")
        patch.setenv("MODELRACE_HOME", str(home))
        result = run(open_dataset(str(sample_file)), RaceSettings(load_preset("quick"), ["rf"], rows=2000))
        path = home / "r.json"
        save_result(result, path)
        return path


@pytest.mark.parametrize("field, value", [
    (("models", "rf", "test_accuracy"), "NaN"), (("models", "rf", "train_seconds"), "Infinity"),
    (("verdict", "target"), "NaN"), (("models", "rf", "curve", 0, "val_loss"), "-Infinity"),
])
def test_a_result_file_with_a_non_finite_number_is_refused(saved: Path, tmp_path: Path, field: tuple, value: str,
                                                           capsys, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(saved.read_text())
    holder = data
    for key in field[:-1]:
        holder = holder[key]
    holder[field[-1]] = "@@"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data).replace('"@@"', value))
    assert main(["report", str(bad), "--report", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert f"holds {value.lstrip('-')}" in err or f"holds {value}" in err
    assert not (tmp_path / "r.html").exists()
    from PySide6.QtWidgets import QMessageBox

    from modelrace.gui.window.main_window import MainWindow

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.open_results(bad) and "not a number JSON allows" in shown[-1]


def test_a_diverging_mlp_fails_with_a_reason_and_the_others_finish(sample_file: Path, tmp_path: Path) -> None:
    preset = tmp_path / "diverge.toml"
    preset.write_text("[mlp]\noptimizer = 'sgd'\nlearning_rate = 10.0\nmomentum = 0.99\ndecay = 0.0\nepochs = 4\n")
    settings = RaceSettings(load_preset(str(preset)), ["mlp", "rf"], rows=3000)
    result = run(open_dataset(str(sample_file)), settings)
    mlp = result["models"]["mlp"]
    assert mlp["status"] == "failed" and "diverged" in mlp["error"] and "lower the learning rate" in mlp["error"]
    assert all(math.isfinite(p["val_loss"]) for p in mlp["curve"])
    assert result["models"]["rf"]["status"] == "finished"
    save_result(result, tmp_path / "r.json")
    load_result(tmp_path / "r.json")  # modelrace opens what it wrote


@pytest.mark.parametrize("key", ["rf", "xgb"])
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_any_model_whose_scores_stop_being_numbers_fails(sample_file: Path, monkeypatch: pytest.MonkeyPatch, key: str,
                                                        bad: float) -> None:
    import dataclasses

    class Poisoned(registry.TRAINERS[key]):
        def fit(self, split, sink):
            class Sink:
                def put(self, step):
                    sink.put(dataclasses.replace(step, val_loss=bad) if step.step >= 5 else step)

                def stop_requested(self):
                    return sink.stop_requested()

            return super().fit(split, Sink())

    monkeypatch.setitem(registry.TRAINERS, key, Poisoned)
    result = run(open_dataset(str(sample_file)), RaceSettings(load_preset("quick"), [key], rows=2000))
    entry = result["models"][key]
    assert entry["status"] == "failed" and "diverged" in entry["error"]
    assert entry["curve"] and all(p["step"] < 5 and math.isfinite(p["val_loss"]) for p in entry["curve"])
