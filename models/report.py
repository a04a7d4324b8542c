"""Comparison reports from a result: self-contained HTML, paginated PDF, CSV, and the JSON itself.

Everything that came from the user (file, column, dataset and class names, notes, errors) is
escaped. Charts are embedded as SVG data URIs, so the HTML loads nothing from anywhere. Every file
is written atomically: a failed write leaves no half-written report behind.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path
from typing import Any

from modelrace.models import report_charts as charts
from modelrace.models.atomic import write_bytes_atomic, write_text_atomic
from modelrace.models.errors import OutputError
from modelrace.models.formatting import ci_text
from modelrace.models.results import save_result
from modelrace.models.summary_table import raced_models, summary_cells
from modelrace.models.verdict import run_time_to_target

REPORT_SUFFIXES = (".html", ".htm", ".pdf", ".json")
SUMMARY_FIELDS = (
    "status", "test_accuracy", "macro_f1", "train_seconds", "cpu_seconds", "monitor_seconds", "predict_seconds",
    "setup_seconds", "model_bytes", "time_to_target", "error",
)
_CHART_PX = 860
_VERDICT_COLORS = {True: "#00785a", False: "#b34700", None: "#555555"}


def write_report(result: dict, path: Path) -> None:
    """Write ``result`` as HTML, PDF or JSON, chosen by the file suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        write_text_atomic(path, html_report(result))
    elif suffix == ".pdf":
        write_bytes_atomic(path, pdf_report(result))
    elif suffix == ".json":
        save_result(result, path)
    else:
        raise OutputError(f"{path}: unknown report type '{suffix or '(none)'}'; use .html, .pdf or .json")


def check_report_path(path: Path) -> None:
    """Raise OutputError early for a report path whose type is unknown."""
    if Path(path).suffix.lower() not in REPORT_SUFFIXES:
        raise OutputError(f"{path}: unknown report type; use a name ending in .html, .pdf or .json")


# ------------------------------------------------------------------------------------------ HTML


def _e(value: Any) -> str:
    """Escape text for an HTML text node."""
    return html.escape("" if value is None else str(value), quote=False)


def _attr(value: Any) -> str:
    """Escape text for an HTML attribute value."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: Any, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{format(value, spec)}{suffix}"


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


def results_rows(result: dict) -> list[tuple[str, ...]]:
    """The results table as text rows, scores with the result file's own digits."""
    return [summary_cells(k, m, result["verdict"], exact_scores=True) for k, m in raced_models(result).items()]


