"""Reports, CSV and the reproduction script of a result with every registered model, and of one naming a model
not installed here: every raced model in the registry's order, with its label, colour and unit; the model not
installed under its key, in grey, with a note.

The results are a real 2-seed race of the tutorial's three (shared with the other report tests), given an entry
for each other registered model (``made.with_every_model``), or with RandomForest renamed to a key no installed
package registers.
"""

from __future__ import annotations

import ast
import base64
import csv
import html
import re
from pathlib import Path

import pytest

from modelrace.models.output.csv_export import write_csv
from modelrace.models.output.facts import claim_text
from modelrace.models.output.html_report import ACCURACY_CHART_ALT, html_report
from modelrace.models.output import charts
from modelrace.models.output.pdf_layout import Chart
from modelrace.models.output.pdf_report import pdf_report, report_blocks
from modelrace.models.output.repro_script import script_for
from modelrace.models.results.document import raced_models
from modelrace.models.results.files import load_result
from modelrace.models.results.installed import in_registry_order
from modelrace.models.system.colors import readable
from modelrace.models.trainers import registry

from ..results.made import renamed, with_every_model

UNKNOWN = "et"  # no installed package registers it: a colleague's plugin


@pytest.fixture(scope="module")
def result(saved_race) -> dict:
    """A real 2-seed race of the tutorial's three on 2,000 rows."""
    return load_result(saved_race("--preset", "quick", "--rows", "2000", "--repeats", "2"))


@pytest.fixture(scope="module")
def every(result: dict) -> dict:
    """The race with an entry for every registered model, in an order unlike the registry's."""
    made = with_every_model(result)
    made["models"] = dict(reversed(list(made["models"].items())))  # a file may list them in any order
    return made


@pytest.fixture(scope="module")
def unknown(result: dict) -> dict:
    """The race with its RandomForest raced under a key that no installed package registers."""
    assert not registry.known(UNKNOWN)
    return renamed(result, "rf", UNKNOWN)


def _text(pdf: bytes) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return [document[i].get_textpage().get_text_range().replace("\r\n", " ") for i in range(len(document))]


def _svgs(page: str) -> dict[str, str]:
    """The report's charts by alt text, as SVG text."""
    return {html.unescape(alt): base64.b64decode(data).decode()
            for alt, data in re.findall(r'alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)"', page)}


def _in_order(text: str, names: list[str]) -> bool:
    positions = [text.index(name) for name in names]
    return positions == sorted(positions)


def test_every_registered_model_is_in_the_result() -> None:
    assert len(registry.MODEL_KEYS) >= 5, "the tutorial's three and the two new contenders at least"


def test_the_html_shows_every_model_in_registry_order_with_its_colour_and_unit(every: dict) -> None:
    page = html_report(every)
    keys = list(registry.MODEL_KEYS)
    labels = [html.escape(registry.label(key), quote=False) for key in keys]
    results = page[page.index("<h2>Results</h2>"):page.index("Final test accuracy of each model")]
    assert _in_order(results, [f"<td class=\"\">{label}</td>" for label in labels]), "the results table's rows"
    chart = _svgs(page)[ACCURACY_CHART_ALT]
    for key, label in zip(keys, labels):
        assert label in chart and registry.color(key).lower() in chart.lower(), f"{key}: its curve, named and coloured"
        heading = f'<h3 style="color:{readable(registry.color(key), "#ffffff")}">{label}</h3>'
        assert heading in page, f"{key}: its confusion matrix, headed in its colour (readable on white)"
    configuration = page[page.index("<h2>Configuration</h2>"):page.index("<h2>Split and seeds</h2>")]
    titles = re.findall(r"<h3>([^<]*) \(finished, (\d+) (\w+)\)</h3>", configuration)
    assert [title for title, _, _ in titles] == labels, "each model's settings, in the registry's order"
    for key, (_, done, unit) in zip(keys, titles):
        assert unit == registry.unit(key) + ("" if done == "1" else "s"), f"{key}: how far it trained, in its unit"


def test_the_curves_legend_goes_below_them_with_every_model(every: dict, result: dict) -> None:
    for made, below in ((every, True), (result, False)):
        figure = charts.accuracy_figure(made)
        figure.draw_without_rendering()
        axes = figure.axes[0]
        legend, plot = axes.get_legend().get_window_extent(), axes.get_window_extent()
        labels = [text.get_text() for text in axes.get_legend().get_texts()]
        assert labels[:-1] == [registry.label(key) for key in in_registry_order(made["models"])]
        assert bool(legend.y1 <= plot.y0) is below, "below the curves with many models, inside them with three"


def test_the_claim_names_every_raced_simpler_model(every: dict, result: dict) -> None:
    text = claim_text(every)
    simpler = registry.on_side("simpler", list(raced_models(every)))
    assert len(simpler) >= 4 and _in_order(text, [registry.sentence_name(key) for key in simpler])
    assert all(registry.sentence_name(key) in text for key in registry.on_side("neural", list(raced_models(every))))
    three = claim_text(result)
    assert not any(registry.sentence_name(key) in three for key in registry.MODEL_KEYS if key not in result["models"])


