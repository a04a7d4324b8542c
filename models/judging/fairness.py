"""Whether the timings of a race can be trusted: the warning when other programs took the CPU."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modelrace.models.judging.verdict import display_name
from modelrace.models.results.document import ModelEntry
from modelrace.models.system.cpu_load import WARN_SHARE

_ADVICE = "close them and race again."


def contended(models: Mapping[str, ModelEntry]) -> list[tuple[str, float]]:
    """(model, other programs' mean share of the CPU) for every raced model above the threshold, worst first."""
    shares = {key: (m.get("contention") or {}).get("mean", 0.0) for key, m in models.items()
              if m["status"] in ("finished", "stopped")}
    busy = [(key, float(share)) for key, share in shares.items() if share > WARN_SHARE]
    return sorted(busy, key=lambda item: -item[1])


def contention_warning(models: Mapping[str, ModelEntry]) -> str | None:
    """The verdict's warning, naming every model that trained while other programs took a fair share of the CPU.

    'Timings may be unfair: other programs used 59% of the CPU while RandomForest trained, 55% while
    XGBoost did and 53% while the MLP did; close them and race again.'
    """
    busy = contended(models)
    if not busy:
        return None
    return f"Timings may be unfair: other programs used {_shares(busy)}; {_ADVICE}"


def runs_contention_warning(runs: Sequence[tuple[int, Mapping[str, ModelEntry]]]) -> str | None:
    """The warning over the (seed, models) of a repeated race: which runs were busy, and every model's worst share.

    'Timings may be unfair: 2 of 3 runs (seeds 0 and 2) ran on a busy machine, where other programs
    used up to 59% of the CPU while RandomForest trained and 12% while XGBoost did; close them and race again.'
    """
    worst: dict[str, float] = {}
    seeds = []
    for seed, models in runs:
        busy = contended(models)
        if busy:
            seeds.append(str(seed))
        for key, share in busy:
            worst[key] = max(worst.get(key, 0.0), share)
    if not seeds:
        return None
    which = (("both runs" if len(runs) == 2 else f"all {len(runs)} runs") if len(seeds) == len(runs) else
             f"{len(seeds)} of {len(runs)} runs ({'seed' if len(seeds) == 1 else 'seeds'} {_join(seeds)})")
    up_to = "up to " if len(seeds) > 1 else ""
    busy = sorted(worst.items(), key=lambda item: -item[1])
    return f"Timings may be unfair: {which} ran on a busy machine, where other programs used {up_to}{_shares(busy)}; {_ADVICE}"


def _shares(busy: list[tuple[str, float]]) -> str:
    """'59% of the CPU while RandomForest trained, 55% while XGBoost did and 53% while the MLP did'."""
    (first, share), rest = busy[0], busy[1:]
    parts = [f"{share:.0%} of the CPU while {display_name(first)} trained"]
    parts += [f"{s:.0%} while {display_name(k)} did" for k, s in rest]
    return _join(parts)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
