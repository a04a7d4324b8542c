"""Conformance: a model's result round-trips through JSON and opens in the window with its curve and row."""

from __future__ import annotations

import json
import math
from typing import Any

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.output.summary_table import COLUMNS
from modelrace.models.results.files import load_result, save_result
from modelrace.models.trainers import registry


def as_json(value: Any) -> Any:
    """``value`` as JSON holds it: NaN and infinities become null (save_result's rule), tuples lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(item) for item in value]
    return value


def test_the_result_round_trips_through_json(model_key: str, race_of, tmp_path) -> None:
    raced = race_of(model_key)
    loaded = load_result(raced.path)  # validated against the schema and the registry
    assert loaded == as_json(json.loads(json.dumps(raced.result))), "nothing is lost or changed on the way"
    entry = loaded["models"][model_key]
    assert entry["status"] == "finished" and entry["unit"] == registry.unit(model_key)
    assert len(entry["curve"]) == len(raced.steps)
    again = tmp_path / "again.json"
    save_result(loaded, again)
    assert again.read_bytes() == raced.path.read_bytes(), "saving what was opened writes the same file"


def test_the_saved_result_opens_in_the_window(qtbot, model_key: str, race_of) -> None:
    raced = race_of(model_key)
    entry = raced.entry(model_key)
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.show()
    assert window.open_results(raced.path)
    assert window.plots.point_count(model_key) == len(entry["curve"]) > 0
    assert window.cards[model_key].isChecked(), "its card is ticked, as the race had it"
    table = window.results.table
    columns = [name for name, _ in COLUMNS]
    rows = {table.item(row, columns.index("Model")).text(): row for row in range(table.rowCount())}
    assert list(rows) == [registry.label(model_key)], "one row: the model raced"
    row = rows[registry.label(model_key)]
    assert table.item(row, columns.index("Test acc")).text() == f"{entry['test_accuracy']:.3f}"
    assert table.item(row, columns.index("Status")).text() == "finished"
