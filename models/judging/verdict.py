"""Time-to-target and the verdict on the tutorial's claim.

The claim: "for many tasks you'll likely get good results more quickly with a simpler model"
such as a RandomForest or XGBoost than with a neural network. Each model's side comes from the
model registry (``models.judging.sides``). On one run the claim holds when the fastest simpler model
reaches the target validation accuracy in fewer training seconds than the fastest neural network;
it fails when a neural network gets there first; and it cannot be judged when a side is missing or
was stopped too early to compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from modelrace.models.results.document import CurvePoint, ModelEntry, Verdict

from modelrace.models.judging import sides
from modelrace.models.system.formatting import NBSP, percent, seconds

_RACED = ("finished", "stopped")


def display_name(key: str, start: bool = False) -> str:
    """A model's name in a sentence (the registry's; the key for a model not installed here); ``start``
    capitalises it for the start of one."""
    return sides.name(key, start)


def fraction_of_best(finals: Iterable[float], fraction: float) -> float | None:
    """The automatic target: ``fraction`` of the best of ``finals`` (validation accuracies), rounded as every
    reader rounds it; None when there is none. One race, a repeated race and the window's live line use it."""
    finals = list(finals)
    return round(fraction * max(finals), 4) if finals else None


def default_target(models: Mapping[str, ModelEntry], fraction: float) -> float | None:
    """``fraction`` of the best final validation accuracy among the raced models (None if no curve)."""
    return fraction_of_best((m["curve"][-1]["val_accuracy"] for m in models.values()
                             if m.get("status") in _RACED and m.get("curve")), fraction)


def time_to_target(curve: Sequence[CurvePoint], target: float) -> float | None:
    """Training seconds at the first curve point whose validation accuracy reached ``target``."""
    for point in curve:
        if point["val_accuracy"] >= target:
            return point["t"]
    return None


def run_time_to_target(model: Mapping[str, Any], target: float | None) -> float | None:
    """A model's time to ``target`` on its own curve (None if never reached or no target).

    Use this for one run's tables and charts: in a repeated race the top-level verdict's
    ``time_to_target`` holds means across seeds, not this run's times. A failed model has none: its
    curve is what it drew before failing, not a model that reached anything.
    """
    if target is None or not model.get("curve") or model.get("status") == "failed":
        return None
    return time_to_target(model["curve"], target)


def judge(models: Mapping[str, ModelEntry], target: float | None) -> Verdict:
    """Return the ``verdict`` block: target, time_to_target per model, claim_holds and text."""
    raced = {k: m for k, m in models.items() if m.get("status") in _RACED and m.get("curve")}
    if target is None:
        return {"target": None, "time_to_target": {k: None for k in models}, "claim_holds": None,
                "text": "No model produced a validation curve, so the claim cannot be judged on this run."}
    times = {k: (time_to_target(m["curve"], target) if k in raced else None) for k, m in models.items()}
    holds, reason = _decide(models, raced, times)
    text = _describe(raced, times, target)
    conclusion = {
        True: "The tutorial's claim holds on this run.",
        False: "The tutorial's claim does not hold on this run.",
        None: f"The claim cannot be judged on this run: {reason}.",
    }[holds]
    return {"target": target, "time_to_target": times, "claim_holds": holds, "text": f"{text} {conclusion}".strip(),
            "reason": reason or None}


def _decide(models: Mapping[str, ModelEntry], raced: dict[str, ModelEntry], times: dict[str, float | None]) -> tuple[bool | None, str]:
    """The fastest simpler model's time against the fastest neural network's, and why when there is no answer.

    The faster side wins only if no model of the other side was stopped, short of the target, before the
    winning time: that model might still have got there first.
    """
    named = sides.in_play(models)
    neural, simpler = sides.members("neural", raced), sides.members("simpler", raced)
    if not neural:
        return None, sides.none_of("neural", named, "did not race", "raced")
    if not simpler:
        return None, sides.none_of("simpler", named, "did not race", "raced")
    best_neural = sides.fastest("neural", times, neural)
    best_simple = sides.fastest("simpler", times, simpler)
    neural_time = times[best_neural] if best_neural else None
    simple_time = times[best_simple] if best_simple else None
    if simple_time is None and neural_time is None:
        return None, "no model reached the target"
    if simple_time is not None and (neural_time is None or simple_time <= neural_time):
        short = _cut_short(raced, neural, times, simple_time)
        if short:
            return None, (f"{display_name(short[0])} was stopped after {_secs(_trained(raced[short[0]]))}, before the "
                          f"simpler model's {_secs(simple_time)}")
        return True, ""
    assert best_neural is not None and neural_time is not None
    short = _cut_short(raced, simpler, times, neural_time)
    if short and short == simpler:
        return None, f"the simpler models were stopped before {sides.possessive(best_neural)} {_secs(neural_time)}"
    if short:
        return None, (f"{display_name(short[0])} was stopped after {_secs(_trained(raced[short[0]]))}, before "
                      f"{sides.possessive(best_neural)} {_secs(neural_time)}")
    return False, ""


def _trained(model: ModelEntry) -> float:
    """Training seconds at a model's last curve point."""
    return float(model["curve"][-1]["t"])


def _cut_short(raced: dict[str, ModelEntry], keys: list[str], times: dict[str, float | None], rival: float) -> list[str]:
    """The models of ``keys`` that never reached the target but might have beaten ``rival`` seconds: they were
    stopped before training that long. One that finished, or trained that long, could not have."""
    return [k for k in keys if times[k] is None and raced[k]["status"] != "finished" and _trained(raced[k]) < rival]


def _describe(raced: dict[str, ModelEntry], times: dict[str, float | None], target: float) -> str:
    reached_times = {k: t for k in raced if (t := times[k]) is not None}
    reached = sorted(reached_times, key=reached_times.__getitem__)
    missed = [k for k in raced if times[k] is None]
    reached_parts = [
        f"{display_name(key, start=True)} reached {_pct(target)} validation accuracy in {_secs(reached_times[key])}"
        if i == 0 else f"{display_name(key)} in {_secs(reached_times[key])}"
        for i, key in enumerate(reached)
    ]
    missed_parts: list[str] = []
    for key in missed:
        model = raced[key]
        last = model["curve"][-1]
        best = max(p["val_accuracy"] for p in model["curve"])
        stopped = " before it was stopped" if model["status"] == "stopped" else ""
        what = "it" if reached or missed_parts else f"{_pct(target)} validation accuracy"
        lead = display_name(key, start=not reached_parts and not missed_parts)
        missed_parts.append(f"{lead} never reached {what} in {_units(last['step'], last['unit'])}{stopped} "
                            f"({_best_against(best, target)})")
    sentence = "; ".join(p for p in (sides.join_and(reached_parts), "; ".join(missed_parts)) if p)
    return sentence + "." if sentence else ""


def _pct(value: float, digits: int = 1) -> str:
    return percent(value, digits)


def _best_against(best: float, target: float) -> str:
    """"best 72.1%", or, when one decimal would show the best equal to the target it missed, the digits that differ."""
    digits = 1
    while digits < 4 and _pct(best, digits) == _pct(target, digits):
        digits += 1
    if digits == 1:
        return f"best {_pct(best)}"
    return f"best {_pct(best, digits)}, just under the {_pct(target, digits)} target"


def _secs(value: float) -> str:
    return seconds(value)


def _units(count: float, unit: str) -> str:
    number = f"{count:g}" if float(count).is_integer() else f"{count:.1f}"
    return f"{number}{NBSP}{unit}{'' if count == 1 else 's'}"
