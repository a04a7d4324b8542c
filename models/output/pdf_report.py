"""The comparison report as an A4 PDF (matplotlib's object API, no GUI backend), typeset by ``pdf_layout``.

Pages: the summary (verdict, results and costs); the training curves; *How sure can we be?* (the
evidence tables and their charts); the confusion matrices; how the result was made (each model's
settings, the split, the data, the machine, notes). Every page keeps 18 mm margins and says "page n of N".
"""

from __future__ import annotations

import io
from functools import partial
from typing import Any

from modelrace.models.judging.headline import headline
from modelrace.models.output import charts, facts
from modelrace.models.output.facts import claim_text, subtitle
from modelrace.models.output.evidence import evidence_tables
from modelrace.models.output.html_report import VERDICT_COLORS
from modelrace.models.output.pdf_layout import (
    BODY_SIZE, BODY_WIDTH, MUTED, Block, Chart, PageBreak, Table, Text, typeset,
)
from modelrace.models.output.profile_tables import result_profile
from modelrace.models.output.summary_table import (
    DETAIL_COLUMNS, NUMERIC_FROM, caption, detail_rows, details_title, header, results_rows,
)
from modelrace.models.results.document import Result
from modelrace.models.results.installed import ordered
from modelrace.models.system.formatting import count

WARNING_TEXT, WARNING_FILL = "#7a3d00", "#fff3e0"  # the HTML report's busy-machine warning
_ROW_NAMES = 110.0  # points the confusion matrices' row names take ("4 Cottonwood/Willow" and "true")


def pdf_report(result: Result) -> bytes:
    """The report as an A4 PDF: the summary, the curves, the evidence, the matrices, then how it was made."""
    from matplotlib.backends.backend_pdf import PdfPages

    name = result["dataset"].get("name")
    pages = typeset(report_blocks(result), foot=f"modelrace report · {name}")
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": f"modelrace report: {name}", "Creator": "modelrace"}) as pdf:
        for page in pages:
            pdf.savefig(page)
    return buffer.getvalue()


def report_blocks(result: Result) -> list[Block]:
    """Every block of the report, in reading order, with the page breaks between its parts."""
    profile = result_profile(result)
    blocks = _summary(result) + [PageBreak()] + _curves(result)
    blocks += [PageBreak()] + _evidence(result, profile)
    blocks += [PageBreak()] + _matrices(result)
    blocks += [PageBreak()] + _how_it_was_made(result)
    return blocks


def _heading(text: str) -> Text:
    return Text(text, size=13, bold=True, before=2, after=7, keep_with_next=True)


def _summary(result: Result) -> list[Block]:
    verdict = result["verdict"]
    blocks: list[Block] = [
        Text("modelrace report", size=22, bold=True, after=3),
        Text(subtitle(result), size=BODY_SIZE, color=MUTED, after=14),
        Text(headline(result), size=13, bold=True, color="white", box=VERDICT_COLORS[verdict.get("claim_holds")],
             after=10),
    ]
    if warning := verdict.get("timing_warning"):
        blocks.append(Text(warning, bold=True, color=WARNING_TEXT, box=WARNING_FILL, after=8))
    blocks += [
        Text(verdict.get("text") or "", after=8),
        Text(claim_text(result), color=MUTED, after=12),
        Text(caption(result), after=4),
        Table(header(result, compact=True), results_rows(result), numeric_from=NUMERIC_FROM),
        Table(tuple(name for name, _ in DETAIL_COLUMNS), detail_rows(result), title=details_title(result)),
    ]
    errors = [f"{charts.model_name(key)} failed: {facts.public_text(model.get('error'))}"
              for key, model in ordered(result["models"]).items() if model["status"] == "failed"]
    blocks += [Text(error, color=WARNING_TEXT, after=4) for error in errors]
    dataset, split, env = result["dataset"], result["split"], result["environment"]
    about = (
        f"Data: {_count(dataset.get('rows'))} rows ({dataset.get('features')} features, "
        f"{len(dataset.get('classes', []))} classes) from {facts.data_source(dataset)}. "
        f"Split: {_count(split.get('train'))} train / {_count(split.get('validation'))} validation / "
        f"{_count(split.get('test'))} test rows, seed {split.get('seed')}, "
        f"{'stratified' if split.get('stratified') else 'unstratified'}; features standardised on the training rows only. "
        f"Machine: {env.get('cpu')}, {env.get('cores')} cores; "
        + (f"Keras backend {env.get('keras_backend')}; " if facts.keras_raced(result) else "")
        + f"device {env.get('device', 'cpu')}. The last page says how the result was made."
    )
    blocks.append(Text(about, size=9, color=MUTED, before=4, after=4))
    if dataset.get("credit"):
        blocks.append(Text(facts.public_text(dataset["credit"]), size=9, color=MUTED))
    return blocks


