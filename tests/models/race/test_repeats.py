"""Repeated races and the data-size curve on the real sample."""

from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data.opening import open_dataset
from modelrace.models.system.errors import DataError
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.race.repeats import run_repeats
from modelrace.models.race.sizes import run_sizes
from modelrace.models.results.files import load_result
from modelrace.models.system.formatting import p_value


def test_quick_race_with_5_repeats_on_the_real_sample(sample_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "repeats.json"
    code = main(["race", "--data", str(sample_file), "--preset", "quick", "--repeats", "5", "--json", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    result = load_result(out)
    repeats = result["repeats"]
    assert repeats["count"] == 5 and repeats["seeds"] == [0, 1, 2, 3, 4]
    for key in ("mlp", "rf", "xgb"):
        summary = repeats["summary"][key]
        accuracy = summary["test_accuracy"]
        assert accuracy["n"] == 5 and accuracy["low"] < accuracy["mean"] < accuracy["high"]
        assert "time_to_target" in summary and summary["runs"] == 5
    # each seed changes the split and the models: the forest's test accuracy is not the same every time
    assert len({run["models"]["rf"]["test_accuracy"] for run in repeats["runs"]}) > 1
    assert len({run["seed"] for run in repeats["runs"]}) == 5
    pairs = {(p["a"], p["b"]) for p in repeats["pairwise"]}
    assert pairs == {("mlp", "rf"), ("mlp", "xgb"), ("rf", "xgb")}
    assert all(0 <= p["p_value"] <= 1 and 0 <= p["prob_a_better"] <= 1 for p in repeats["pairwise"])
    for run in repeats["runs"]:
        assert len(run["significance"]["mcnemar"]) == 3
    text = result["verdict"]["text"]
    assert "corrected resampled t-test" in text and "McNemar" in text and "p " in text
    assert "Over 5 seeds" in printed and "±" in printed


def test_repeats_use_one_target_for_every_run(sample_file: Path) -> None:
    settings = RaceSettings(preset=load_preset("quick"), models=["rf", "xgb"], rows=2000, repeats=3)
    result = run_repeats(open_dataset(str(sample_file)), settings)
    targets = {run["verdict"]["target"] for run in result["repeats"]["runs"]}
    assert len(targets) == 1 and targets == {result["repeats"]["target"]}
    assert result["verdict"]["claim_holds"] is None  # no MLP: the claim cannot be judged
    json.dumps(result["repeats"])


def test_size_curve(sample_file: Path) -> None:
    preset = load_preset("quick")
    preset = dataclasses.replace(preset, models={**preset.models, "mlp": dataclasses.replace(preset.models["mlp"], epochs=3)})
    result = run_sizes(open_dataset(str(sample_file)), RaceSettings(preset=preset, sizes=(800, 1600)))
    curve = result["size_curve"]
    assert curve["sizes"] == [800, 1600]
    assert [p["rows"] for p in curve["points"]] == [1250, 2500]
    assert result["split"]["train"] == 1600
    for point in curve["points"]:
        assert set(point["models"]) == {"mlp", "rf", "xgb"}
        assert point["models"]["rf"]["test_accuracy"]["mean"] > 0.5
    assert "training rows" in result["verdict"]["text"]


def test_sizes_larger_than_the_data_are_refused(sample_file: Path, capsys) -> None:
    with pytest.raises(DataError, match="largest training size possible is 10,240"):
        run_sizes(open_dataset(str(sample_file)), RaceSettings(preset=load_preset("quick"), sizes=(20000,)))
    assert main(["race", "--data", str(sample_file), "--sizes", "1000,90000"]) == 2
    assert "90000" in capsys.readouterr().err


def test_reports_show_repeats_p_values_bands_and_sizes(sample_file: Path, tmp_path: Path) -> None:
    from modelrace.models.output.html_report import html_report
    from modelrace.models.output.reports import write_report

    preset = load_preset("quick")
    preset = dataclasses.replace(preset, models={**preset.models, "mlp": dataclasses.replace(preset.models["mlp"], epochs=2)})
    result = run_sizes(open_dataset(str(sample_file)), RaceSettings(preset=preset, sizes=(600, 1200), repeats=2))
    page = html_report(result)
    assert "Corrected resampled t-test" in page and "McNemar" in page
    for pair in result["repeats"]["pairwise"]:
        assert html.escape(p_value(pair["p_value"]), quote=False) in page  # as the window shows it
    assert "By training-set size" in page
    # accuracy bars, accuracy curves, loss curves, the confidence-band chart and the size chart
    assert page.count("data:image/svg+xml") == 6  # + time to every target
    pdf = tmp_path / "r.pdf"
    write_report(result, pdf)
    assert pdf.stat().st_size > 10_000


def test_results_from_before_repeats_still_open_and_report(sample_file: Path, tmp_path: Path) -> None:
    from modelrace.models.output.html_report import html_report
    from modelrace.models.output.pdf_report import pdf_report
    from modelrace.models.results.files import save_result

    out = tmp_path / "new.json"
    assert main(["race", "--data", str(sample_file), "--models", "rf,xgb", "--rows", "2000", "--json", str(out)]) == 0
    old = json.loads(out.read_text())
    for key in ("significance", "profile"):  # blocks that results written before these features do not have
        old.pop(key)
    for key in ("reason", "simple_first_share", "timing_warning"):
        old["verdict"].pop(key, None)
    for model in old["models"].values():
        model.pop("contention", None)
    old_path = tmp_path / "old.json"
    old_path.write_text(json.dumps(old))
    loaded = load_result(old_path)
    page = html_report(loaded)
    assert "McNemar" not in page and "Corrected resampled" not in page, "no tests the old file did not have"
    assert "Time to every target" in page, "the profile is worked out from the curves, so an old file gets one"
    assert pdf_report(loaded).startswith(b"%PDF")
    assert main(["report", str(old_path), "--report", str(tmp_path / "old.html")]) == 0
    save_result(loaded, tmp_path / "again.json")
