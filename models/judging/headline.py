"""The verdict's headline: one sentence a class can read at a glance, before the evidence.

The verdict's ``text`` keeps every detail (the times of each model, the tests, the backend); the
headline says only who won, in what time, and how often, for example "The claim holds: RandomForest
reached 83.0% in 0.06 s; the MLP never did; the claim held in 5 of 5 seeds." The window, the reports and the
terminal all lead with it and put the text behind it. It is worked out from the result, so files
written before it existed get one too.
"""

from __future__ import annotations

from modelrace.models.judging import sides
from modelrace.models.judging.verdict import display_name, run_time_to_target
from modelrace.models.results.document import ModelEntry, Result, SizePoint
from modelrace.models.system.formatting import percent, seconds, steps

_RACED = ("finished", "stopped")


def headline(result: Result) -> str:
    """One sentence: the answer, the deciding numbers and, over seeds or sizes, how often."""
    verdict = result["verdict"]
    curve = result.get("size_curve")
    if curve and curve.get("points"):
        return _sizes_headline(curve["points"], verdict.get("claim_holds"))
    repeats = result.get("repeats")
    if repeats and repeats.get("count", 1) > 1:
        return _repeats_headline(result)
    return _run_headline(result)


def stopped_phrase(key: str, model: ModelEntry) -> str:
    """'the MLP after 5/20 epochs': where a stopped model got to, in whole steps."""
    done = model.get("steps_done")
    if done is None and model.get("curve"):
        done = model["curve"][-1]["step"]
    unit = model.get("unit") or (model["curve"][-1]["unit"] if model.get("curve") else "step")
    return f"{display_name(key)} after {steps(done or 0, model.get('planned_steps'), unit)}"


def _run_headline(result: Result) -> str:
    verdict = result["verdict"]
    models = result["models"]
    holds = verdict.get("claim_holds")
    target = verdict.get("target")
    stopped = bool((result.get("race") or {}).get("stopped"))
    if holds is None:
        if stopped:
            cut = [stopped_phrase(k, m) for k, m in models.items() if m["status"] == "stopped"]
            return f"Stopped{': ' + ', '.join(cut) if cut else ''}; no verdict."
        reason = verdict.get("reason") or "no model produced a validation curve"
        return f"No verdict: {reason}."
    lead = "After Stop, the claim" if stopped else "The claim"
    if target is None:  # a file edited by hand: the answer without the numbers
        return f"{lead} {'holds' if holds else 'does not hold'}."
    times = {k: run_time_to_target(m, target) for k, m in models.items() if m["status"] in _RACED}
    middle = _race_between(times, target, holds, sides.in_play(models))
    return f"{lead} {'holds' if holds else 'does not hold'}: {middle}."


def _race_between(times: dict[str, float | None], target: float, holds: bool, named: list[str],
                  notes: dict[str, str] | None = None) -> str:
    """'RandomForest reached 83.0% in 0.06 s; the MLP never did' (or the neural network first, when it won).

    Each side is its fastest model; ``named`` are the models a sentence may name for a side that has no
    time here, and ``notes`` a bracket to add after a neural network's time.
    """
    simple = sides.members("simpler", times)
    best = sides.fastest("simpler", times)
    neural = sides.fastest("neural", times)
    # A file may claim an answer its times do not show (edited, or from another version): say the answer
    # without the numbers rather than fail.
    if holds and best is None:
        return f"a simpler model reached {percent(target)} first"
    if not holds and neural is None:
        return f"{sides.one_of('neural', named)} reached {percent(target)} first"
    if holds:
        assert best is not None
        other = (f"{display_name(neural)} took {seconds(times[neural])}{(notes or {}).get(neural, '')}" if neural else
                 sides.none_of("neural", sides.members("neural", times) or named, "never did", "did"))
        return f"{display_name(best, start=True)} reached {percent(target)} in {seconds(times[best])}; {other}"
    assert neural is not None
    first = f"{display_name(neural)} reached {percent(target)} in {seconds(times[neural])}"
    if best is None:
        return f"{first}; {sides.none_of('simpler', simple, 'never did', 'did')}"
    return f"{first}, {display_name(best)} in {seconds(times[best])}"


def _repeats_headline(result: Result) -> str:
    verdict = result["verdict"]
    repeats = result["repeats"]
    summary = repeats.get("summary") or {}
    n = repeats["count"]
    holds = verdict.get("claim_holds")
    target = verdict.get("target")
    held = sum(1 for run_holds in _per_run(result) if run_holds is True)
    tally = f"the claim held in {held} of {n} seeds"
    if holds is None or target is None:
        if verdict.get("reason") and held == 0:
            return f"No verdict: {verdict['reason']}."
        return f"No clear verdict: {tally}."
    times = {k: (s["time_to_target"]["mean"] if s.get("reached") else None) for k, s in summary.items()}
    notes = {k: f" (reached in {s['reached']} of {n} seeds)" for k, s in summary.items() if 0 < (s.get("reached") or 0) < n}
    middle = _race_between(times, target, holds, sides.in_play(result["models"], summary), notes)
    return f"The claim {'holds' if holds else 'does not hold'}: {middle}; {tally}."


def _per_run(result: Result) -> list[bool | None]:
    """Each complete run's own answer, as the repeats block keeps them."""
    repeats = result["repeats"]
    if repeats.get("claim_per_run") is not None:
        return list(repeats["claim_per_run"])
    return [(run.get("verdict") or {}).get("claim_holds") for run in repeats.get("runs") or []]


def _sizes_headline(points: list[SizePoint], holds: bool | None) -> str:
    sizes = [f"{p['size']:,}" for p in points]
    span = f"from {sizes[0]} to {sizes[-1]} training rows" if len(sizes) > 1 else f"at {sizes[0]} training rows"
    answers = [p["claim_holds"] for p in points]
    if all(a is True for a in answers):
        return f"The claim holds at every size tried, {span}."
    if all(a is False for a in answers):
        return f"The claim does not hold at any size tried, {span}."
    if all(a is None for a in answers):
        return f"No verdict at any size tried, {span}."
    held = [s for s, a in zip(sizes, answers) if a is True]
    failed = [s for s, a in zip(sizes, answers) if a is False]
    open_ = [s for s, a in zip(sizes, answers) if a is None]
    parts = [f"held at {_join(held)}" if held else "never held", f"failed at {_join(failed)}" if failed else "",
             f"was undecided at {_join(open_)}" if open_ else ""]
    return f"The answer depends on the data size: the claim {_join([p for p in parts if p])} training rows."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
