"""One way to write each kind of number, shared by the window, the reports and the terminal.

The rules: accuracies with 3 decimals (or as a percentage with 1); seconds with 2 decimals under
10 s, 1 under 100 s, none above; p-values as "< 0.001" or with 2 significant figures; differences in
points with 1 decimal and a sign; inputs without trailing zeros. A number and its unit are joined by
a no-break space, so a line never breaks between them. The JSON keeps full precision: these are for
people only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, overload

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


#: Fewest values for a 95% confidence interval; with fewer, a summary gives the range (lowest to highest):
#: a t-interval from 2 values is 12.7 standard errors wide (t with 1 degree of freedom).
FEWEST_FOR_CI = 3
#: Student's t at 97.5% with 1 degree of freedom: files written before the ``interval`` key hold, for 2
#: values, mean ± this many half-ranges, from which the two values come back exactly.
_T_975_1 = 12.706204736174694
#: The kinds whose values live in [0, 1].
_FRACTIONS = ("accuracy", "percent", "probability")


@overload
def read_interval(values: Mapping[str, Any], kind: str = "accuracy") -> Mapping[str, Any]: ...
@overload
def read_interval(values: None, kind: str = "accuracy") -> None: ...


def read_interval(values: Mapping[str, Any] | None, kind: str = "accuracy") -> Mapping[str, Any] | None:
    """A summary interval (``models.judging.stats.mean_ci``) as this version writes it, whoever wrote it.

    Files written before the ``interval`` key hold an unclamped Student-t interval for any 2 or more
    values (a time could run below 0 s, an accuracy above 1): here 2 values become their range again,
    and 3 or more (or an unknown count) are clamped to what ``kind`` can be. Newer dicts come back as they are.
    """
    if not values or "interval" in values:
        return values
    mean, low, high, n = values.get("mean"), values.get("low"), values.get("high"), values.get("n")
    read = {**values, "interval": None, "centre": "mean" if mean is not None else None}
    if mean is None or low is None or high is None or (n is not None and n < 2):
        return {**read, "low": None, "high": None}
    if n is not None and n < FEWEST_FOR_CI:
        half = (high - low) / 2 / _T_975_1
        return {**read, "low": mean - half, "high": mean + half, "interval": "range"}
    ceiling = 1.0 if kind in _FRACTIONS else math.inf
    return {**read, "low": max(0.0, low), "high": min(ceiling, high), "interval": "t"}


def ci(values: Mapping[str, Any] | None, kind: str = "accuracy", missing: str = MISSING, words: bool = False,
       centre: bool = False, range_said: bool = False) -> str:
    """A ``mean_ci`` summary in ``kind``'s format, short enough for a table cell.

    '0.812 ± 0.008' (a symmetric interval); '0.07 s (0.02–0.12 s)' (asymmetric: times on the log
    scale, or an accuracy clamped at 1); '0.779 (range 0.700–0.858)' (2 values: lowest to highest);
    the value alone when there is one; ``missing`` when there is none. ``words`` names a confidence
    interval in the brackets ('0.07 s (95% CI 0.02–0.12 s)'), for sentences, and ``centre`` names a
    centre other than the arithmetic mean ('0.07 s (geometric mean; 95% CI 0.02–0.12 s)').
    ``range_said``: a caption already says that the table's values are ranges, so a range is written
    '0.779 (0.700–0.858)', which a narrow table cell has room for.
    """
    values = read_interval(values, kind)
    if not values or values.get("mean") is None:
        return missing
    number = _seconds_number if kind == "seconds" else KINDS[kind]
    unit = f"{NBSP}s" if kind == "seconds" else ""
    shown = number(values["mean"])
    if values.get("low") is None or values.get("high") is None:
        return shown + unit
    low, high, interval = values["low"], values["high"], values.get("interval")
    named = f"{values['centre']}; " if centre and values.get("centre") not in (None, "mean") else ""
    if interval == "range":
        return f"{shown}{unit} ({named}{'' if range_said else 'range '}{number(low)}–{number(high)}{unit})"
    if interval == "t" or interval is None:
        if math.isclose(values["mean"] - low, high - values["mean"], rel_tol=1e-6, abs_tol=1e-12):  # not clamped
            plus_minus = f"{shown} ±{NBSP}{_half_width((high - low) / 2, shown, kind)}{unit}"
            return f"{plus_minus} ({named}95% CI)" if words and named else plus_minus
    label = "95% CI " if words else ""
    return f"{shown}{unit} ({named}{label}{number(low)}–{number(high)}{unit})"


def _half_width(value: float, shown_mean: str, kind: str) -> str:
    """A half-width as the table writes it: an accuracy's format, or seconds with the mean's decimals."""
    if kind != "seconds":
        return KINDS[kind](value)
    decimals = len(shown_mean.split(".")[1]) if "." in shown_mean else 0
    return f"{value:.{decimals}f}"


def ci_legend(count: int, time_centre: str = "geometric mean") -> str:
    """What the intervals over ``count`` seeds are, for a caption: 'mean ± 95% CI; times: geometric mean (95% CI)'.

    ``time_centre`` is what the times are (:func:`times_centre`): 'mean' in files written before times were
    summarised on the log scale.
    """
    if count >= FEWEST_FOR_CI:
        return f"mean ± 95% CI; times: {time_centre} (95% CI)"
    if count == 2:
        return f"mean and range (2 seeds are too few for a 95% CI); times: {time_centre}"
    return "one run"


def times_centre(intervals: Iterable[Mapping[str, Any] | None]) -> str:
    """'geometric mean' when every summarised time among ``intervals`` is one (as modelrace writes them now),
    else 'mean' (an older file, or a time of 0 s, which has no logarithm)."""
    centres = {read_interval(i, "seconds").get("centre") for i in intervals if i and i.get("mean") is not None}
    return "geometric mean" if centres <= {"geometric mean"} else "mean"


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
