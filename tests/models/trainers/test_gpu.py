"""GPU detection and the device choice: found from nvidia-smi or the driver, never required, recorded."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.system import gpus as detection
from modelrace.models.trainers import devices as gpu
from modelrace.models.system.errors import ConfigError


@pytest.fixture
def no_gpu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A machine with neither nvidia-smi nor the NVIDIA driver."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(detection, "_PROC_GPUS", tmp_path / "no-driver")
    detection.detect_gpus.cache_clear()
    yield
    detection.detect_gpus.cache_clear()


def test_detects_gpus_listed_by_nvidia_smi(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    smi = bin_dir / "nvidia-smi"
    smi.write_text("#!/bin/sh\nprintf 'NVIDIA H200\\nNVIDIA H200\\n'\n")
    smi.chmod(smi.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    detection.detect_gpus.cache_clear()
    try:
        assert detection.detect_gpus() == ("NVIDIA H200", "NVIDIA H200")
        assert gpu.check_device("gpu") == "gpu"
    finally:
        detection.detect_gpus.cache_clear()


def test_falls_back_to_the_driver_when_nvidia_smi_is_absent(no_gpu, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    card = tmp_path / "driver" / "0000:01:00.0"
    card.mkdir(parents=True)
    (card / "information").write_text("Model: \t\t NVIDIA GeForce RTX 4060\nIRQ: 42\n")
    monkeypatch.setattr(detection, "_PROC_GPUS", tmp_path / "driver")
    assert detection.detect_gpus() == ("NVIDIA GeForce RTX 4060",)


def test_asking_for_a_missing_gpu_says_what_to_do(no_gpu) -> None:
    assert detection.detect_gpus() == ()
    assert gpu.check_device("cpu") == "cpu"
    with pytest.raises(ConfigError, match="no NVIDIA GPU was found.*--device cpu"):
        gpu.check_device("gpu")
    with pytest.raises(ConfigError, match="unknown device 'tpu'"):
        gpu.check_device("tpu")


def test_cli_refuses_gpu_on_a_machine_without_one(no_gpu, sample_file: Path, capsys) -> None:
    code = main(["race", "--data", str(sample_file), "--models", "rf", "--device", "gpu"])
    assert code == 2
    assert "no NVIDIA GPU was found" in capsys.readouterr().err


def test_xgboost_without_cuda_gets_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import xgboost

    monkeypatch.setattr(xgboost, "build_info", lambda: {"USE_CUDA": False})
    assert gpu.xgboost_device("cpu") == "cpu"
    with pytest.raises(ConfigError, match="no CUDA support"):
        gpu.xgboost_device("gpu")


def test_cpu_race_records_where_each_model_ran(sample_file: Path, tmp_path: Path, capsys) -> None:
    from modelrace.models.results.files import load_result

    out = tmp_path / "r.json"
    code = main(["race", "--data", str(sample_file), "--preset", "quick", "--rows", "2000", "--json", str(out)])
    assert code == 0, capsys.readouterr().err
    result = load_result(out)
    assert result["environment"]["device"] == "cpu"
    assert result["environment"]["gpus"] == list(detection.detect_gpus())
    assert result["models"]["mlp"]["params"]["device"].startswith("CPU")
    assert result["models"]["xgb"]["params"]["device"] == "cpu"
    assert "on the GPU" not in result["verdict"]["text"]


def test_window_offers_the_gpu_only_when_one_is_found(qtbot) -> None:
    from modelrace.gui.window.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.controls.use_gpu.toolTip() != "Looking for an NVIDIA GPU…", timeout=5000)
    win.controls.show_gpus(())
    assert not win.controls.use_gpu.isEnabled() and win.race_settings().device == "cpu"
    win.controls.show_gpus(("NVIDIA H200",))
    assert win.controls.use_gpu.isEnabled() and not win.controls.use_gpu.isChecked(), "the CPU stays the default"
    assert "slower" in win.controls.use_gpu.toolTip() and "H200" in win.controls.use_gpu.text()
    win.controls.use_gpu.setChecked(True)
    assert win.race_settings().device == "gpu"
