"""Whether the timings of a race can be trusted: the warning when other programs took the CPU."""

from __future__ import annotations

from modelrace.models.judging.verdict import display_name
from modelrace.models.system.cpu_load import WARN_SHARE


def contention_warning(models: dict[str, dict]) -> str | None:
    """The verdict's warning when other programs took a fair share of the CPU while any model trained."""
    busy = [(key, m["contention"]["mean"]) for key, m in models.items()
            if (m.get("contention") or {}).get("mean", 0.0) > WARN_SHARE and m.get("status") in ("finished", "stopped")]
    if not busy:
        return None
    key, share = max(busy, key=lambda item: item[1])
    return (f"Timings may be unfair: other programs used {share:.0%} of the CPU while {display_name(key)} trained; "
            "close them and race again.")
