"""The reports as a reader sees them: PDF pages measured on their pixels and text, the HTML's order and
names, settings in words, log time axes, bands, chances, the CSV files the window names.

The results are real races on the bundled rows (a saved 2-seed race of all three models on 2,000 rows,
shared with the window's tests); a few tests reshape a copy of one to reach a case (a third seed,
curves that end far apart).
"""

from __future__ import annotations

import copy
import ctypes
import html
import re
from pathlib import Path

import numpy as np
import pytest

from modelrace.models.output import charts
from modelrace.models.output.csv_export import csv_file_names, write_csv
from modelrace.models.output.evidence import CHANCE_HEADING, chance, evidence_tables
from modelrace.models.output.facts import data_source, file_name, public_text
from modelrace.models.output.html_report import ACCURACY_CHART_ALT, html_report
from modelrace.models.output.pdf_layout import MARGIN, MM
from modelrace.models.output.pdf_report import pdf_report
from modelrace.models.output.settings_rows import config_rows
from modelrace.models.results.document import raced_models
from modelrace.models.results.files import load_result
from modelrace.models.trainers.registry import LABELS

EDGE_MM = 15  # nothing may be drawn closer than this to a page's edge
RENDER_SCALE = 2.0  # 144 dpi


@pytest.fixture(scope="module")
def result(saved_race) -> dict:
    """A real 2-seed race of all three models on 2,000 rows."""
    return load_result(saved_race("--preset", "quick", "--rows", "2000", "--repeats", "2"))


@pytest.fixture(scope="module")
def pdf(result: dict) -> bytes:
    return pdf_report(result)


def _pages(pdf: bytes):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return document, [document[i] for i in range(len(document))]


# ------------------------------------------------------------------------------------------------- PDF
def test_every_pdf_page_keeps_15_mm_margins(pdf: bytes, tmp_path: Path) -> None:
    _, pages = _pages(pdf)
    assert len(pages) >= 5, "summary, curves, evidence, matrices, how it was made"
    for number, page in enumerate(pages, start=1):
        image = page.render(scale=RENDER_SCALE).to_pil().convert("L")
        pixels = np.asarray(image)
        per_mm = pixels.shape[1] / 210
        edge = int(np.ceil(EDGE_MM * per_mm))
        inked = pixels < 245
        assert inked[edge:-edge, edge:-edge].any(), f"page {number} is blank"
        border = inked.copy()
        border[edge:-edge, edge:-edge] = False
        rows, columns = np.nonzero(border)
        assert rows.size == 0, (f"page {number}: ink within {EDGE_MM} mm of an edge, e.g. at "
                                f"{columns[0] / per_mm:.1f} mm from the left, {rows[0] / per_mm:.1f} mm from the top")


def test_every_pdf_page_says_page_n_of_n(pdf: bytes) -> None:
    _, pages = _pages(pdf)
    for number, page in enumerate(pages, start=1):
        text = page.get_textpage().get_text_range()
        assert f"page {number} of {len(pages)}" in text


