"""Weighing several runs into one verdict: repeated races (seeds) and races over training-set sizes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from modelrace.models.judging import sides
from modelrace.models.judging.verdict import display_name
from modelrace.models.results.document import Interval, ModelSummary, Pairwise, Significance, SizePoint, Verdict
from modelrace.models.system.formatting import NEVER, ci, p_text, percent, points
from modelrace.models.trainers import registry

#: Share of the decided runs that must agree before the verdict takes a side.
AGREEMENT = 0.8
BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX"}


def backend_sentence(backend: str, on_gpu: bool = False, keys: Iterable[str] | None = None) -> str:
    """The verdict's closing note on where the Keras models (``keys``; by default the tutorial's) ran, because
    the backend and device change the answer: " The MLP ran on Keras with the TensorFlow backend."."""
    on_keras = [k for k in (registry.DEFAULT_MODELS if keys is None else keys) if registry.uses_library(k, "keras")]
    if not on_keras:
        return ""
    who = sides.join_and([display_name(k) for k in on_keras])
    device = " on the GPU" if on_gpu else ""
    return f" {who[0].upper()}{who[1:]} ran on Keras with the {BACKEND_NAMES.get(backend, backend)} backend{device}."


def _pm(values: Interval, first: bool = False) -> str:
    """A time over seeds in a sentence: '0.07 s (geometric mean; 95% CI 0.02–0.12 s)' (the centre named on ``first``)."""
    return ci(values, "seconds", missing=NEVER, words=True, centre=first)


def _with_note(text: str, note: str) -> str:
    """'5.3 s (95% CI 4.5–6.1 s; reached in 2 of 3 runs)': a note joins the brackets a value already has."""
    return f"{text[:-1]}; {note})" if text.endswith(")") else f"{text} ({note})"


def _mcnemar_tally(runs_significance: Sequence[Significance | None]) -> list[str]:
    """How often McNemar's exact test told each simpler model and each neural network apart (p < 0.05)."""
    tests = [t for s in runs_significance if s for t in s.get("mcnemar", [])]
    keys = sides.in_play(*({t["a"], t["b"]} for t in tests))
    parts = []
    for other in sides.members("simpler", keys):
        for neural in sides.members("neural", keys):
            pair = [t for t in tests if {t["a"], t["b"]} == {other, neural}]
            if len(pair) == 1:
                parts.append(f"McNemar's exact test, {display_name(other)} against {display_name(neural)}: "
                             f"{p_text(pair[0]['p_value'])}")
            elif pair:
                separated = sum(t["p_value"] < 0.05 for t in pair)
                parts.append(f"McNemar's exact test separated {display_name(other)} from {display_name(neural)} in "
                             f"{separated} of {len(pair)} runs (p < 0.05)")
    return parts


def judge_runs(summary: dict[str, ModelSummary], pairwise: list[Pairwise], per_run: list[bool | None], target: float | None,
               n: int, runs_significance: list[Significance | None], reasons: list[str]) -> Verdict:
    """One verdict over the runs of a repeated race: who reached the target first, the tests, and how often the claim held."""
    held, failed = per_run.count(True), per_run.count(False)
    decided = held + failed
    if decided and held >= AGREEMENT * decided and decided * 2 >= n:
        holds: bool | None = True
    elif decided and failed >= AGREEMENT * decided and decided * 2 >= n:
        holds = False
    else:
        holds = None
    times = {k: s["time_to_target"]["mean"] for k, s in summary.items()}
    parts = []
    if target is not None:
        reached = {k: s["time_to_target"]["mean"] for k, s in summary.items() if s["reached"]}
        best = sides.fastest("simpler", reached)
        if best:
            lead = f"Over {n} seeds, {display_name(best)}" if n > 1 else display_name(best, start=True)
            line = f"{lead} reached {percent(target)} validation accuracy in {_pm(summary[best]['time_to_target'], first=True)}"
            neural = sides.members("neural", summary)
            rival = sides.fastest("neural", reached)
            if neural and rival is None:
                line += "; " + sides.none_of("neural", neural, "never reached it", "reached it") + (" in any run" if n > 1 else "")
            elif rival is not None:
                rival_time = _pm(summary[rival]["time_to_target"])
                if n > 1:
                    rival_time = _with_note(rival_time, f"reached in {summary[rival]['reached']} of {n} runs")
                line += f" against {sides.possessive(rival)} {rival_time}"
            parts.append(line)
    for pair in pairwise:
        stands = [registry.side(pair["a"]), registry.side(pair["b"])]
        difference = pair["mean_difference"]
        if set(stands) == {"neural", "simpler"} and pair["p_value"] is not None and difference is not None:
            other, neural_key = (pair["a"], pair["b"]) if stands[0] == "simpler" else (pair["b"], pair["a"])
            diff = difference if pair["a"] == other else -difference
            direction = "higher" if diff > 0 else "lower"
            parts.append(f"{display_name(other)}'s test accuracy was {points(diff, signed=False)} {direction} than "
                         f"{sides.possessive(neural_key)} ({p_text(pair['p_value'])}, corrected resampled t-test)")
    parts += _mcnemar_tally(runs_significance)
    text = "; ".join(parts) + "." if parts else ""
    tally = (f"the claim held in {held} of {n} runs" + (f" and failed in {failed}" if failed else "")) if n > 1 else \
        "on this run"
    conclusion = {
        True: f"The tutorial's claim holds {tally}." if n == 1 else f"The tutorial's claim holds: {tally}.",
        False: f"The tutorial's claim does not hold {tally}." if n == 1 else f"The tutorial's claim does not hold: {tally}.",
        None: f"The evidence is mixed or incomplete: {tally}.",
    }[holds]
    reason = None
    if not decided and reasons:
        reason = reasons[0]
        conclusion = f"The claim cannot be judged: {reason}."
    return {"target": target, "time_to_target": times, "claim_holds": holds, "text": f"{text} {conclusion}".strip(),
            "reason": reason}


def judge_sizes(points: list[SizePoint]) -> dict:
    """``claim_holds`` and ``text`` over the sizes of a size curve: where, if anywhere, the answer changes."""
    answers = [p["claim_holds"] for p in points]
    sizes = [f"{p['size']:,}" for p in points]
    span = f"{sizes[0]} to {sizes[-1]} training rows" if len(sizes) > 1 else f"{sizes[0]} training rows"
    last_text = points[-1]["text"]
    if all(a is True for a in answers):
        return {"claim_holds": True, "text": f"At every size tried ({span}) the claim held. At the largest: {last_text}"}
    if all(a is False for a in answers):
        return {"claim_holds": False, "text": f"At every size tried ({span}) the claim failed. At the largest: {last_text}"}
    if all(a is None for a in answers):
        return {"claim_holds": None, "text": f"At no size tried ({span}) could the claim be judged. At the largest: "
                                            f"{last_text}"}
    changes = [f"{'held' if a else 'failed' if a is False else 'was undecided'} at {s}" for a, s in zip(answers, sizes)]
    return {"claim_holds": None, "text": "The answer depends on the data size: the claim " + ", ".join(changes) + " training rows."}
