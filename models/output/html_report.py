"""The comparison report as one self-contained HTML page.

Everything that came from the user (file, column, dataset and class names, notes, errors) is
escaped. Charts are embedded as SVG data URIs, so the page loads nothing from anywhere.
"""

from __future__ import annotations

import base64
import html
import json
from typing import Any

from modelrace.models.output import charts
from modelrace.models.output.evidence import evidence_tables
from modelrace.models.output.facts import (
    claim_text, class_labels, dataset_rows, environment_rows, model_sections, note_lines, public_text, split_rows,
    subtitle,
)
from modelrace.models.output.settings_rows import unused_settings
from modelrace.models.output.profile_tables import result_profile
from modelrace.models.judging.headline import headline
from modelrace.models.output.summary_table import (
    DETAIL_COLUMNS, NUMERIC_FROM, detail_rows, details_title, header, results_rows,
)
from modelrace.models.results.document import ModelEntry, Result, raced_models
from modelrace.models.results.installed import ordered
from modelrace.models.system.colors import best_text_on, blend, readable
from modelrace.models.system.formatting import percent

_CHART_PX = 860
#: The alt text of the report's key chart, accuracy against training seconds (it follows the verdict).
ACCURACY_CHART_ALT = "Validation accuracy against training seconds, with the target line"
#: The verdict's backgrounds behind white text (the window's; each at least 4.5:1 with white).
VERDICT_COLORS = {True: "#007A5A", False: "#B54F00", None: "#5C5C5C"}


def _e(value: Any) -> str:
    """Escape text for an HTML text node."""
    return html.escape("" if value is None else str(value), quote=False)


def _attr(value: Any) -> str:
    """Escape text for an HTML attribute value."""
    return html.escape("" if value is None else str(value), quote=True)


def _svg_img(figure: Any, alt: str) -> str:
    data = base64.b64encode(charts.svg(figure).encode("utf-8")).decode("ascii")
    width, height = figure.get_size_inches()
    # width/height attributes size the chart where CSS is not applied (Qt's preview); browsers use the CSS.
    return (f'<p class="figure"><img class="chart" width="{_CHART_PX}" height="{round(_CHART_PX * height / width)}" '
            f'alt="{_attr(alt)}" src="data:image/svg+xml;base64,{data}"></p>')


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="{"num" if i >= numeric_from else ""}">{_e(c)}</td>' for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table width="100%"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _key_values(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>" for label, value in rows)
    return f'<table class="kv" width="100%">{body}</table>'


def _parameters(key: str, model: ModelEntry) -> str:
    """Every parameter the library was given, under its own name (those that do not apply left out)."""
    params = model.get("params") or {}
    unused = unused_settings(key, model.get("config"))
    rows = [(name, "None" if value is None else json.dumps(value) if isinstance(value, (list, dict)) else str(value))
            for name, value in params.items() if name not in unused]
    if not rows:
        return ""
    return (f"<details><summary>every parameter {_e(charts.model_name(key))}'s library was given, by its own "
            f"name</summary>{_key_values([(n, public_text(v)) for n, v in rows])}</details>")


