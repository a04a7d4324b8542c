"""The Time to target tab on a hand-made result: the steps, the hover read-out, the sentence and the budgets."""

from __future__ import annotations

import pyqtgraph as pg

from modelrace.gui.window.profile_panel import ProfilePanel


def entry(points: list[tuple[float, float]]) -> dict:
    return {"status": "finished", "curve": [{"t": t, "step": i + 1, "unit": "epoch", "val_accuracy": a, "val_loss": 1.0}
                                            for i, (t, a) in enumerate(points)]}


RESULT = {"models": {"mlp": entry([(1, 0.60), (2, 0.70), (4, 0.80), (5, 0.85)]),
                     "rf": entry([(0.1, 0.65), (0.2, 0.75), (0.3, 0.78)])}}


#: The same race over two seeds (the second seed's curves end sooner and lower).
TWO_SEEDS = {"models": RESULT["models"], "repeats": {"count": 2, "runs": [
    {"models": RESULT["models"]},
    {"models": {"mlp": entry([(1, 0.60), (3, 0.82)]), "rf": entry([(0.1, 0.70), (0.4, 0.81)])}}]}}


def plain(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text).replace("\u00a0", " ")


def test_the_tab_draws_a_step_line_per_model_and_reads_out_every_target(qtbot) -> None:
    panel = ProfilePanel()
    qtbot.addWidget(panel)
    panel.show_result(RESULT)
    lines = [i for i in panel.plot.getPlotItem().items if isinstance(i, pg.PlotDataItem) and i.opts.get("stepMode")]
    assert len(lines) == 2
    assert plain(panel.sentence.text()) == "RandomForest was first up to 78.0%; above that only the MLP got there, after 4.00 s."
    assert plain(panel.readout_at(0.70)) == "to 70.0%: Keras MLP 2.00 s, RandomForest 0.20 s"
    assert plain(panel.readout_at(0.80)) == "to 80.0%: Keras MLP 4.00 s, RandomForest never"
    header = [panel.budgets.horizontalHeaderItem(c).text().replace("\u00a0", " ") for c in range(panel.budgets.columnCount())]
    assert header == ["Model", "by 1 s", "by 10 s", "by 60 s"]
    assert [panel.budgets.item(r, 1).text() for r in range(2)] == ["60.0%", "78.0%"]
    panel.show_result(None)
    assert panel.budgets.rowCount() == 0 and not [i for i in panel.plot.getPlotItem().items if isinstance(i, pg.PlotDataItem)]


def test_over_seeds_the_read_out_says_how_many_seeds_got_there(qtbot) -> None:
    panel = ProfilePanel()
    qtbot.addWidget(panel)
    panel.show_result(TWO_SEEDS)
    text = plain(panel.readout_at(0.80))
    assert "RandomForest" in text and "(1 of 2 seeds)" in text and "Keras MLP" in text and "(2 of 2 seeds)" in text


def test_the_band_says_what_it_is(qtbot) -> None:
    panel = ProfilePanel()
    qtbot.addWidget(panel)
    panel.show_result(TWO_SEEDS)
    assert panel.readout.text() == panel.band_note() and "fastest to the slowest seed" in panel.band_note()
    panel.show_result(RESULT)
    assert panel.band_note() == "" and panel.readout.text() == ""
