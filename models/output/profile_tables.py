"""The time-to-accuracy profile of a result, as the tables the window, the reports and the terminal share.

The profile is always worked out again from the curves (validated when the file was read), never
taken from the file's own ``profile`` block, so a hand-edited block cannot show something else.
"""

from __future__ import annotations

from modelrace.models.judging.profile import profile_block, seeds_profile_block
from modelrace.models.results.document import Result
from modelrace.models.results.installed import ordered
from modelrace.models.system.formatting import NBSP, NEVER, count, input_number, percent, seconds
from modelrace.models.trainers.registry import label as model_name

Table = tuple[str, tuple[str, ...], list[tuple[str, ...]]]  # (title, header, rows)


def result_profile(result: Result) -> dict | None:
    """The profile of ``result``: over the seeds of a repeated race (medians), else of its one run."""
    repeats = result.get("repeats")
    runs = repeats["runs"] if repeats else []
    if len(runs) > 1:
        return seeds_profile_block([run["models"] for run in runs])
    return profile_block(result["models"])


def profile_tables(result: Result, block: dict | None = None) -> list[Table]:
    """Who was first on each stretch of targets, and the best accuracy each model had by each budget.

    ``block`` is the result's profile when the caller has already worked it out (else it is, here).
    """
    block = block or result_profile(result)
    if not block:
        return []
    over = f" (medians over {count(len(result['repeats']['runs']))} seeds)" if "seeds" in block else ""
    stretches: list[tuple[str, ...]] = [
        (f"{percent(s['low'])} – {percent(s['high'])}", model_name(s["first"]) if s["first"] else NEVER,
         seconds(s["seconds"]), "only one to get there" if s["only"] else "")
        for s in block["segments"]]
    budgets = block["budgets"]
    best: list[tuple[str, ...]] = [(model_name(key), *(percent(v) if v is not None else "—" for v in values))
            for key, values in ordered(budgets["best"]).items()]
    share = block.get("simple_first_share")
    share_text = f"; a simpler model was first on {percent(share, 0)} of them" if share is not None else ""
    tables: list[Table] = [
        (f"Time to every target{over}: who got there first{share_text}",
         ("Targets", "First", "Time to the lowest", "Note"), stretches),
        (f"Best validation accuracy within a training budget{over}",
         ("Model", *(f"by {input_number(b)}{NBSP}s" for b in budgets["seconds"])), best),
    ]
    return tables
