"""A real race grid on a LocalCluster of 2 workers: same accuracies as on one machine, live steps, files that open."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import psutil

from modelrace.models.cluster.grid_plan import cell_settings, plan_cells
from modelrace.models.data import bundled
from modelrace.models.race.engine import run
from modelrace.models.results.files import load_result


def test_every_cell_ran_on_a_worker_and_is_recorded(grid_run: dict) -> None:
    block = grid_run["result"]["cluster"]
    cells = block["cells"]
    assert block["kind"] == "local" and block["workers"] == 2 and block["threads_per_race"] == 1
    assert [c["key"] for c in cells] == [c.key for c in plan_cells(grid_run["settings"])]
    assert {c["state"] for c in cells} == {"finished"} and block["planned_cells"] == 4
    assert len({c["worker"] for c in cells}) == 2, "both workers raced cells"
    for cell in cells:
        assert cell["host"] and cell["cpu"] and cell["cores"] >= 1 and cell["threads"] == 1 and cell["attempts"] == 1
        assert 0 < cell["train_seconds"] < cell["wall_seconds"], "a cell's wall time includes its models' training"
        assert cell["result"]["race"]["mode"] == "fair"
        assert cell["result"]["split"]["seed"] == cell["seed"]
        train_rows = cell["result"]["split"]["train"]
        assert train_rows == cell["size"], "each cell trained on exactly its training-set size"


def test_rf_and_xgb_match_the_same_cells_raced_without_the_cluster(grid_run: dict) -> None:
    """Dask changes where a cell runs, not what it computes: RandomForest and XGBoost are deterministic."""
    dataset = bundled.load()
    settings = grid_run["settings"]
    for cell in grid_run["result"]["cluster"]["cells"]:
        planned = next(c for c in plan_cells(settings) if c.key == cell["key"])
        alone = run(dataset, dataclasses.replace(cell_settings(settings, planned, threads=1), models=["rf", "xgb"]))
        for key in ("rf", "xgb"):
            assert cell["result"]["models"][key]["test_accuracy"] == alone["models"][key]["test_accuracy"], (cell["key"], key)
            assert cell["result"]["models"][key]["confusion_matrix"] == alone["models"][key]["confusion_matrix"]


def test_the_result_has_the_same_blocks_as_a_size_curve_on_one_machine(grid_run: dict) -> None:
    result = grid_run["result"]
    assert result["size_curve"]["sizes"] == [1000, 2000] and not result["size_curve"]["interrupted"]
    assert result["repeats"]["count"] == 2 and result["repeats"]["seeds"] == [0, 1]
    assert result["split"]["train"] == 2000, "the top level is the largest size's combined result"
    finished = {c["key"]: c["result"] for c in result["cluster"]["cells"]}
    largest = [finished["seed0-size2000"], finished["seed1-size2000"]]
    for key in ("mlp", "rf", "xgb"):
        scores = [run["models"][key]["test_accuracy"] for run in largest]
        assert abs(result["repeats"]["summary"][key]["test_accuracy"]["mean"] - sum(scores) / 2) < 1e-9
    point = result["size_curve"]["points"][0]
    small = [finished["seed0-size1000"]["models"]["rf"]["test_accuracy"],
             finished["seed1-size1000"]["models"]["rf"]["test_accuracy"]]
    assert abs(point["models"]["rf"]["test_accuracy"]["mean"] - sum(small) / 2) < 1e-9
    assert result["verdict"]["text"] and result["verdict"]["claim_holds"] in (True, False, None)


def test_steps_arrive_while_cells_train(grid_run: dict) -> None:
    # How fast they arrive is a benchmark's question (tests/benchmarks/bench_grid.py), not a test's: busy laptops pass.
    events = grid_run["events"]
    for key in {e[1] for e in events}:
        mine = [e for e in events if e[1] == key]
        finished_at = next(e[2] for e in mine if e[0] == "finished")
        batches = [e for e in mine if e[0] == "steps"]
        early = [e for e in batches if e[2] < finished_at - 0.5]
        assert len(early) >= 3, f"{key}: steps came in {len(batches)} batches, {len(early)} well before the cell ended"
        assert sum(len(e[3]) for e in batches) >= 20


def test_the_json_is_written_and_opens_in_report(grid_run: dict, tmp_path: Path) -> None:
    saved = load_result(grid_run["path"])  # schema-checked
    result = json.loads(json.dumps(grid_run["result"]))
    assert saved["size_curve"] == result["size_curve"] and saved["repeats"] == result["repeats"]
    assert [(c["key"], c["state"], c["result"]["models"]["mlp"]["curve"]) for c in saved["cluster"]["cells"]] == \
        [(c["key"], c["state"], c["result"]["models"]["mlp"]["curve"]) for c in result["cluster"]["cells"]]
    html = tmp_path / "grid.html"
    done = subprocess.run([sys.executable, "-m", "modelrace.gui.terminal.main", "report", str(grid_run["path"]),
                           "--report", str(html)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    page = html.read_text()
    assert "By training-set size (2 seed(s) each)" in page and html.stat().st_size > 10_000
    assert "Where the cells ran: 4 of 4 finished on 2 worker(s)" in page


def test_the_pdf_says_where_the_cells_ran(grid_run: dict) -> None:
    import pypdfium2

    from modelrace.models.output.pdf_report import pdf_report

    pdf = pypdfium2.PdfDocument(pdf_report(load_result(grid_run["path"])))
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Where the cells ran: 4 of 4 finished" in text and "Median cell wall" in text


def test_no_worker_process_is_left_after_the_grid(grid_run: dict) -> None:
    workers = [p for p in psutil.Process().children(recursive=True)
               if "resource_tracker" not in " ".join(p.cmdline()) and p.status() != psutil.STATUS_ZOMBIE]
    assert workers == []
