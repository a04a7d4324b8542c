"""The evidence tables of a result (McNemar per run, means over seeds, the t-test, the size table).

One builder serves the HTML and PDF reports and the window's *How sure?* tab, so they show the same.
"""

from __future__ import annotations

from modelrace.models.output.charts import model_name
from modelrace.models.output.profile_tables import profile_tables
from modelrace.models.output.summary_table import result_times_centre
from modelrace.models.results.document import Result
from modelrace.models.results.installed import in_registry_order, ordered
from modelrace.models.system.formatting import (
    FEWEST_FOR_CI, MISSING, NBSP, NEVER, ci, ci_legend, count, p_value, points, seconds, statistic, times_centre,
)

Table = tuple[str, tuple[str, ...], list[tuple[str, ...]]]  # (title, header, rows)
#: The t-test table's column of how likely A's true mean accuracy is above B's (in percent).
CHANCE_HEADING = "Chance A is better"


def chance(value: float | None) -> str:
    """A probability as a whole percentage a reader can take in: '31%', '< 1%' and '> 99%' at the ends (never '0.00')."""
    if value is None:
        return MISSING
    if value < 0.01:
        return f"<{NBSP}1%"
    if value > 0.99:
        return f">{NBSP}99%"
    return f"{round(100 * value)}%"


def evidence_tables(result: Result, profile: dict | None = None) -> list[Table]:
    """(title, header, rows) of the significance, repeats, profile and size tables a result has (shared with the PDF).

    ``profile`` is the result's time-to-accuracy profile when the caller has already worked it out.
    """
    tables: list[Table] = []
    significance = result.get("significance")
    mcnemar = significance["mcnemar"] if significance else []
    if mcnemar:
        tables.append((
            f"McNemar's exact test on this run's test rows (seed {result['split']['seed']})",
            ("Pair A vs B", "Rows only A got right", "Rows only B got right", "p-value", "Accuracy difference"),
            [(f"{model_name(t['a'])} vs {model_name(t['b'])}", count(t["only_a"]), count(t["only_b"]),
              p_value(t["p_value"]), t["words"]) for t in mcnemar],
        ))
    repeats = result.get("repeats")
    if repeats and repeats["count"] > 1:
        said = repeats["count"] < FEWEST_FOR_CI  # the title says the cells are ranges
        tables.append((
            f"Over {repeats['count']} seeds ({', '.join(map(str, repeats['seeds']))}): "
            f"{ci_legend(repeats['count'], result_times_centre(result))}",
            ("Model", "Test accuracy", "Macro-F1", "Train s", "Time to target", "Reached target"),
            [(model_name(k), ci(v["test_accuracy"], range_said=said), ci(v["macro_f1"], range_said=said),
              ci(v["train_seconds"], "seconds", range_said=said),
              ci(v["time_to_target"], "seconds", missing=NEVER, range_said=said), f"{v['reached']} of {v['runs']}")
             for k, v in ordered(repeats["summary"]).items()],
        ))
        tables.append((
            "Corrected resampled t-test (Nadeau & Bengio) on test accuracy across seeds",
            ("Pair A vs B", "Mean difference (A − B)", "t", "p-value", CHANCE_HEADING, "In words"),
            [(f"{model_name(p['a'])} vs {model_name(p['b'])}", points(p["mean_difference"]),
              statistic(p["t"]), p_value(p["p_value"]), chance(p["prob_a_better"]), p["words"])
             for p in repeats["pairwise"]],
        ))
    tables += profile_tables(result, profile)
    curve = result.get("size_curve")
    if curve and curve["points"]:
        keys = in_registry_order(curve["points"][0]["models"])
        few = curve["repeats"] < FEWEST_FOR_CI
        tables.append((
            f"By training-set size ({curve['repeats']} seed(s) each): "
            f"{ci_legend(curve['repeats'], times_centre(p['models'][k]['time_to_target'] for p in curve['points'] for k in keys))}",
            ("Training rows", *(f"{model_name(k)} accuracy" for k in keys),
             *(f"{model_name(k)} to target" for k in keys), "Claim"),
            [(count(p["size"]), *(ci(p["models"][k]["test_accuracy"], range_said=few) for k in keys),
              *(ci(p["models"][k]["time_to_target"], "seconds", missing=NEVER, range_said=few) for k in keys),
              {True: "holds", False: "fails", None: "mixed"}[p["claim_holds"]]) for p in curve["points"]],
        ))
    tables += cluster_tables(result)
    return tables


def cluster_tables(result: Result) -> list[Table]:
    """Where a race grid's cells ran: a row per machine (CPU, workers, cells, threads, seconds, retries)."""
    block = result.get("cluster")
    if not block:
        return []
    hosts: dict[str, list[dict]] = {}
    for cell in block["cells"]:
        if cell.get("host") or cell.get("worker"):
            hosts.setdefault(str(cell.get("host") or "?"), []).append(cell)
    done = [cell for cell in block["cells"] if cell["state"] == "finished"]
    title = (f"Where the cells ran: {len(done)} of {block['planned_cells']} finished on "
             f"{block.get('workers') or '?'} worker(s), one cell at a time each, in {seconds(block.get('wall_seconds'))}")
    rows: list[tuple[str, ...]] = []
    for host, cells in sorted(hosts.items()):
        finished = [cell for cell in cells if cell["state"] == "finished"]
        walls = sorted(cell["wall_seconds"] for cell in finished if cell.get("wall_seconds") is not None)
        rows.append((host, str(cells[0].get("cpu") or "?"), count(len({cell.get("worker") for cell in cells})),
                     f"{count(len(finished))} of {count(len(cells))}",
                     ", ".join(sorted({str(cell.get("threads")) for cell in cells if cell.get("threads")})) or "?",
                     seconds(walls[len(walls) // 2]) if walls else "—",
                     count(sum(max(0, (cell.get("attempts") or 1) - 1) for cell in cells))))
    header = ("Host", "CPU", "Workers", "Cells finished", "Threads per cell", "Median cell wall", "Retries")
    return [(title, header, rows)]
