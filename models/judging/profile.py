"""Time to every target: the time-to-accuracy profile, who was first across the target range, and budgets.

A model's profile is the step function "training seconds needed to first reach accuracy x", read off
its validation curve's running maximum: each time the best accuracy so far rises, every target up to
the new best becomes reachable at that time. DAWNBench and MLPerf Training rank systems by time to
one accuracy; the profile does it for every accuracy the curves cover, so one chosen target cannot
decide the answer alone.

The claim's measures (the share of targets a simpler model was first to, and the crossovers) weigh the
neural side against the simpler side as the model registry declares them; a model not installed here
has no side and is left out of them, as if it had not raced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from modelrace.models.judging import sides
from modelrace.models.results.document import ModelEntry, Verdict
from modelrace.models.trainers import registry

#: Budgets (training seconds) the reports answer "best accuracy by then" for, besides the user's own.
BUDGETS = (1.0, 10.0, 60.0)

Steps = list[tuple[float, float]]  # (accuracy now reachable, training seconds) with both increasing


def profile_steps(curve: Sequence[Mapping[str, Any]]) -> Steps:
    """The running-best records of a curve: (best validation accuracy so far, training seconds) at each rise."""
    steps: Steps = []
    best = -math.inf
    for point in curve:
        accuracy = point["val_accuracy"]
        if accuracy > best:
            best = accuracy
            steps.append((accuracy, point["t"]))
    return steps


def time_to(steps: Steps, target: float) -> float | None:
    """Training seconds to first reach ``target`` (None if the curve never did)."""
    for accuracy, seconds in steps:
        if accuracy >= target:
            return seconds
    return None


def best_by(curve: Sequence[Mapping[str, Any]], budget: float) -> float | None:
    """The best validation accuracy reached within ``budget`` training seconds (None if no point by then)."""
    reached = [p["val_accuracy"] for p in curve if p["t"] <= budget]
    return max(reached) if reached else None


def target_range(all_steps: dict[str, Steps]) -> tuple[float, float] | None:
    """From the lowest first validation accuracy of any model to the best any model reached.

    Below the lowest first point every model is there at its first evaluation, which says little;
    above the best, no model is.
    """
    curves = [s for s in all_steps.values() if s]
    if not curves:
        return None
    return min(s[0][0] for s in curves), max(s[-1][0] for s in curves)


def first_segments(all_steps: dict[str, Steps]) -> list[dict]:
    """Who was first to each stretch of targets: [{"low", "high", "first", "seconds", "only"}], merged.

    Each segment covers the targets in (low, high]; ``first`` reached them soonest, its lowest ones in
    ``seconds`` (None: no model reached them); ``only`` is True when no other model reached them at all.
    """
    bounds = target_range(all_steps)
    if bounds is None:
        return []
    low, high = bounds
    cuts = sorted({a for steps in all_steps.values() for a, _ in steps if low < a <= high} | {low, high})
    segments: list[dict] = []
    for lower, upper in zip(cuts, cuts[1:]):
        times = {key: time_to(steps, upper) for key, steps in all_steps.items()}
        reached = {key: t for key, t in times.items() if t is not None}
        first = min(reached, key=lambda k: (reached[k], k)) if reached else None
        only = len(reached) == 1
        if segments and segments[-1]["first"] == first and segments[-1]["only"] == only:
            segments[-1]["high"] = upper  # "seconds" stays the time to the segment's lowest targets
        else:
            segments.append({"low": lower, "high": upper, "first": first, "seconds": reached.get(first) if first else None,
                             "only": only})
    return segments


def simple_first_share(segments: list[dict]) -> float | None:
    """The share of the target range on which a simpler model was first."""
    total = sum(s["high"] - s["low"] for s in segments)
    if total <= 0:
        return None
    return sum(s["high"] - s["low"] for s in segments if registry.side(s["first"]) == "simpler") / total


def crossovers(segments: list[dict]) -> list[dict]:
    """Targets where the lead passes between a simpler model and a neural network: {"target", "from", "to", "seconds"}."""
    changes = []
    for before, after in zip(segments, segments[1:]):
        stands = [registry.side(s["first"]) if s["first"] else None for s in (before, after)]
        if None not in stands and stands[0] != stands[1]:
            changes.append({"target": before["high"], "from": before["first"], "to": after["first"],
                            "seconds": after["seconds"]})
    return changes


def claim_segments(all_steps: dict[str, Steps], segments: list[dict]) -> list[dict]:
    """Who was first among the models that stand on a side of the claim: ``segments`` themselves unless a model
    not installed here raced, which is then left out."""
    sided = {key: steps for key, steps in all_steps.items() if registry.side(key) is not None and steps}
    return segments if len(sided) == len([s for s in all_steps.values() if s]) else first_segments(sided)


def profile_block(models: Mapping[str, ModelEntry], budgets: Sequence[float] = BUDGETS) -> dict | None:
    """The result's ``profile`` block for one run: each model's steps, who was first where, and budgets."""
    raced = {k: m for k, m in models.items() if m.get("status") in ("finished", "stopped") and m.get("curve")}
    all_steps = {k: profile_steps(m["curve"]) for k, m in raced.items()}
    bounds = target_range(all_steps)
    if bounds is None:
        return None
    segments = first_segments(all_steps)
    judged = claim_segments(all_steps, segments)
    return {
        "range": list(bounds),
        "steps": {k: [list(step) for step in steps] for k, steps in all_steps.items()},
        "segments": segments,
        "simple_first_share": simple_first_share(judged),
        "crossovers": crossovers(judged),
        "budgets": {"seconds": list(budgets), "best": {k: [best_by(m["curve"], b) for b in budgets]
                                                      for k, m in raced.items()}},
    }


def profile_sentence(block: Mapping[str, Any] | None) -> str:
    """One sentence over every target, naming the crossover target and time if the lead changes."""
    from modelrace.models.system.formatting import percent, seconds

    if not block or not block.get("segments"):
        return ""
    segments = block["segments"]
    low, high = block["range"]
    span = f"from {percent(low)} to {percent(high)}"
    firsts = [s["first"] for s in segments]
    if all(registry.side(first) == "simpler" for first in firsts):
        who = sides.name(firsts[0], start=True) if len(set(firsts)) == 1 else "A simpler model"
        return f"{who} was first to every target {span}{_neural_best(block['steps'], high)}."
    if all(registry.side(first) == "neural" for first in firsts):
        who = sides.name(firsts[0], start=True) if len(set(firsts)) == 1 else "A neural network"
        return f"{who} was first to every target {span}."
    if len(segments) > 4:
        share = block.get("simple_first_share") or 0.0
        return (f"A simpler model was first on {percent(share, 0)} of the targets {span}; the lead changed "
                f"{len(segments) - 1} times.")
    parts = []
    for index, segment in enumerate(segments):
        name = sides.name(segment["first"], start=index == 0)
        if index == 0:
            parts.append(f"{name} was first up to {percent(segment['high'])}")
        elif segment["only"]:
            parts.append(f"above that only {name} got there, after {seconds(segment['seconds'])}")
        elif index == len(segments) - 1:
            parts.append(f"above that {name} was first, after {seconds(segment['seconds'])}")
        else:
            parts.append(f"above that {name} was first up to {percent(segment['high'])}")
    return "; ".join(parts) + "."


def _neural_best(steps: dict[str, list], high: float) -> str:
    """'; the MLP's best was 72.0%': how close the neural side came, when it never led (empty if it got to ``high``)."""
    from modelrace.models.system.formatting import percent

    bests = {key: s[-1][0] for key in sides.members("neural", steps) if (s := steps[key])}
    if not bests or max(bests.values()) >= high:
        return ""
    whose = sides.possessive(next(iter(bests))) if len(bests) == 1 else "the neural networks'"
    return f"; {whose} best was {percent(max(bests.values()))}"


