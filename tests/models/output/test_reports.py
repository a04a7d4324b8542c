"""Reports, CSV and the reproduction script, from real results."""

from __future__ import annotations

import copy
import csv
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main
from modelrace.models.data.opening import open_dataset
from modelrace.models.race.presets import load_preset
from modelrace.models.race.one_race import run_race
from modelrace.models.race.settings import RaceSettings
from modelrace.models.judging.headline import headline
from modelrace.models.output.csv_export import write_csv
from modelrace.models.output.html_report import html_report
from modelrace.models.output.reports import write_report
from modelrace.models.results.files import load_result, save_result


@pytest.fixture(scope="module")
def result(sample_file: Path, tmp_path_factory) -> dict:
    """A quick three-model race on 3,000 real rows, with a two-epoch MLP."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODELRACE_HOME", str(tmp_path_factory.mktemp("report-home")))
        preset = load_preset("quick")
        import dataclasses

        preset = dataclasses.replace(preset, models={**preset.models, "mlp": dataclasses.replace(preset.models["mlp"], epochs=2)})
        return run_race(open_dataset(str(sample_file)), RaceSettings(preset=preset, rows=3000))


def test_html_leads_with_the_headline_and_shows_each_accuracy_as_the_window_does(result: dict) -> None:
    page = html_report(result)
    assert html.escape(headline(result), quote=False) in page and html.escape(result["verdict"]["text"], quote=False) in page
    assert page.index(html.escape(headline(result), quote=False)) < page.index("<h2>Results</h2>")
    for key in ("mlp", "rf", "xgb"):
        accuracy = result["models"][key]["test_accuracy"]
        assert f"<td class=\"num\">{accuracy:.3f}</td>" in page  # as the window and the terminal show it
        assert repr(accuracy) not in page or len(repr(accuracy)) <= 5  # full precision stays in the JSON


def test_html_loads_no_external_resource(result: dict) -> None:
    page = html_report(result)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    sources = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page, flags=re.I)
    assert sources and all(s.startswith("data:") or s.startswith("#") for s in sources), sources
    assert not re.search(r"url\(\s*['\"]?(?!data:|#)", page), "CSS must not fetch anything"
    assert "@import" not in page
    # the embedded SVG charts reference only their own elements
    import base64

    for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page):
        svg = base64.b64decode(uri).decode()
        assert not re.search(r'(?:href|src)="(?!#|data:)', svg)


def test_user_text_is_escaped(result: dict) -> None:
    hostile = copy.deepcopy(result)
    hostile["dataset"]["name"] = "<script>alert(1)</script>"
    hostile["dataset"]["source"] = '"><img src=x onerror=alert(2)>.csv'
    hostile["dataset"]["classes"][0] = "<b>bold</b>"
    hostile["models"]["rf"]["error"] = "<script>x</script>"
    hostile["models"]["rf"]["status"] = "failed"
    page = html_report(hostile)
    assert "<script>" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert html.escape("<script>alert(1)</script>", quote=False) in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_pdf_renders(result: dict, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    write_report(result, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    import numpy as np
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    assert len(document) >= 5  # summary, curves, evidence, matrices, how it was made (each may take more pages)
    for index in range(len(document)):
        pixels = np.asarray(document[index].render(scale=40 / 72).to_pil().convert("L"))
        inked = float(np.mean(pixels < 200))
        assert 0.002 < inked < 0.6, f"page {index + 1} is blank or solid ({inked:.1%} inked)"


def test_csv_curves_match_the_json(result: dict, tmp_path: Path) -> None:
    curves, summary, profile, budgets = write_csv(result, tmp_path / "csv")
    rows = list(csv.DictReader(curves.open()))
    expected = [(k, p) for k, m in result["models"].items() for p in m["curve"]]
    assert len(rows) == len(expected)
    for row, (key, point) in zip(rows, expected):
        assert row["model"] == key
        assert float(row["t"]) == point["t"] and float(row["val_accuracy"]) == point["val_accuracy"]
        assert float(row["step"]) == point["step"] and row["unit"] == point["unit"]
    table = {r["model"]: r for r in csv.DictReader(summary.open())}
    assert float(table["xgb"]["test_accuracy"]) == result["models"]["xgb"]["test_accuracy"]
    steps = [r for r in csv.DictReader(profile.open()) if r["model"] == "rf"]
    best = max(p["val_accuracy"] for p in result["models"]["rf"]["curve"])
    assert float(steps[-1]["accuracy"]) == best, "the last step is the best accuracy the forest reached"
    assert [float(r["accuracy"]) for r in steps] == sorted(float(r["accuracy"]) for r in steps)
    budget_rows = {(r["model"], float(r["budget_seconds"])) for r in csv.DictReader(budgets.open())}
    assert ("mlp", 10.0) in budget_rows and len(budget_rows) == 9


def test_report_writes_are_atomic_and_clear(result: dict, tmp_path: Path, capsys) -> None:
    saved = tmp_path / "r.json"
    save_result(result, saved)
    missing = tmp_path / "no" / "such" / "report.html"
    assert main(["report", str(saved), "--report", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["report", str(saved), "--report", str(tmp_path / "r.html"), "--report", str(tmp_path / "r.pdf"),
                 "--csv", str(tmp_path / "csv")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "r.html", "r.json", "r.pdf"]  # no temporary leftovers


@pytest.mark.parametrize("content, words", [
    ("{not json", "not valid JSON"),
    ('{"schema": 99, "models": {}}', "newer modelrace"),
    ('{"hello": 1}', "not a modelrace result"),
])
def test_bad_result_files_get_a_clear_message(tmp_path: Path, capsys, content: str, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["report", str(path), "--report", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and not (tmp_path / "x.html").exists()


def _accuracies(output: str) -> dict[str, float]:
    return {name: float(value) for name, value in re.findall(r"^(RandomForest|XGBoost|Keras MLP) test accuracy: ([\d.]+)$",
                                                             output, flags=re.M)}


def test_exported_script_reproduces_the_tutorial_race(sample_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "race.json"
    assert main(["race", "--data", str(sample_file), "--preset", "tutorial", "--models", "rf,xgb", "--json", str(out)]) == 0
    script = tmp_path / "reproduce.py"
    assert main(["export-script", str(out), str(script)]) == 0
    assert not re.search(r"^\s*(import|from)\s+modelrace\b", script.read_text(), flags=re.M)
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    got = _accuracies(run.stdout)
    models = load_result(out)["models"]
    assert got["RandomForest"] == pytest.approx(models["rf"]["test_accuracy"], abs=0.005)
    assert got["XGBoost"] == pytest.approx(models["xgb"]["test_accuracy"], abs=0.005)


def test_exported_script_with_sampling_and_the_mlp(result: dict, sample_file: Path, tmp_path: Path) -> None:
    saved = tmp_path / "quick.json"
    save_result(result, saved)
    script = tmp_path / "reproduce.py"
    assert main(["export-script", str(saved), str(script)]) == 0
    run = subprocess.run([sys.executable, str(script), str(sample_file)], capture_output=True, text=True, timeout=600,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    got = _accuracies(run.stdout)
    assert got["RandomForest"] == pytest.approx(result["models"]["rf"]["test_accuracy"], abs=0.005)
    assert got["XGBoost"] == pytest.approx(result["models"]["xgb"]["test_accuracy"], abs=0.005)
    assert 0.0 < got["Keras MLP"] <= 1.0
