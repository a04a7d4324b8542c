"""Opening a result sets every control to that result's settings, so Run races what the screen shows.

Found: after Open results, Repeats stayed at 1 for a 3-seed result, and the cards said "tutorial" while
showing the quick preset's values; Run then raced something else.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.results.files import load_result


def opened(qtbot, path: Path) -> MainWindow:
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.show()
    window.apply_preset("tutorial")  # controls that differ from the result's everywhere it matters
    window.controls.repeats.setValue(1)
    assert window.open_results(path)
    return window


def test_run_after_open_races_the_result_s_settings(qtbot, saved_repeats: Path, sample_file: Path) -> None:
    from modelrace.models.data.opening import open_dataset

    open_dataset(str(sample_file))  # the result's dataset is on this machine too
    result = load_result(saved_repeats)
    window = opened(qtbot, saved_repeats)
    settings = window.race_settings()
    assert settings.preset.name == result["preset"] == "quick"
    assert settings.repeats == result["repeats"]["count"] == 2
    assert settings.rows == result["dataset"]["rows"] == 2000
    assert settings.target is None and settings.sizes == ()
    assert list(settings.models) == result["race"]["models"] and settings.mode == result["race"]["mode"]
    assert settings.seed == result["split"]["seed"]
    assert (settings.preset.split.test, settings.preset.split.validation) == (
        result["split"]["test_fraction"], result["split"]["validation_fraction"])
    for key, model in result["models"].items():
        assert json.loads(json.dumps(dataclasses.asdict(settings.preset.models[key]))) == model["config"], key
        assert window.cards[key].preset_name() == "quick", "the cards name the preset their values are"
    assert window.dataset_panel.selected() == result["dataset"]["name"]
    assert window.settings_note.isVisible() and saved_repeats.name in window.settings_note.text()
    assert "except" not in window.settings_note.text()


def test_settings_no_preset_has_are_called_custom_and_what_cannot_be_set_is_said(qtbot, saved_repeats: Path,
                                                                                 tmp_path: Path) -> None:
    data = json.loads(saved_repeats.read_text())
    data["models"]["mlp"]["config"]["hidden"] = [32, 16]
    data["race"]["models"] = ["mlp", "xgb"]
    data["models"]["rf"]["note"] = "not selected"
    data["verdict"]["target_source"] = "user"
    data["verdict"]["target"] = 0.8
    data["dataset"]["name"] = "a-lesson-elsewhere"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    window = opened(qtbot, path)
    settings = window.race_settings()
    assert settings.target == 0.8
    assert list(settings.models) == ["mlp", "xgb"] and not window.cards["rf"].isChecked()
    assert list(settings.preset.models["mlp"].hidden) == [32, 16]
    assert window.cards["mlp"].preset_name() == "custom" and window.cards["xgb"].preset_name() == "quick"
    note = window.settings_note.text()
    assert "a-lesson-elsewhere" in note and "not on this machine" in note
    window.apply_preset("quick")  # the note goes: the controls are the preset's now
    assert not window.settings_note.isVisible()


def test_settings_the_controls_cannot_take_are_said_not_raised(qtbot, saved_repeats: Path, tmp_path: Path) -> None:
    data = json.loads(saved_repeats.read_text())
    data["split"]["test_fraction"] = 0.0  # a file's value no split takes
    data["repeats"]["planned"] = 500  # more seeds than the Repeats box takes
    data["preset"] = "lesson.toml"  # a preset file of another machine
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data))
    window = opened(qtbot, path)  # no exception in the event loop (pytest-qt fails the test on one)
    note = window.settings_note.text()
    for words in ("its test share (0.0)", "its repeats (500)", "its preset (lesson.toml)"):
        assert words in note, (words, note)
    settings = window.race_settings()  # and what Run races is what the controls show
    assert settings.repeats == window.controls.repeat_count() <= 50 and 0 < settings.preset.split.test < 1
