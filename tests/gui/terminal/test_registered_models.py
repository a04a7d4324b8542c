"""The terminal names the models from the registry: ``--models`` help lists every registered model and the default,
a plugin left out is one warning line at the start of a race or the window, and the progress rows fit 80 columns
for every registered model raced at once (long names and units included)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest

from modelrace.gui.terminal.main import main
from modelrace.gui.terminal.progress import TerminalProgress
from modelrace.models.race.events import ModelFinished, ModelStarted, RaceStarted, Steps
from modelrace.models.trainers import registry
from modelrace.models.trainers.configs import setting
from modelrace.models.trainers.protocol import Step, Trainer
from modelrace.models.trainers.spec import Library, ModelSpec

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LEFT_OUT = "plugin modelrace-zz (zz = modelrace_zz:SPEC) was left out: ImportError: no module named zzlib"


def fake_spec(key: str, label: str, short: str, unit: str) -> ModelSpec:
    """A registered model with these names and unit (never fitted here)."""

    @dataclass(frozen=True)
    class FakeConfig:
        steps: int = setting(3, "Steps", "Steps to take.", minimum=1, maximum=10)

    class FakeTrainer(Trainer):
        def planned_steps(self) -> int:
            return self.config.steps

        def fit(self, split: Any, sink: Any) -> Any:
            raise NotImplementedError

    return ModelSpec(key=key, label=label, short_label=short, unit=unit, config=FakeConfig, trainer=FakeTrainer,
                     side="simpler", libraries=(Library("sklearn.ensemble", "scikit-learn", "scikit-learn"),),
                     repro=lambda *args: "")


def test_models_help_lists_every_registered_model_with_its_name_and_the_default(register, capsys,
                                                                                monkeypatch) -> None:
    register(fake_spec("zzfake", "Fake Forest", "FF", "tree"))
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(["race", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    start = text.index("--models MODELS comma list")
    listed = text[start:text.index("--mode {fair,simultaneous} fair", start)]
    for key in registry.specs():
        assert f"{key} ({registry.label(key)})" in listed, key
    assert "zzfake (Fake Forest)" in listed
    assert f"default: {','.join(registry.DEFAULT_MODELS)}" in listed


def test_a_plugin_left_out_is_one_warning_line_at_the_start_of_a_race(register, capsys) -> None:
    register(problems=(LEFT_OUT, LEFT_OUT.replace("zz", "yy")))
    assert main(["race", "--models", "nosuchmodel"]) == 2
    err = capsys.readouterr().err.splitlines()
    warnings = [line for line in err if line.startswith("modelrace: warning:")]
    assert warnings == [f"modelrace: warning: {LEFT_OUT}", f"modelrace: warning: {LEFT_OUT.replace('zz', 'yy')}"]
    assert err.index(warnings[-1]) < next(i for i, line in enumerate(err) if "unknown model" in line)
    with pytest.raises(SystemExit):
        main(["race", "--help"])
    assert "warning" not in capsys.readouterr().err, "help is not a race"


def test_a_plugin_left_out_is_said_once_when_the_window_starts(register, capsys, monkeypatch) -> None:
    import modelrace.gui.window.app as app

    register(problems=(LEFT_OUT,))
    monkeypatch.setattr(app, "run_app", lambda argv: 0)
    assert main(["gui"]) == 0
    assert capsys.readouterr().err.splitlines() == [f"modelrace: warning: {LEFT_OUT}"]
    assert main(["gui", "--help"]) == 0
    assert capsys.readouterr().err == ""


class Log(io.StringIO):
    """A private stream the progress may close: keep what it holds readable."""

    def close(self) -> None:
        pass


class Terminal(Log):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def race_all(progress: TerminalProgress, plan: dict[str, int]) -> None:
    """Every model of ``plan`` trained to the end, one after another, as a fair race shows it."""
    progress(RaceStarted(plan, {"train": 600, "validation": 200, "test": 200, "seed": 0},
                         {"name": "rows", "rows": 1000, "classes": [1, 2, 3]}))
    for key, total in plan.items():
        progress(ModelStarted(key))
        for done in range(1, total + 1):
            progress(Steps((Step(key, float(done), registry.unit(key), total, done * 0.1, done * 0.1, 0.8, 0.5),)))
        progress(ModelFinished(key, {"status": "finished", "train_seconds": 12.34, "test_accuracy": 0.8123,
                                     "error": None}))
    progress.close()


@pytest.mark.parametrize("stream", [Log, Terminal])
def test_every_registered_model_gets_a_progress_row_within_80_columns(stream: type, register, monkeypatch) -> None:
    register(fake_spec("zzlong", "An Extremely Long Model Name", "Long", "iteration"))
    monkeypatch.setenv("COLUMNS", "80")
    plan = {key: 120 for key in registry.specs()}
    out = stream()
    race_all(TerminalProgress(out), plan)
    lines = [ANSI.sub("", line).replace("\u00a0", " ") for line in out.getvalue().splitlines()]
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    for key in plan:
        name = registry.label(key) if len(registry.label(key)) <= 12 else registry.short_label(key)
        ends = [line for line in lines if line.startswith(name + " ") and "120/120" in line]
        assert ends and "finished 12.3 s · test 0.812" in ends[-1], (key, ends)
        assert len(ends[-1].split("\n")) == 1
    assert "An Extremely Long Model Name" not in "\n".join(lines), "too long for 80 columns: the short name"


def test_a_wider_terminal_gives_a_long_name_room(register, monkeypatch) -> None:
    register(fake_spec("zzlong", "An Extremely Long Model Name", "Long", "iteration"))
    monkeypatch.setenv("COLUMNS", "100")
    out = Terminal()
    race_all(TerminalProgress(out), {"zzlong": 4, **{key: 4 for key in registry.DEFAULT_MODELS}})
    lines = [ANSI.sub("", line).replace("\u00a0", " ") for line in out.getvalue().splitlines()]
    assert any(line.startswith("An Extremely Long Model Name ") for line in lines)
    assert all(len(line) <= 100 for line in lines)