def _confusion_html(result: Result) -> str:
    # As the window: the rows name each class in full, the columns briefly (Covertype: its cover types).
    rows_named, columns_named = class_labels(result), class_labels(result, short=True)
    blocks = []
    for key, model in ordered(result["models"]).items():
        matrix = model.get("confusion_matrix")
        if not matrix:
            continue
        head = "<th>true \\ predicted</th>" + "".join(f"<th>{_e(c)}</th>" for c in columns_named)
        body = []
        for i, (name, row) in enumerate(zip(rows_named, matrix)):
            total = max(1, sum(row))
            cells = []
            for j, count in enumerate(row):
                share = count / total
                shade = blend("#0072B2" if i == j else "#D55E00", 0.08 + 0.8 * share, "#ffffff")
                style = f' style="background:{shade};color:{best_text_on(shade)}"' if count else ""
                cells.append(f'<td class="num"{style} title="{percent(share)} of true {_attr(name)}">{int(count)}</td>')
            body.append(f"<tr><th>{_e(name)}</th>{''.join(cells)}</tr>")
        ink = readable(charts.model_color(key), "#ffffff")  # the model's colour, dark enough to read as text
        blocks.append(
            f'<div class="cm"><h3 style="color:{ink}">{_e(charts.model_name(key))}</h3>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )
    return "".join(blocks)


_CSS = """
html, body { background: #ffffff; }
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; line-height: 1.45; }
main { display: block; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
.sub { color: #555; margin-top: 0; }
.verdict { color: white; padding: 0.8em 1em; border-radius: 6px; font-weight: bold; font-size: 1.15em; margin-bottom: 0.3em; }
.evidence { color: #222; background: #f4f4f4; padding: 0.6em 1em; border-radius: 6px; }
.warning { color: #7a3d00; background: #fff3e0; border: 1px solid #e0a060; padding: 0.5em 1em; border-radius: 6px; font-weight: bold; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv th { background: #f4f4f4; font-weight: normal; width: 14em; }
img.chart { width: 100%; height: auto; max-width: 56em; display: block; margin: 0.6em 0; }
p.figure { line-height: 1; } /* Qt's preview scales an inline image's line by the body's line-height */
.cm { display: inline-block; vertical-align: top; margin-right: 1.2em; }
.cm table { font-size: 0.8em; } .cm h3 { margin-bottom: 0.2em; }
.note { color: #444; font-size: 0.92em; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; }
@media print { main { margin: 0; max-width: none; } h2 { break-after: avoid; } img.chart, table, .cm { break-inside: avoid; }
               .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def html_report(result: Result) -> str:
    """The whole report as one self-contained HTML page."""
    dataset, env, verdict = result["dataset"], result["environment"], result["verdict"]
    title = f"modelrace report: {dataset.get('name') or 'dataset'}"
    color = VERDICT_COLORS[verdict.get("claim_holds")]
    configs = "".join(
        f"<h3>{_e(section)}</h3>{_key_values(rows)}{_parameters(key, result['models'][key])}"
        for key, (section, rows) in zip(raced_models(result), model_sections(result))
    )
    errors = "".join(
        f"<p class='note'><b>{_e(charts.model_name(k))} failed:</b> {_e(public_text(m.get('error')))}</p>"
        for k, m in ordered(result["models"]).items() if m["status"] == "failed"
    )
    notes = "".join(f"<li>{_e(n)}</li>" for n in note_lines(result))
    credit = f"<p class='note'>{_e(public_text(dataset['credit']))}</p>" if dataset.get("credit") else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body><main>
<h1>{_e(title)}</h1>
<p class="sub">{_e(subtitle(result))}</p>
<p class="verdict" style="background:{color}">{_e(headline(result))}</p>
{f'<p class="warning">{_e(verdict["timing_warning"])}</p>' if verdict.get("timing_warning") else ""}
<p class="evidence">{_e(verdict.get('text'))}</p>
{_svg_img(charts.accuracy_figure(result), ACCURACY_CHART_ALT)}
<p class="note">{_e(claim_text(result))}</p>
<h2>Results</h2>
{_table(results_rows(result), header(result), numeric_from=NUMERIC_FROM)}
<h3>{_e(details_title(result))}</h3>
{_table(detail_rows(result), tuple(name for name, _ in DETAIL_COLUMNS), numeric_from=1)}
{errors}
{_svg_img(charts.accuracy_bars_figure(result), "Final test accuracy of each model")}
{_evidence_html(result)}
<h2>Validation loss</h2>
{_svg_img(charts.loss_figure(result), "Validation loss against training seconds")}
<h2>Confusion matrices</h2>
<p class="note">Rows are the true classes, columns the predicted ones; the shading shows each true class's share.</p>
{_confusion_html(result)}
<h2>Configuration</h2>
{configs}
<h2>Split and seeds</h2>
{_key_values(split_rows(result))}
<h2>Data</h2>
{_key_values(dataset_rows(result))}
{credit}
<h2>Environment</h2>
{_key_values(environment_rows(result))}
<h2>Notes</h2>
<ul>{notes}</ul>
<footer>Made by modelrace {_e((env.get('versions') or {}).get('modelrace') or '')} from result schema {_e(result.get('schema'))}.</footer>
</main></body></html>
"""


def _evidence_html(result: Result) -> str:
    profile = result_profile(result)
    tables = evidence_tables(result, profile)
    if not tables:
        return ""
    parts = ["<h2>How sure can we be?</h2>"]
    for title, head, rows in tables:
        parts.append(f"<h3>{_e(title)}</h3>{_table(rows, head, numeric_from=1)}")
    if profile:
        parts.append(_svg_img(charts.profile_figure(profile), "Training seconds to reach every target accuracy, per model"))
    if result.get("repeats") and result["repeats"]["count"] > 1:
        parts.append(_svg_img(charts.band_figure(result), "Mean validation accuracy across seeds with confidence bands"))
    if result.get("size_curve") and result["size_curve"]["points"]:
        parts.append(_svg_img(charts.size_figure(result), "Accuracy and time to target against training-set size"))
    return "".join(parts)
