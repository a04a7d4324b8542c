"""Number formats shared by the terminal, the window and the reports (so they always agree)."""

from __future__ import annotations

from typing import Any


def format_size(nbytes: Any) -> str:
    """Bytes as B, KB, MB or GB (decimal units); '—' when unknown."""
    if nbytes is None:
        return "—"
    value = float(nbytes)
    for unit in ("B", "KB", "MB"):
        if value < 1000:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


def ci_text(values: dict | None, spec: str, unit: str = "", missing: str = "—") -> str:
    """A ``mean_ci`` summary as 'mean ± half-width' (just the mean when there is one value)."""
    if not values or values.get("mean") is None:
        return missing
    if values.get("low") is None:
        return f"{format(values['mean'], spec)}{unit}"
    return f"{format(values['mean'], spec)} ± {format((values['high'] - values['low']) / 2, spec)}{unit}"