RESULT_HEADER = ("Model", "Status", "Test accuracy", "Macro-F1", "Train s", "CPU s", "Monitor s", "Predict s", "Size",
                 "Time to target")


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
                color = f"rgba(0,114,178,{0.08 + 0.8 * share:.2f})" if diagonal else f"rgba(213,94,0,{0.08 + 0.8 * share:.2f})"
                ink = ";color:white" if share > 0.55 else ""
                style = f' style="background:{color}{ink}"' if count else ""
                cells.append(f'<td class="num"{style} title="{share:.1%} of true {_attr(name)}">{int(count)}</td>')
            body.append(f"<tr><th>{_e(name)}</th>{''.join(cells)}</tr>")
        blocks.append(
            f'<div class="cm"><h3 style="color:{charts.COLORS.get(key, "#000")}">{_e(charts.model_name(key))}</h3>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )
    return "".join(blocks)


_CSS = """
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; line-height: 1.45; }
main { display: block; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
.sub { color: #555; margin-top: 0; }
.verdict { color: white; padding: 0.8em 1em; border-radius: 6px; font-weight: bold; font-size: 1.1em; }
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


def html_report(result: dict) -> str:
    """The whole report as one self-contained HTML page."""
    dataset, split, env, verdict = result["dataset"], result["split"], result["environment"], result["verdict"]
    title = f"modelrace report: {dataset.get('name') or 'dataset'}"
    color = _VERDICT_COLORS[verdict.get("claim_holds")]
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
<p class="verdict" style="background:{color}">{_e(verdict.get('text'))}</p>
<p class="note">Claim tested: “for many tasks you'll likely get good results more quickly with a simpler model” such as
RandomForest or XGBoost. Target: {_e(_num(target, '.1%'))} validation accuracy ({_e(verdict.get('target_source', ''))});
time to target is measured in training seconds, monitoring excluded.</p>
<h2>Results</h2>
{_table(results_rows(result), RESULT_HEADER, numeric_from=2)}
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


def evidence_tables(result: dict) -> list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]]:
    """(title, header, rows) of the significance, repeats and size tables a result has (shared with the PDF)."""
    tables = []
    mcnemar = (result.get("significance") or {}).get("mcnemar") or []
    if mcnemar:
        tables.append((
            f"McNemar's exact test on this run's test rows (seed {result['split']['seed']})",
            ("Pair", "Only A right", "Only B right", "p-value", "Accuracy difference"),
            [(f"{charts.model_name(t['a'])} vs {charts.model_name(t['b'])}", str(t["only_a"]), str(t["only_b"]),
              f"{t['p_value']:.4g}", t["words"]) for t in mcnemar],
        ))
    repeats = result.get("repeats")
    if repeats and repeats["count"] > 1:
        tables.append((
            f"Over {repeats['count']} seeds ({', '.join(map(str, repeats['seeds']))}): mean ± 95% confidence interval",
            ("Model", "Test accuracy", "Macro-F1", "Train s", "Time to target", "Reached target"),
            [(charts.model_name(k), ci_text(v["test_accuracy"], ".4f"), ci_text(v["macro_f1"], ".4f"),
              ci_text(v["train_seconds"], ".2f"), ci_text(v["time_to_target"], ".2f", " s"), f"{v['reached']} of {v['runs']}")
             for k, v in repeats["summary"].items()],
        ))
        tables.append((
            "Corrected resampled t-test (Nadeau & Bengio) on test accuracy across seeds",
            ("Pair A vs B", "Mean difference", "t", "p-value", "P(A better)", "In words"),
            [(f"{charts.model_name(p['a'])} vs {charts.model_name(p['b'])}", f"{100 * p['mean_difference']:+.2f} points",
              "—" if p["t"] is None else f"{p['t']:.2f}", "—" if p["p_value"] is None else f"{p['p_value']:.4g}",
              "—" if p["prob_a_better"] is None else f"{p['prob_a_better']:.3f}", p["words"]) for p in repeats["pairwise"]],
        ))
    curve = result.get("size_curve")
    if curve and curve["points"]:
        keys = list(curve["points"][0]["models"])
        tables.append((
            f"By training-set size ({curve['repeats']} seed(s) each)",
            ("Training rows", *(f"{charts.model_name(k)} accuracy" for k in keys),
             *(f"{charts.model_name(k)} to target" for k in keys), "Claim"),
            [(f"{p['size']:,}", *(ci_text(p["models"][k]["test_accuracy"], ".3f") for k in keys),
              *(ci_text(p["models"][k]["time_to_target"], ".2f", " s") for k in keys),
              {True: "holds", False: "fails", None: "mixed"}[p["claim_holds"]]) for p in curve["points"]],
        ))
    return tables


def _evidence_html(result: dict) -> str:
    tables = evidence_tables(result)
    if not tables:
        return ""
    parts = ["<h2>How sure can we be?</h2>"]
    for title, header, rows in tables:
        parts.append(f"<h3>{_e(title)}</h3>{_table(rows, header, numeric_from=1)}")
    if result.get("repeats") and result["repeats"]["count"] > 1:
        parts.append(_svg_img(charts.band_figure(result), "Mean validation accuracy across seeds with confidence bands"))
    if result.get("size_curve") and result["size_curve"]["points"]:
        parts.append(_svg_img(charts.size_figure(result), "Accuracy and time to target against training-set size"))
    return "".join(parts)


# ------------------------------------------------------------------------------------------- PDF


def pdf_report(result: dict) -> bytes:
    """The report as an A4 PDF: a title page with the summary, then charts, matrices and details."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    a4 = (8.27, 11.69)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": f"modelrace report: {result['dataset'].get('name')}", "Creator": "modelrace"}) as pdf:
        pdf.savefig(_title_page(result, Figure(figsize=a4)))
        page = Figure(figsize=a4, layout="constrained")
        top, middle, bottom = page.subfigures(3, 1, height_ratios=[1.25, 1.0, 0.9])
        charts.accuracy_figure(result, into=top)
        charts.loss_figure(result, into=middle)
        charts.accuracy_bars_figure(result, into=bottom)
        pdf.savefig(page)
        page = Figure(figsize=a4, layout="constrained")
        upper, lower = page.subfigures(2, 1, height_ratios=[1.0, 1.6])
        charts.confusion_figure(result, into=upper)
        _text_block(lower, _details_text(result), fontsize=7.5)
        pdf.savefig(page)
        if evidence_tables(result):
            pdf.savefig(_evidence_page(result, Figure(figsize=a4, layout="constrained")))
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.fill(p, width) if p else "" for p in str(text).split("\n"))


