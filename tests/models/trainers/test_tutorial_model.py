"""The ``tutorial`` preset is the seed's model exactly, in today's Keras 3 API."""

from __future__ import annotations

from modelrace.models.trainers.keras_setup import import_keras
from modelrace.models.race.presets import load_preset
from modelrace.models.trainers.mlp import build_model


def test_tutorial_preset_settings() -> None:
    preset = load_preset("tutorial")
    mlp = preset.models["mlp"]
    assert (mlp.hidden, mlp.dropout, mlp.activation, mlp.l2) == ((64, 32), 0.5, "relu", 0.0)
    assert (mlp.optimizer, mlp.learning_rate, mlp.decay) == ("adam", 0.001, 1e-5)
    assert (mlp.batch_size, mlp.epochs) == (32, 20)
    assert (preset.split.test, preset.split.validation, preset.split.seed) == (0.2, 0.2, 0)
    # scikit-learn and XGBoost defaults
    assert preset.models["rf"].n_estimators == 100 and preset.models["rf"].max_depth == 0
    assert preset.models["xgb"].n_estimators == 100 and preset.models["xgb"].max_depth == 6
    assert preset.models["xgb"].learning_rate == 0.3


def test_tutorial_architecture_and_optimizer() -> None:
    keras, _ = import_keras(2)
    model = build_model(keras, load_preset("tutorial").models["mlp"], n_features=54, n_classes=7)
    layers = [(type(layer).__name__, layer.get_config()) for layer in model.layers]
    assert [name for name, _ in layers] == ["Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert (layers[0][1]["units"], layers[0][1]["activation"]) == (64, "relu")
    assert layers[1][1]["rate"] == 0.5
    assert (layers[2][1]["units"], layers[2][1]["activation"]) == (32, "relu")
    assert layers[3][1]["rate"] == 0.5
    assert (layers[4][1]["units"], layers[4][1]["activation"]) == (7, "softmax")
    assert model.input_shape == (None, 54)
    assert all(layer.get_config().get("kernel_regularizer") is None for layer in model.layers)
    assert model.count_params() == 54 * 64 + 64 + 64 * 32 + 32 + 32 * 7 + 7

    optimizer = model.optimizer
    assert type(optimizer).__name__ == "Adam"
    schedule = optimizer.learning_rate if callable(optimizer.learning_rate) else optimizer._learning_rate
    config = schedule.get_config()
    assert type(schedule).__name__ == "InverseTimeDecay"
    assert (config["initial_learning_rate"], config["decay_steps"], config["decay_rate"]) == (0.001, 1, 1e-5)
    # Keras 1/2's decay: lr / (1 + decay * iterations)
    assert float(schedule(1000)) == __import__("pytest").approx(0.001 / (1 + 1e-5 * 1000), rel=1e-6)
    assert model.loss == "categorical_crossentropy"


def test_jax_backend_race_records_and_names_its_backend(sample_file, tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys

    out = tmp_path / "jax.json"
    env = {**os.environ, "MODELRACE_HOME": str(tmp_path / "home")}
    env.pop("KERAS_BACKEND", None)
    proc = subprocess.run(
        [sys.executable, "-m", "modelrace.gui", "race", "--data", str(sample_file), "--preset", "tutorial",
         "--keras-backend", "jax", "--models", "mlp,rf", "--rows", "4000", "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert result["environment"]["keras_backend"] == "jax"
    assert result["models"]["mlp"]["params"]["backend"] == "jax"
    assert result["models"]["mlp"]["test_accuracy"] > 0.5
    assert result["verdict"]["text"].endswith("The MLP ran on Keras with the JAX backend.")


def test_backend_choice_errors_are_clear(monkeypatch) -> None:
    import importlib.util

    import pytest

    from modelrace.models.system.errors import ConfigError
    from modelrace.models.trainers.keras_setup import choose_backend

    import_keras(1)  # this process runs Keras on TensorFlow now
    with pytest.raises(ConfigError, match="already runs on tensorflow.*next start"):
        choose_backend("jax")
    with pytest.raises(ConfigError, match="unknown Keras backend 'theano'"):
        choose_backend("theano")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "jax" else real(name, *a))
    with pytest.raises(ConfigError, match=r"pip install 'modelrace\[jax\]'"):
        choose_backend("jax")
