"""The evidence tables of a result (McNemar per run, means over seeds, the t-test, the size table).

One builder serves the HTML and PDF reports and the window's *How sure?* tab, so they show the same.
"""

from __future__ import annotations

from modelrace.models.output.charts import model_name
from modelrace.models.results.document import Result
from modelrace.models.system.formatting import ci_text

Table = tuple[str, tuple[str, ...], list[tuple[str, ...]]]  # (title, header, rows)


def evidence_tables(result: Result) -> list[Table]:
    """(title, header, rows) of the significance, repeats and size tables a result has (shared with the PDF)."""
    tables = []
    mcnemar = (result.get("significance") or {}).get("mcnemar") or []
    if mcnemar:
        tables.append((
            f"McNemar's exact test on this run's test rows (seed {result['split']['seed']})",
            ("Pair", "Only A right", "Only B right", "p-value", "Accuracy difference"),
            [(f"{model_name(t['a'])} vs {model_name(t['b'])}", str(t["only_a"]), str(t["only_b"]),
              f"{t['p_value']:.4g}", t["words"]) for t in mcnemar],
        ))
    repeats = result.get("repeats")
    if repeats and repeats["count"] > 1:
        tables.append((
            f"Over {repeats['count']} seeds ({', '.join(map(str, repeats['seeds']))}): mean ± 95% confidence interval",
            ("Model", "Test accuracy", "Macro-F1", "Train s", "Time to target", "Reached target"),
            [(model_name(k), ci_text(v["test_accuracy"], ".4f"), ci_text(v["macro_f1"], ".4f"),
              ci_text(v["train_seconds"], ".2f"), ci_text(v["time_to_target"], ".2f", " s"), f"{v['reached']} of {v['runs']}")
             for k, v in repeats["summary"].items()],
        ))
        tables.append((
            "Corrected resampled t-test (Nadeau & Bengio) on test accuracy across seeds",
            ("Pair A vs B", "Mean difference", "t", "p-value", "P(A better)", "In words"),
            [(f"{model_name(p['a'])} vs {model_name(p['b'])}", f"{100 * p['mean_difference']:+.2f} points",
              "—" if p["t"] is None else f"{p['t']:.2f}", "—" if p["p_value"] is None else f"{p['p_value']:.4g}",
              "—" if p["prob_a_better"] is None else f"{p['prob_a_better']:.3f}", p["words"]) for p in repeats["pairwise"]],
        ))
    curve = result.get("size_curve")
    if curve and curve["points"]:
        keys = list(curve["points"][0]["models"])
        tables.append((
            f"By training-set size ({curve['repeats']} seed(s) each)",
            ("Training rows", *(f"{model_name(k)} accuracy" for k in keys),
             *(f"{model_name(k)} to target" for k in keys), "Claim"),
            [(f"{p['size']:,}", *(ci_text(p["models"][k]["test_accuracy"], ".3f") for k in keys),
              *(ci_text(p["models"][k]["time_to_target"], ".2f", " s") for k in keys),
              {True: "holds", False: "fails", None: "mixed"}[p["claim_holds"]]) for p in curve["points"]],
        ))
    return tables
