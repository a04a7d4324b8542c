"""The results table during a race: each model's row and bar as it finishes, then the full result in their place."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.race.events import ModelFinished, RaceFinished
from modelrace.models.system.formatting import accuracy
from modelrace.models.trainers.registry import label

RACE_TIMEOUT_MS = 180_000


def table_rows(win: MainWindow) -> dict[str, list[str]]:
    table = win.results.table
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())}


def bar_widths(win: MainWindow) -> list[float]:
    bars = [i for i in win.results.bars.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    return [float(w) for w in bars[0].opts["width"]] if bars else []


def test_each_models_row_and_bar_appear_as_it_finishes(qtbot, window: MainWindow) -> None:
    window.apply_preset("quick")
    window.dataset_panel.rows.setValue(2500)
    seen: list[dict] = []

    def watch(event: object) -> None:  # connected after the window's own handler: sees what it showed
        if isinstance(event, ModelFinished) and event.cell is None:
            seen.append({"model": event.model, "entry": dict(event.entry), "rows": table_rows(window),
                         "bars": bar_widths(window), "caption": window.results.caption.text(),
                         "live": window.results.is_live(), "result": window.result,
                         "strip": window.progress_strip.text(event.model)})
        elif isinstance(event, RaceFinished):
            seen.append({"finished": True})

    window.session.event.connect(watch)
    with qtbot.waitSignal(window.raceFinished, timeout=RACE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.controls.run_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]

    finished = [s for s in seen if "model" in s]
    raced = result["race"]["models"]
    assert len(finished) == len(raced) and "finished" not in seen[0], "every model ended before the race did"
    first = finished[0]
    name = label(first["model"])
    assert first["result"] is None and first["live"], "the race was still on"
    assert list(first["rows"]) == [name], "the first model's row, and only it"
    row = first["rows"][name]
    assert row[2] == accuracy(first["entry"]["test_accuracy"]), "its test accuracy"
    assert row[5] == first["strip"].split(" ")[0] == "finished"
    assert first["bars"] == [first["entry"]["test_accuracy"]]
    # The automatic target waits for every model: a time to it is marked provisional, and the caption says so.
    assert row[1].startswith("≈") or row[1] in ("never", "—")
    assert "so far" in first["caption"].lower() and "≈" in first["caption"]
    growing = [len(s["rows"]) for s in finished]
    assert growing == list(range(1, len(raced) + 1)), "a row more as each model finishes"
    # The race's result replaces the provisional rows: its final target, no marks, its own caption.
    assert not window.results.is_live()
    rows = table_rows(window)
    assert len(rows) == len(raced) and not any(cells[1].startswith("≈") for cells in rows.values())
    assert "so far" not in window.results.caption.text().lower()
    for key in raced:
        assert rows[label(key)][2] == accuracy(result["models"][key]["test_accuracy"])