def _characters(page) -> list[tuple[str, float, str]]:
    """(character, font size in points, font name) of every visible character of a page."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    found = []
    for index in range(textpage.count_chars()):
        character = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
        if character.isspace():
            continue
        raw.FPDFText_GetFontInfo(textpage.raw, index, name, 256, ctypes.byref(flags))
        found.append((character, raw.FPDFText_GetFontSize(textpage.raw, index), name.value.decode("latin-1")))
    return found


def test_pdf_text_is_proportional_and_9_to_10_points(pdf: bytes) -> None:
    _, pages = _pages(pdf)
    for number, page in enumerate(pages, start=1):
        characters = _characters(page)
        assert characters, f"page {number} has no text"
        fonts = {font for _, _, font in characters}
        assert not any("mono" in font.lower() for font in fonts), f"page {number}: monospace text ({fonts})"
        sizes = np.array([size for _, size, _ in characters])
        assert sizes.min() >= 6.0, f"page {number}: text of {sizes.min():.1f} pt"
        readable = float(np.mean(sizes >= 8.0))
        assert readable >= 0.9, f"page {number}: only {readable:.0%} of its characters are 8 pt or more"


def test_pdf_tables_are_tables_with_headings(pdf: bytes, result: dict) -> None:
    _, pages = _pages(pdf)
    text = "\n".join(page.get_textpage().get_text_range() for page in pages)
    # Each header cell stands on its own, not run into a line of monospace columns.
    for heading in ("How sure can we be?", "Configuration", "Split and seeds", "Data", "Environment", "Costs"):
        assert heading in text
    for header in ("To target", "Test acc", "Pair A vs B", "p-value", CHANCE_HEADING, "Hidden layers"):
        assert header in text.replace("\r\n", " "), header


# ----------------------------------------------------------------------------------- settings in words
def test_settings_read_as_the_window_shows_them() -> None:
    rows = dict(config_rows("rf", {"n_estimators": 100, "criterion": "gini", "max_depth": 0, "min_samples_split": 2,
                                   "min_samples_leaf": 1, "max_features": "sqrt", "bootstrap": True}))
    assert rows["Max depth"] == "no limit" and rows["Bootstrap"] == "yes" and rows["Trees"] == "100"
    assert dict(config_rows("rf", {"max_depth": 12}))["Max depth"] == "12"
    adam = {"hidden": [128, 64], "optimizer": "adam", "momentum": 0.9, "decay": 1e-5}
    assert "Momentum" not in dict(config_rows("mlp", adam)), "Adam does not use momentum"
    sgd = dict(config_rows("mlp", {**adam, "optimizer": "sgd"}))
    assert sgd["Momentum"] == "0.9" and sgd["Hidden layers"] == "128, 64" and sgd["LR decay"] == "0.00001"


def test_settings_keep_one_order_whatever_the_file_order(result: dict) -> None:
    config = result["models"]["xgb"]["config"]
    shuffled = dict(reversed(list(config.items())))
    assert [label for label, _ in config_rows("xgb", config)] == [label for label, _ in config_rows("xgb", shuffled)]
    for key, model in result["models"].items():
        labels = [label for label, _ in config_rows(key, model["config"])]
        assert all("_" not in label for label in labels), labels  # words, not snake_case keys


def test_reports_show_the_settings_in_words_in_one_order(result: dict, pdf: bytes) -> None:
    page = html_report(result)
    _, pages = _pages(pdf)
    text = " ".join(p.get_textpage().get_text_range() for p in pages).replace("\r\n", " ")
    configuration = page[page.index("<h2>Configuration</h2>"):page.index("<h2>Split and seeds</h2>")]
    for key, model in result["models"].items():
        section = configuration[configuration.index(f"<h3>{LABELS[key]} ("):]
        labels = [label for label, _ in config_rows(key, model["config"])]
        positions = [section.index(f"<th>{html.escape(label, quote=False)}</th>") for label in labels]
        assert positions == sorted(positions), f"{key}: the HTML's settings in the window's order"
    assert "max_depth 0" not in text and "max_depth=0" not in text and "momentum" not in text.lower()
    assert "{'" not in text and '{"' not in page.split("every parameter")[0], "threads in words, not a dict"
    counts = result["dataset"]["class_counts"]
    assert str(counts) not in text and html.escape(str(counts)) not in page, "class counts as a readable list"


def test_no_report_shows_the_local_path_of_the_data(result: dict, pdf: bytes) -> None:
    source = result["dataset"]["source"]
    assert Path(source).is_absolute(), "the raced file is named by its full path in the JSON"
    page = html_report(result)
    _, pages = _pages(pdf)
    text = "".join(p.get_textpage().get_text_range() for p in pages).replace("\r\n", "")
    folder = str(Path(source).parent)
    for shown in (page, text):
        assert source not in shown and folder not in shown
        assert Path(source).name in shown and result["dataset"]["source_sha256"] in shown


def test_paths_inside_texts_keep_only_their_file_name() -> None:
    assert public_text("cannot read /home/ann/data/rows.csv: no such file") == "cannot read rows.csv: no such file"
    assert public_text(r"C:\Users\ann\rows.csv failed") == "rows.csv failed"
    assert public_text("scikit-learn cache in /home/ann/scikit_learn_data") == "scikit-learn cache in scikit_learn_data"
    kept = "Spruce/Fir and 1/2 decay, https://doi.org/10.24432/C50K5N"
    assert public_text(kept) == kept
    assert file_name("/srv/x/covtype.csv.gz") == "covtype.csv.gz"
    assert data_source({"source": "/home/ann/my rows.csv"}) == "my rows.csv"


# ---------------------------------------------------------------------------------------------- HTML
def test_the_html_shows_the_accuracy_chart_right_after_the_verdict(result: dict) -> None:
    page = html_report(result)
    chart = page.index(f'alt="{ACCURACY_CHART_ALT}"')
    assert page.index('class="verdict"') < page.index('class="evidence"') < chart
    assert chart < page.index("<table"), "before every table"
    assert chart < page.index("<h2>Results</h2>") and chart < page.index("Final test accuracy of each model")


def test_the_html_matrices_name_the_cover_types(result: dict) -> None:
    page = html_report(result)
    matrices = page[page.index("<h2>Confusion matrices</h2>"):page.index("<h2>Configuration</h2>")]
    assert "<th>4 Cottonwood/Willow</th>" in matrices and "<th>1 Spruce/Fir</th>" in matrices  # rows: full names
    assert "<th>4 Willow</th>" in matrices and "<th>7 Krummholz</th>" in matrices  # columns: short names
    assert "<th>4</th>" not in matrices


def test_reports_name_the_models_as_the_window_legend_does(result: dict, pdf: bytes) -> None:
    page = html_report(result)
    _, pages = _pages(pdf)
    text = " ".join(p.get_textpage().get_text_range() for p in pages)
    for key in raced_models(result):
        assert LABELS[key] in page and LABELS[key] in text
    assert "Forest " not in text.replace("RandomForest", "") and ">Forest<" not in page


# ----------------------------------------------------------------------------------------- time axes
def test_a_wide_spread_of_end_times_asks_for_a_log_axis() -> None:
    assert charts.wide_time_spread([0.6, 1.9, 61.0])
    assert not charts.wide_time_spread([0.7, 1.05, 5.6])
    assert not charts.wide_time_spread([3.0, None]) and not charts.wide_time_spread([0.0, 5.0])
    assert not charts.wide_time_spread([1.0, 10.0]) and charts.wide_time_spread([1.0, 10.01])


def _stretched(result: dict, factor: float) -> dict:
    """A copy of ``result`` whose MLP curves (this run's and every seed's) took ``factor`` times as long."""
    stretched = copy.deepcopy(result)
    runs = [stretched["models"]] + [run["models"] for run in stretched["repeats"]["runs"]]
    for models in runs:
        for point in models["mlp"]["curve"]:
            point["t"] *= factor
    return stretched


def _drawn_x(axes) -> list[float]:
    """The x data of every curve, marker and band (not of lines across the axes, such as the target)."""
    xs = []
    for line in axes.get_lines():
        if line.get_transform() == axes.transData:
            xs += [x for x in np.asarray(line.get_xdata(), dtype=float) if np.isfinite(x)]
    for collection in axes.collections:
        for path in collection.get_paths():
            xs += list(path.vertices[:, 0])
    return xs


@pytest.mark.parametrize("factor", [1.0, 40.0, 1 / 40])
def test_every_time_axis_follows_the_spread_and_ends_at_the_data(result: dict, factor: float) -> None:
    shaped = _stretched(result, factor)
    ends = [m["curve"][-1]["t"] for m in shaped["models"].values() if m["curve"]]
    log = charts.wide_time_spread(ends)
    assert log == (max(ends) > 10 * min(ends))
    if factor == 40.0:
        assert log, "an MLP forty times slower spreads the end times far apart"
    for make in (charts.accuracy_figure, charts.loss_figure, charts.band_figure):
        axes = make(shaped).axes[0]
        assert axes.get_xscale() == ("log" if log else "linear"), make.__name__
        assert ("(log)" in axes.get_xlabel()) == log
        low, high = axes.get_xlim()
        drawn = _drawn_x(axes)
        assert min(drawn) >= low and max(drawn) <= high, f"{make.__name__}: data outside the axis"
        assert high <= max(drawn) * (1.2 if log else 1.05), f"{make.__name__}: the axis runs on past the data"


# -------------------------------------------------------------------------------------------- bands
def test_two_seeds_draw_the_mean_alone_and_say_why(result: dict) -> None:
    assert result["repeats"]["count"] == 2
    axes = charts.band_figure(result).axes[0]
    assert not axes.collections, "no 95% band from 2 seeds"
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend[:3] == [LABELS[key] for key in raced_models(result)], "the title says what every line is"
    assert "Mean over 2 seeds: too few for a 95% band" in axes.get_title()
    assert "95% confidence bands" not in axes.get_title()
    uneven = copy.deepcopy(result)
    del uneven["repeats"]["runs"][1]["models"]["rf"]  # RandomForest's mean is of one seed: each line says its own
    legend = [t.get_text() for t in charts.band_figure(uneven).axes[0].get_legend().get_texts()]
    assert sum("too few for a 95% band" in entry for entry in legend) == 3, legend
    assert any("RandomForest (mean of 1 seed," in entry for entry in legend), legend


def test_three_seeds_draw_a_band_inside_the_axis(result: dict) -> None:
    third = copy.deepcopy(result)
    extra = copy.deepcopy(third["repeats"]["runs"][1])
    for model in extra["models"].values():
        for point in model["curve"]:
            point["val_accuracy"] = min(1.0, point["val_accuracy"] + 0.01)
    third["repeats"]["runs"].append(extra)
    third["repeats"]["count"] = 3
    axes = charts.band_figure(third).axes[0]
    assert len(axes.collections) == 3 and "95% confidence bands" in axes.get_title()
    low, high = axes.get_ylim()
    for collection in axes.collections:
        ys = np.concatenate([p.vertices[:, 1] for p in collection.get_paths()])
        assert ys.min() >= low and ys.max() <= high


@pytest.mark.parametrize("band, drawn", [({"interval": "range", "runs": 2}, False), ({"interval": "t", "runs": 3}, True),
                                         ({"runs": 2}, False), ({"runs": 5}, True), ({"interval": "range", "runs": 5}, False)])
def test_band_drawn(band: dict, drawn: bool) -> None:
    assert charts.band_drawn(band) is drawn


def test_whiskers_use_the_intervals_own_bounds(result: dict) -> None:
    lopsided = copy.deepcopy(result)
    summary = lopsided["repeats"]["summary"]["rf"]["test_accuracy"]
    summary.update(mean=0.80, low=0.70, high=0.85, interval="t", n=3)
    lopsided["repeats"]["count"] = 3
    axes = charts.accuracy_bars_figure(lopsided).axes[0]
    segments = [s for c in axes.collections for s in c.get_segments()]
    spans = {(round(min(s[:, 0]), 3), round(max(s[:, 0]), 3)) for s in segments if len(s) == 2 and s[0, 1] == s[1, 1]}
    assert (0.70, 0.85) in spans, spans


# ------------------------------------------------------------------------------------- words and names
@pytest.mark.parametrize("value, words", [(0.0018, "<\u00a01%"), (0.9991, ">\u00a099%"), (0.3128, "31%"),
                                          (0.5, "50%"), (None, "—")])
def test_chances_read_as_percentages(value: float | None, words: str) -> None:
    assert chance(value) == words


def test_the_t_test_table_never_says_0_00(result: dict) -> None:
    table = next(t for t in evidence_tables(result) if t[0].startswith("Corrected resampled"))
    column = table[1].index(CHANCE_HEADING)
    assert all(row[column].endswith("%") for row in table[2])
    assert all(row[column] not in ("0.00", "1.00") for row in table[2])


def test_the_export_dialog_names_exactly_the_csv_files(result: dict, tmp_path: Path) -> None:
    from modelrace.gui.window.export_dialog import format_label

    written = [path.name for path in write_csv(result, tmp_path / "csv")]
    assert written == csv_file_names(result) and len(written) == 4
    label = format_label("csv", result)
    assert re.findall(r"[\w-]+\.csv", label) == written and f"{len(written)} files" in label


def test_pdf_pages_fit_inside_the_margin_constant() -> None:
    assert MARGIN >= EDGE_MM * MM, "the typesetter's margin is the one the pixels are measured against"


def test_long_tables_and_paragraphs_continue_on_the_next_page_inside_the_body() -> None:
    from modelrace.models.output.pdf_layout import PageBreak, Table, Text, paginate, typeset
    from modelrace.models.output.pdf_text import BODY_BOTTOM, PAGE_HEIGHT

    rows = [(f"row {i}", f"{i / 7:.3f}", "a sentence of several words that has to wrap " * (i % 3 + 1)) for i in range(90)]
    blocks = [Text("A heading", size=13, bold=True, keep_with_next=True),
              Table(("Name", "Value", "Words"), rows, title="A long table"), PageBreak(),
              Text(" ".join(["many words here"] * 900))]
    pages = paginate(blocks)
    assert len(pages) >= 4
    for page in pages:
        for top, block in page:
            assert top >= MARGIN and top + block.height() <= PAGE_HEIGHT - BODY_BOTTOM + 0.01
    tables = [block for page in pages for _, block in page if isinstance(block, Table)]
    assert len(tables) > 1 and all(t.header == ("Name", "Value", "Words") for t in tables)
    assert tables[1].title == "A long table (continued)"
    assert sum(len(t.rows) for t in tables) == 90
    assert len(typeset(blocks)) == len(pages)
