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
from modelrace.models.output.profile_tables import result_profile
from modelrace.models.judging.headline import headline
from modelrace.models.output.summary_table import (
    DETAIL_COLUMNS, NUMERIC_FROM, detail_rows, details_title, header, results_rows,
)
from modelrace.models.results.document import Result
from modelrace.models.system.colors import best_text_on, blend
from modelrace.models.system.formatting import percent

_CHART_PX = 860
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
    return (f'<p><img class="chart" width="{_CHART_PX}" height="{round(_CHART_PX * height / width)}" '
            f'alt="{_attr(alt)}" src="data:image/svg+xml;base64,{data}"></p>')


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="{"num" if i >= numeric_from else ""}">{_e(c)}</td>' for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table width="100%"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _key_values(values: dict) -> str:
    rows = "".join(
        f"<tr><th>{_e(k)}</th><td>{_e(json.dumps(v) if isinstance(v, (list, dict)) else v)}</td></tr>" for k, v in values.items()
    )
    return f'<table class="kv" width="100%">{rows}</table>'


def _confusion_html(result: dict) -> str:
    classes = result["dataset"]["classes"]
    blocks = []
    for key, model in result["models"].items():
        matrix = model.get("confusion_matrix")
        if not matrix:
            continue
        head = "<th>true \\ predicted</th>" + "".join(f"<th>{_e(c)}</th>" for c in classes)
        body = []
        for name, row in zip(classes, matrix):
            total = max(1, sum(row))
            cells = []
            for j, count in enumerate(row):
                share = count / total
                diagonal = classes[j] == name
                shade = blend("#0072B2" if diagonal else "#D55E00", 0.08 + 0.8 * share, "#ffffff")
                style = f' style="background:{shade};color:{best_text_on(shade)}"' if count else ""
                cells.append(f'<td class="num"{style} title="{percent(share)} of true {_attr(name)}">{int(count)}</td>')
            body.append(f"<tr><th>{_e(name)}</th>{''.join(cells)}</tr>")
        blocks.append(
            f'<div class="cm"><h3 style="color:{charts.COLORS.get(key, "#000")}">{_e(charts.model_name(key))}</h3>'
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
.cm { display: inline-block; vertical-align: top; margin-right: 1.2em; }
.cm table { font-size: 0.8em; } .cm h3 { margin-bottom: 0.2em; }
.note { color: #444; font-size: 0.92em; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; }
@media print { main { margin: 0; max-width: none; } h2 { break-after: avoid; } img.chart, table, .cm { break-inside: avoid; }
               .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def html_report(result: Result) -> str:
    """The whole report as one self-contained HTML page."""
    dataset, split, env, verdict = result["dataset"], result["split"], result["environment"], result["verdict"]
    title = f"modelrace report: {dataset.get('name') or 'dataset'}"
    color = VERDICT_COLORS[verdict.get("claim_holds")]
    target = verdict.get("target")
    configs = "".join(
        f"<h3>{_e(charts.model_name(key))}</h3>{_key_values(model.get('config') or {})}"
        + (f"<details><summary>every effective parameter</summary>{_key_values(model['params'])}</details>"
           if model.get("params") else "")
        for key, model in result["models"].items()
    )
    errors = "".join(
        f"<p class='note'><b>{_e(charts.model_name(k))} failed:</b> {_e(m.get('error'))}</p>"
        for k, m in result["models"].items() if m["status"] == "failed"
    )
    provenance = {
        "name": dataset.get("name"), "source": dataset.get("source"), "format": dataset.get("format"),
        "rows used": dataset.get("rows"), "rows available": dataset.get("total_rows"), "features": dataset.get("features"),
        "classes": ", ".join(map(str, dataset.get("classes", []))), "class counts": dataset.get("class_counts"),
        "target column": dataset.get("target"), "sha256 of the rows": dataset.get("sha256"),
        "sha256 of the file": dataset.get("source_sha256") or "—",
    }
    notes = "".join(f"<li>{_e(n)}</li>" for n in list(dataset.get("notes") or []) + list(result.get("notes") or []))
    credit = f"<p class='note'>{_e(dataset['credit'])}</p>" if dataset.get("credit") else ""
    environment = {
        "python": env.get("python"), "platform": env.get("platform"), "CPU": env.get("cpu"), "cores": env.get("cores"),
        "race mode": env.get("mode"), "keras backend": env.get("keras_backend"), "threads": env.get("threads"),
        "device": env.get("device", "cpu"), "GPUs found": ", ".join(env.get("gpus") or []) or "none",
        **{f"version of {k}": v for k, v in (env.get("versions") or {}).items() if v},
    }
    race = result.get("race") or {}
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body><main>
<h1>{_e(title)}</h1>
<p class="sub">Preset {_e(result.get('preset'))} · {_e(race.get('mode', env.get('mode')))} mode · seed {_e(split.get('seed'))} ·
{_e(result.get('created'))}{' · stopped early' if race.get('stopped') else ''}</p>
<p class="verdict" style="background:{color}">{_e(headline(result))}</p>
{f'<p class="warning">{_e(verdict["timing_warning"])}</p>' if verdict.get("timing_warning") else ""}
<p class="evidence">{_e(verdict.get('text'))}</p>
<p class="note">Claim tested: “for many tasks you'll likely get good results more quickly with a simpler model” such as
RandomForest or XGBoost. Target: {_e(percent(target))} validation accuracy ({_e(verdict.get('target_source', ''))});
time to target is measured in training seconds, monitoring excluded.</p>
<h2>Results</h2>
{_table(results_rows(result), header(result), numeric_from=NUMERIC_FROM)}
<h3>{_e(details_title(result))}</h3>
{_table(detail_rows(result), tuple(name for name, _ in DETAIL_COLUMNS), numeric_from=1)}
{errors}
{_svg_img(charts.accuracy_bars_figure(result), "Final test accuracy of each model")}
{_evidence_html(result)}
<h2>Training curves</h2>
{_svg_img(charts.accuracy_figure(result), "Validation accuracy against training seconds, with the target line")}
{_svg_img(charts.loss_figure(result), "Validation loss against training seconds")}
<h2>Confusion matrices</h2>
<p class="note">Rows are true classes, columns predicted classes; shading shows each true class's share.</p>
{_confusion_html(result)}
<h2>Configuration</h2>
{configs}
<h2>Split and seeds</h2>
{_key_values(split)}
<h2>Dataset</h2>
{_key_values(provenance)}
{credit}
<h2>Environment</h2>
{_key_values(environment)}
<h2>Notes</h2>
<ul>{notes}</ul>
<footer>Made by modelrace {_e((env.get('versions') or {}).get('modelrace') or '')} from result schema {_e(result.get('schema'))}.</footer>
</main></body></html>
"""


def _evidence_html(result: dict) -> str:
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