def _count(value: Any) -> str:
    return count(value) if isinstance(value, int) else str(value)


def _curves(result: Result) -> list[Block]:
    return [
        _heading("Training curves"),
        Chart(partial(charts.accuracy_figure, result), height=255),
        Chart(partial(charts.loss_figure, result), height=215),
        Chart(partial(charts.accuracy_bars_figure, result), height=150),
    ]


def _evidence(result: Result, profile: dict | None) -> list[Block]:
    tables = evidence_tables(result, profile)
    if not tables and not profile:
        return []
    blocks: list[Block] = [_heading("How sure can we be?")]
    blocks += [Table(head, rows, numeric_from=1, title=title) for title, head, rows in tables]
    if profile:
        blocks.append(Chart(partial(charts.profile_figure, profile), height=240))
    if result.get("repeats") and result["repeats"]["count"] > 1:
        blocks.append(Chart(partial(charts.band_figure, result), height=250))
    if result.get("size_curve") and result["size_curve"]["points"]:
        blocks.append(Chart(partial(charts.size_figure, result), height=240))
    return blocks


def _matrices(result: Result) -> list[Block]:
    scored = {key: matrix for key, m in ordered(result["models"]).items() if (matrix := m.get("confusion_matrix"))}
    if not scored:
        return []
    classes = len(result["dataset"].get("classes", []))
    columns = 2 if len(scored) > 1 else 1
    # Each matrix's cells get what is left beside the row names; the counts shrink to fit their widest number.
    digits = max(len(str(int(c))) for matrix in scored.values() for row in matrix for c in row)
    side = (BODY_WIDTH - _ROW_NAMES - 24 * columns) / columns  # one matrix's width (and height: cells are square)
    fontsize = max(6.0, min(9.0, 0.8 * side / max(1, classes) / (0.62 * digits)))
    keys = list(scored)
    # A chart per row of matrices: with more models than two rows hold, the rest go on to the next page whole
    # (one chart for them all would shrink every matrix to fit one page).
    rows = [Chart(partial(charts.confusion_figure, result, columns=columns, fontsize=fontsize,
                          keys=keys[start:start + columns]), height=min(600.0, side + 85))
            for start in range(0, len(keys), columns)]
    return [
        _heading("Confusion matrices"),
        Text("Rows are the true classes, columns the predicted ones; the shading shows each true class's share. "
             "Test rows of this run" + (f" (seed {result['split'].get('seed')})." if result.get("repeats") else ".")),
        *rows,
    ]


def _how_it_was_made(result: Result) -> list[Block]:
    blocks: list[Block] = [_heading("Configuration")]
    for title, rows in facts.model_sections(result):
        blocks.append(Table(None, rows, title=title))
    blocks += [_heading("Split and seeds"), Table(None, facts.split_rows(result))]
    blocks += [_heading("Data"), Table(None, facts.dataset_rows(result))]
    if result["dataset"].get("credit"):
        blocks.append(Text(facts.public_text(result["dataset"]["credit"]), size=9, color=MUTED, after=10))
    blocks += [_heading("Environment"), Table(None, facts.environment_rows(result))]
    notes = facts.note_lines(result)
    if notes:
        blocks.append(_heading("Notes"))
        blocks.append(Text("\n".join(f"• {note}" for note in notes)))  # one block: the notes stay together
    return blocks