def _title_page(result: dict, figure: Any) -> Any:
    dataset, verdict = result["dataset"], result["verdict"]
    figure.text(0.08, 0.94, "modelrace report", fontsize=22, fontweight="bold")
    figure.text(0.08, 0.915, f"{dataset.get('name')} · preset {result.get('preset')} · {result['environment'].get('mode')} mode · "
                f"seed {result['split'].get('seed')} · {result.get('created')}", fontsize=9, color="#555555")
    figure.text(0.08, 0.86, _wrap(verdict.get("text", ""), 70), fontsize=11.5, fontweight="bold", va="top",
                color="white", bbox={"boxstyle": "round,pad=0.6", "facecolor": _VERDICT_COLORS[verdict.get("claim_holds")],
                                     "edgecolor": "none"})
    target = verdict.get("target")
    figure.text(0.08, 0.765, _wrap(
        "Claim tested: “for many tasks you'll likely get good results more quickly with a simpler model” such as "
        f"RandomForest or XGBoost. Target: {_num(target, '.1%')} validation accuracy "
        f"({verdict.get('target_source', '')}); time to target counts training seconds, monitoring excluded.", 100),
        fontsize=8.5, va="top", color="#333333")
    axes = figure.add_axes([0.06, 0.50, 0.88, 0.2])
    axes.axis("off")
    rows = results_rows(result)
    header = ("Model", "Status", "Test acc", "Macro-F1", "Train s", "CPU s", "Monitor s", "Predict s", "Size", "To target")
    widths = [0.15, 0.1, 0.09, 0.09, 0.08, 0.08, 0.09, 0.09, 0.1, 0.1]
    table = axes.table(cellText=[list(r) for r in rows], colLabels=list(header), loc="upper center", cellLoc="right",
                       colWidths=widths)
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.scale(1, 1.6)
    for (row, column), cell in table.get_celld().items():
        if row == 0:
            cell.set_text_props(fontweight="bold")
        if column <= 1:
            cell.set_text_props(ha="left")
    split = result["split"]
    facts = (
        f"Data: {dataset.get('rows'):,} rows ({dataset.get('features')} features, {len(dataset.get('classes', []))} classes) "
        f"from {dataset.get('source')}.\nSplit: {split.get('train'):,} train / {split.get('validation'):,} validation / "
        f"{split.get('test'):,} test rows, seed {split.get('seed')}, {'stratified' if split.get('stratified') else 'unstratified'}; "
        "features standardised on the training rows only.\n"
        f"Machine: {result['environment'].get('cpu')}, {result['environment'].get('cores')} cores; "
        f"keras backend {result['environment'].get('keras_backend')}; device {result['environment'].get('device', 'cpu')}."
    )
    if dataset.get("credit"):
        facts += "\n" + dataset["credit"]
    figure.text(0.08, 0.70 - 0.035 * (len(rows) + 1) - 0.03, _wrap(facts, 110), fontsize=8, va="top", color="#333333")
    return figure


