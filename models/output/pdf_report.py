"""The comparison report as an A4 PDF (matplotlib's object API, no GUI backend)."""

from __future__ import annotations

import io
from typing import Any

from modelrace.models.output import charts
from modelrace.models.output.evidence import evidence_tables
from modelrace.models.output.profile_tables import result_profile
from modelrace.models.output.html_report import VERDICT_COLORS
from modelrace.models.judging.headline import headline
from modelrace.models.output.summary_table import (
    DETAIL_COLUMNS, caption, detail_rows, details_title, header, results_rows,
)
from modelrace.models.results.document import Result
from modelrace.models.system.formatting import percent


def pdf_report(result: Result) -> bytes:
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
        profile = result_profile(result)
        tables = evidence_tables(result, profile)
        if tables:
            pdf.savefig(_evidence_page(result, tables, profile, Figure(figsize=a4, layout="constrained")))
    return buffer.getvalue()


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.fill(p, width) if p else "" for p in str(text).split("\n"))


def _title_page(result: dict, figure: Any) -> Any:
    dataset, verdict = result["dataset"], result["verdict"]
    figure.text(0.08, 0.94, "modelrace report", fontsize=22, fontweight="bold")
    figure.text(0.08, 0.915, f"{dataset.get('name')} · preset {result.get('preset')} · {result['environment'].get('mode')} mode · "
                f"seed {result['split'].get('seed')} · {result.get('created')}", fontsize=9, color="#555555")
    lead = _wrap(headline(result), 62)
    figure.text(0.08, 0.87, lead, fontsize=13, fontweight="bold", va="top", color="white",
                bbox={"boxstyle": "round,pad=0.6", "facecolor": VERDICT_COLORS[verdict.get("claim_holds")], "edgecolor": "none"})
    cursor = 0.87 - 0.021 * (lead.count("\n") + 1) - 0.03
    details = _wrap(verdict.get("text", ""), 110)
    figure.text(0.08, cursor, details, fontsize=8.5, va="top", color="#222222")
    cursor -= 0.0145 * (details.count("\n") + 1) + 0.012
    target = verdict.get("target")
    claim = _wrap(
        "Claim tested: “for many tasks you'll likely get good results more quickly with a simpler model” such as "
        f"RandomForest or XGBoost. Target: {percent(target)} validation accuracy "
        f"({verdict.get('target_source', '')}); time to target counts training seconds, monitoring excluded.", 110)
    figure.text(0.08, cursor, claim, fontsize=8.5, va="top", color="#333333")
    cursor -= 0.0145 * (claim.count("\n") + 1) + 0.015
    rows = results_rows(result)
    figure.text(0.08, cursor, caption(result), fontsize=8.5, va="top", color="#222222")
    cursor = _table(figure, cursor - 0.022, header(result, compact=True), rows, [0.2, 0.22, 0.17, 0.14, 0.14, 0.13])
    figure.text(0.08, cursor - 0.01, details_title(result), fontsize=8.5, fontweight="bold", va="top", color="#222222")
    cursor = _table(figure, cursor - 0.03, tuple(name for name, _ in DETAIL_COLUMNS), detail_rows(result),
                    [0.2, 0.2, 0.2, 0.2, 0.2])
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
    figure.text(0.08, cursor - 0.02, _wrap(facts, 110), fontsize=8, va="top", color="#333333")
    return figure


def _table(figure: Any, top: float, header: tuple[str, ...], rows: list[tuple[str, ...]], widths: list[float]) -> float:
    """Draw a table whose top edge is at ``top`` (figure fraction); returns the height left below it."""
    height = 0.024 * (len(rows) + 1)
    axes = figure.add_axes([0.06, top - height, 0.88, height])
    axes.axis("off")
    table = axes.table(cellText=[list(r) for r in rows] or [["—"] * len(header)], colLabels=list(header),
                       loc="upper center", cellLoc="right", colWidths=widths)
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.scale(1, 1.6)
    for (row, column), cell in table.get_celld().items():
        if row == 0:
            cell.set_text_props(fontweight="bold")
        if column == 0 or column == len(header) - 1 and header[-1] == "Status":
            cell.set_text_props(ha="left")
    return top - height - 0.01


def _evidence_page(result: dict, tables: list, profile: dict | None, page: Any) -> Any:
    """A page with the significance, repeats, profile and size tables, and their charts."""
    has_band = bool(result.get("repeats") and result["repeats"]["count"] > 1)
    has_sizes = bool(result.get("size_curve") and result["size_curve"]["points"])
    has_profile = bool(profile)
    charts_count = int(has_band) + int(has_sizes) + int(has_profile)
    parts = page.subfigures(1 + charts_count, 1, height_ratios=[1.3] + [1.0] * charts_count)
    parts = list(parts) if charts_count else [parts]
    text = []
    for title, head, rows in tables:
        text.append(title)
        widths = [max(len(str(c)) for c in column) for column in zip(head, *rows)]
        text.append("  ".join(str(h).ljust(w) for h, w in zip(head, widths)))
        text += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
        text.append("")
    parts[0].text(0.01, 0.99, "How sure can we be?\n\n" + "\n".join(text), fontsize=6.2, va="top",
                  family="DejaVu Sans Mono")
    index = 1
    if has_profile:
        charts.profile_figure(profile, into=parts[index])
        index += 1
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