def test_the_pdf_shows_every_model_in_registry_order(every: dict) -> None:
    pages = _text(pdf_report(every))
    labels = [registry.label(key) for key in registry.MODEL_KEYS]
    summary = pages[0][pages[0].index("To target"):]
    assert _in_order(summary, labels), "the results table on the first page"
    whole = " ".join(pages)
    configuration = whole[whole.index("Configuration"):]
    assert _in_order(configuration, [f"{label} (finished" for label in labels])


def test_the_pdf_s_matrices_keep_their_size_with_every_model(every: dict, result: dict) -> None:
    """A chart per row of two matrices, each as tall as with the tutorial's three: more models take more pages,
    never smaller matrices."""
    def matrix_rows(made: dict) -> list:
        return [block for block in report_blocks(made)
                if isinstance(block, Chart) and block.draw_into.func is charts.confusion_figure]

    rows, three = matrix_rows(every), matrix_rows(result)
    assert len(rows) == -(-len(registry.MODEL_KEYS) // 2)
    assert {row.height for row in rows} == {three[0].height}
    drawn = [key for row in rows for key in row.draw_into.keywords["keys"]]
    assert drawn == list(registry.MODEL_KEYS), "every model's matrix once, in the registry's order"


def test_the_csv_files_hold_every_model_in_registry_order_with_its_unit(every: dict, tmp_path: Path) -> None:
    curves, summary, *_ = write_csv(every, tmp_path)
    rows = list(csv.DictReader(summary.open()))
    assert [row["model"] for row in rows] == in_registry_order(every["models"])
    points = list(csv.DictReader(curves.open()))
    assert list(dict.fromkeys(row["model"] for row in points)) == list(registry.MODEL_KEYS)
    assert all(row["unit"] == registry.unit(row["model"]) for row in points)


def test_the_script_for_every_model_parses_and_names_their_libraries(every: dict) -> None:
    script = script_for(every)
    tree = ast.parse(script)
    header = (ast.get_docstring(tree) or "").splitlines()[0]
    libraries = {lib.name for key in registry.MODEL_KEYS for lib in registry.spec(key).libraries}
    assert all(name in header for name in libraries | {"pandas", "scikit-learn"}), header
    for key in registry.MODEL_KEYS:
        assert f"{registry.label(key)} test accuracy" in script, f"{key}: its part of the script"


def test_the_script_s_header_names_only_the_raced_models_libraries(every: dict) -> None:
    for key in registry.MODEL_KEYS:
        models = {k: ({**m, "status": "skipped"} if k != key else m) for k, m in every["models"].items()}
        alone = {**every, "models": models}
        header = (ast.get_docstring(ast.parse(script_for(alone))) or "").splitlines()[0]
        named = re.sub(r"^Reproduce a modelrace race with plain (.*)\.$", r"\1", header)
        expected = list(dict.fromkeys(["pandas", "scikit-learn", *(lib.name for lib in registry.spec(key).libraries)]))
        assert named == f"{', '.join(expected[:-1])} and {expected[-1]}", f"{key}: {header}"


# ------------------------------------------------------------------------------- a model not installed here
def test_a_model_not_installed_shows_under_its_key_in_grey(unknown: dict) -> None:
    page = html_report(unknown)
    grey = registry.color(UNKNOWN)
    assert grey not in registry.MODEL_COLORS.values(), "its colour is no installed model's"
    results = page[page.index("<h2>Results</h2>"):page.index("Final test accuracy of each model")]
    assert f"<td class=\"\">{UNKNOWN}</td>" in results
    chart = _svgs(page)[ACCURACY_CHART_ALT]
    assert UNKNOWN in chart and grey.lower() in chart.lower()
    assert f"Model '{UNKNOWN}' is not installed where this report was written" in html.unescape(page)
    configuration = page[page.index("<h2>Configuration</h2>"):page.index("<h2>Split and seeds</h2>")]
    section = configuration[configuration.index(f"<h3>{UNKNOWN} ("):]
    assert "<th>n estimators</th>" in section, "its settings under the file's own names"
    assert not re.search(rf"\b{UNKNOWN}\b", claim_text(unknown)), "on neither side of the claim"


def test_a_model_not_installed_is_in_the_pdf_and_the_csv(unknown: dict, tmp_path: Path) -> None:
    whole = " ".join(_text(pdf_report(unknown)))
    assert f"Model '{UNKNOWN}' is not installed" in whole and f"{UNKNOWN} (finished" in whole
    _, summary, *_ = write_csv(unknown, tmp_path)
    rows = {row["model"]: row for row in csv.DictReader(summary.open())}
    assert float(rows[UNKNOWN]["test_accuracy"]) == unknown["models"][UNKNOWN]["test_accuracy"]
    assert list(rows)[-1] == UNKNOWN, "after the installed models"


def test_no_script_is_written_for_a_model_not_installed(unknown: dict) -> None:
    from modelrace.models.system.errors import DataError

    with pytest.raises(DataError) as caught:
        script_for(unknown)
    message = str(caught.value)
    assert f"'{UNKNOWN}'" in message and "install the plugin that provides it" in message and "\n" not in message