def _evidence_page(result: dict, page: Any) -> Any:
    """A page with the significance, repeats and size tables, and the band or size charts."""
    has_band = bool(result.get("repeats") and result["repeats"]["count"] > 1)
    has_sizes = bool(result.get("size_curve") and result["size_curve"]["points"])
    charts_count = int(has_band) + int(has_sizes)
    parts = page.subfigures(1 + charts_count, 1, height_ratios=[1.3] + [1.0] * charts_count)
    parts = list(parts) if charts_count else [parts]
    text = []
    for title, header, rows in evidence_tables(result):
        text.append(title)
        widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
        text.append("  ".join(str(h).ljust(w) for h, w in zip(header, widths)))
        text += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
        text.append("")
    parts[0].text(0.01, 0.99, "How sure can we be?\n\n" + "\n".join(text), fontsize=6.2, va="top",
                  family="DejaVu Sans Mono")
    index = 1
    if has_band:
        charts.band_figure(result, into=parts[index])
        index += 1
    if has_sizes:
        charts.size_figure(result, into=parts[index])
    return page


def _details_text(result: dict) -> str:
    lines = ["Configuration"]
    for key, model in result["models"].items():
        config = ", ".join(f"{k}={v}" for k, v in (model.get("config") or {}).items())
        lines.append(f"  {charts.model_name(key)} ({model['status']}): {config}")
        if model.get("error"):
            lines.append(f"    error: {model['error']}")
    lines.append("")
    lines.append("Split and seeds: " + ", ".join(f"{k}={v}" for k, v in result["split"].items()))
    env = result["environment"]
    versions = ", ".join(f"{k} {v}" for k, v in (env.get("versions") or {}).items() if v)
    lines += ["", f"Environment: Python {env.get('python')} on {env.get('platform')}; threads {env.get('threads')}",
              f"Versions: {versions}", "", f"Dataset sha256 (rows): {result['dataset'].get('sha256')}",
              f"File sha256: {result['dataset'].get('source_sha256') or '—'}", "", "Notes:"]
    lines += [f"  - {n}" for n in list(result["dataset"].get("notes") or []) + list(result.get("notes") or [])]
    return "\n".join(_wrap(line, 125) for line in lines)


def _text_block(subfigure: Any, text: str, fontsize: float) -> None:
    subfigure.text(0.02, 0.98, text, fontsize=fontsize, va="top", family="DejaVu Sans Mono")


# ------------------------------------------------------------------------------------------- CSV


def write_csv(result: dict, folder: Path) -> list[Path]:
    """Write ``curves.csv`` (long format) and ``summary.csv`` into ``folder``; return their paths."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; --csv needs a folder (it is created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror}); choose a writable place") from exc
    curves = io.StringIO()
    writer = csv.writer(curves, lineterminator="\n")
    writer.writerow(["model", "t", "step", "unit", "val_accuracy", "val_loss"])
    for key, model in result["models"].items():
        for p in model["curve"]:
            writer.writerow([key, p["t"], p["step"], p["unit"], p["val_accuracy"], p["val_loss"]])
    summary = io.StringIO()
    writer = csv.writer(summary, lineterminator="\n")
    writer.writerow(["model", *SUMMARY_FIELDS])
    target = result["verdict"].get("target")
    for key, model in result["models"].items():
        values = {**model, "time_to_target": run_time_to_target(model, target)}
        writer.writerow([key, *("" if values.get(f) is None else values.get(f) for f in SUMMARY_FIELDS)])
    paths = [folder / "curves.csv", folder / "summary.csv"]
    write_text_atomic(paths[0], curves.getvalue())
    write_text_atomic(paths[1], summary.getvalue())
    return paths