def seeds_profile_block(runs_models: Sequence[Mapping[str, Mapping[str, Any]]], points: int = 60,
                        budgets: Sequence[float] = BUDGETS) -> dict | None:
    """The ``profile`` block over several seeds: each model's median time to each target, a band, and reach.

    On a grid of targets over the range the runs cover, a model's time to a target is the median
    over the seeds (a seed that never reached it counts as never, so the median is "never" once half
    the seeds or more missed it); the band runs from the 25th to the 75th percentile, which with up to
    4 seeds is the lowest and the highest seed (``band`` says "range" or "quartiles"); ``reached`` is
    the share of seeds that got there. Who was first is then read off the medians, as for one run.
    """
    import numpy as np

    per_model: dict[str, list[Steps]] = {}
    for models in runs_models:
        for key, entry in models.items():
            if entry.get("status") in ("finished", "stopped") and entry.get("curve"):
                per_model.setdefault(key, []).append(profile_steps(entry["curve"]))
    bounds = target_range({f"{k}-{i}": s for k, runs in per_model.items() for i, s in enumerate(runs)})
    if bounds is None:
        return None
    grid = np.linspace(bounds[0], bounds[1], points)
    seeds: dict[str, dict] = {}
    medians: dict[str, Steps] = {}
    for key, runs in per_model.items():
        reached_at = [[time_to(steps, x) for x in grid] for steps in runs]
        times = np.array([[np.inf if t is None else t for t in row] for row in reached_at])
        # Order statistics, not interpolation: "never" (infinity) stays never instead of becoming NaN.
        orders: tuple[tuple[int, Literal["higher", "lower"]], ...] = ((50, "higher"), (25, "lower"), (75, "higher"))
        median, low, high = (np.percentile(times, q, axis=0, method=m) for q, m in orders)
        reached = np.isfinite(times).mean(axis=0)
        seeds[key] = {"median": [float(v) if np.isfinite(v) else None for v in median],
                      "low": [float(v) if np.isfinite(v) else None for v in low],
                      "high": [float(v) if np.isfinite(v) else None for v in high],
                      "reached": [float(v) for v in reached], "runs": len(runs),
                      # Order statistics of up to 4 seeds put the quartiles on the lowest and highest seed.
                      "band": "range" if len(runs) <= 4 else "quartiles"}
        medians[key] = [(float(x), float(t)) for x, t in zip(grid, median) if np.isfinite(t)]
    segments = first_segments({k: v for k, v in medians.items() if v})
    judged = claim_segments(medians, segments)
    return {
        "range": [float(bounds[0]), float(bounds[1])],
        "grid": [float(x) for x in grid],
        "seeds": seeds,
        "steps": {k: [list(s) for s in v] for k, v in medians.items()},
        "segments": segments,
        "simple_first_share": simple_first_share(judged),
        "crossovers": crossovers(judged),
        "budgets": {"seconds": list(budgets), "best": {
            k: [float(np.median([b for b in vals if b is not None])) if any(b is not None for b in vals) else None
                for vals in zip(*[[best_by(m[k]["curve"], b) for b in budgets] for m in runs_models
                                  if m.get(k, {}).get("curve")])]
            for k in per_model}},
    }


def add_to_verdict(verdict: Verdict, block: Mapping[str, Any] | None) -> None:
    """Append the sentence over every target to the verdict's text, and record the simpler models' share."""
    if not block:
        return
    sentence = profile_sentence(block)
    if sentence:
        verdict["text"] = f"{verdict['text']} {sentence}".strip()
    verdict["simple_first_share"] = block.get("simple_first_share")
