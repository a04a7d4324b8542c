"""One way to write each kind of number, shared by the window, the reports and the terminal.

The rules: accuracies with 3 decimals (or as a percentage with 1); seconds with 2 decimals under
10 s, 1 under 100 s, none above; p-values as "< 0.001" or with 2 significant figures; differences in
points with 1 decimal and a sign; inputs without trailing zeros. A number and its unit are joined by
a no-break space, so a line never breaks between them. The JSON keeps full precision: these are for
people only.
"""

from __future__ import annotations

import math
from typing import Any

#: A value that does not apply (a model that did not run, a test that could not be made).
MISSING = "—"
#: A target a model's curve never reached: one word, everywhere.
NEVER = "never"
#: Joins a number to its unit: "0.16 s" never breaks after "0.16".
NBSP = "\u00a0"


#: How a model's state is written, one word (or two) per state, in every view. ``skipped`` is the JSON's word.
STATUS_WORDS = {"finished": "finished", "stopped": "stopped", "failed": "failed", "skipped": "not run",
                "queued": "waiting", "training": "training"}


def status_word(status: str) -> str:
    """A model's state as every view writes it ('not run' for the JSON's ``skipped``)."""
    return STATUS_WORDS.get(status, status)


def accuracy(value: float | None) -> str:
    """An accuracy (or macro-F1) in [0, 1] with 3 decimals: '0.816'."""
    return MISSING if value is None else f"{value:.3f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: '81.6%'."""
    return MISSING if value is None else f"{100 * value:.{digits}f}%"


def seconds(value: float | None, missing: str = MISSING) -> str:
    """Seconds, digits by size: '0.004 s', '0.16 s', '12.4 s', '305 s'; ``missing`` when None."""
    if value is None:
        return missing
    return f"{_seconds_number(value)}{NBSP}s"


def _seconds_number(value: float) -> str:
    magnitude = abs(value)
    if magnitude < 0.01 and value != 0:
        return f"{value:.3f}"
    return f"{value:.2f}" if magnitude < 10 else f"{value:.1f}" if magnitude < 100 else f"{value:.0f}"


def p_value(value: float | None) -> str:
    """A p-value: '< 0.001', else 2 significant figures ('0.0079', '0.39', '0.30'); '—' when there is none."""
    if value is None:
        return MISSING
    if value < 0.001:
        return f"<{NBSP}0.001"
    return _significant(value, 2)


def p_text(value: float | None) -> str:
    """A p-value in a sentence: 'p < 0.001', 'p = 0.039'."""
    if value is None:
        return "p not available"
    shown = p_value(value)
    return f"p{NBSP}{shown}" if shown.startswith("<") else f"p{NBSP}={NBSP}{shown}"


def points(difference: float | None, signed: bool = True) -> str:
    """An accuracy difference (a fraction) in percentage points, 1 decimal: '+6.1 points'."""
    if difference is None:
        return MISSING
    value = 100 * difference
    return f"{value:+.1f}{NBSP}points" if signed else f"{abs(value):.1f}{NBSP}points"


def probability(value: float | None) -> str:
    """A probability with 2 decimals: '0.83'."""
    return MISSING if value is None else f"{value:.2f}"


def statistic(value: float | None) -> str:
    """A test statistic (t) with 2 decimals; beyond ±1000 (runs that differ by the same amount every time) as '> 1000'."""
    if value is None:
        return MISSING
    if abs(value) >= 1000:
        return f">{NBSP}1000" if value > 0 else f"<{NBSP}-1000"
    return f"{value:.2f}"


def count(value: int) -> str:
    """A whole count with thousands separators: '16,000'."""
    return f"{value:,}"


def steps(done: float, total: int | None = None, unit: str = "") -> str:
    """Whole steps done, never a fraction of one: '5/20 epochs', '5 epochs'."""
    whole = int(math.floor(done + 1e-9))
    plural = unit if not unit or (total if total is not None else whole) == 1 else unit + "s"
    text = f"{whole}/{total}" if total is not None else f"{whole}"
    return f"{text} {plural}".strip()


def input_number(value: float, decimals: int | None = None) -> str:
    """A setting as typed: no trailing zeros ('0.001', '0.9', '300'); with ``decimals``, never an exponent
    ('0.00001'), else the shortest form ('1e-05')."""
    if decimals is not None:
        text = f"{value:.{decimals}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return "0" if text in ("-0", "") else text
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    if "e" not in text and len(text.split(".")[1]) > 6:
        text = _significant(value, 6, strip=True)
    return text


def format_size(nbytes: Any) -> str:
    """Bytes as B, KB, MB or GB (decimal units); '—' when unknown."""
    if nbytes is None:
        return MISSING
    value = float(nbytes)
    for unit in ("B", "KB", "MB"):
        if value < 1000:
            return f"{value:.0f}{NBSP}{unit}" if unit == "B" else f"{value:.1f}{NBSP}{unit}"
        value /= 1000
    return f"{value:.1f}{NBSP}GB"


#: How each kind of number is written, by name (for tables built from specs).
KINDS = {"accuracy": accuracy, "seconds": seconds, "percent": percent, "probability": probability}


def ci(values: dict | None, kind: str = "accuracy", missing: str = MISSING) -> str:
    """A ``mean_ci`` summary as 'mean ± half-width' in ``kind``'s format (just the mean when there is one value)."""
    if not values or values.get("mean") is None:
        return missing
    if kind == "seconds":
        mean = _seconds_number(values["mean"])
        if values.get("low") is None:
            return f"{mean}{NBSP}s"
        decimals = len(mean.split(".")[1]) if "." in mean else 0  # the half-width with the mean's digits
        return f"{mean} ±{NBSP}{(values['high'] - values['low']) / 2:.{decimals}f}{NBSP}s"
    write = KINDS[kind]
    if values.get("low") is None:
        return write(values["mean"])
    return f"{write(values['mean'])} ±{NBSP}{write((values['high'] - values['low']) / 2)}"


def _significant(value: float, figures: int, strip: bool = False) -> str:
    """``value`` with ``figures`` significant figures, without an exponent (``strip`` drops trailing zeros)."""
    if value == 0:
        return "0"
    decimals = max(0, figures - 1 - int(math.floor(math.log10(abs(value)))))
    text = f"{value:.{decimals}f}"
    # Rounding can carry into a new digit (0.0999 -> 0.100): recompute on the rounded value.
    rounded = float(text)
    if rounded != 0 and int(math.floor(math.log10(abs(rounded)))) != int(math.floor(math.log10(abs(value)))):
        decimals = max(0, figures - 1 - int(math.floor(math.log10(abs(rounded)))))
        text = f"{rounded:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if strip and "." in text else text
