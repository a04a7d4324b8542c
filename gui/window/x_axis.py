"""The live curves' x axis in words: its modes, and what each mode's axis says, from the registered models' units."""

from __future__ import annotations

from modelrace.models.trainers.registry import MODEL_KEYS, UNITS, short_label

#: Every registered model's native unit, once each ("epoch / tree / round / iteration").
NATIVE_UNITS = " / ".join(dict.fromkeys(UNITS.values()))
#: The x axis's choices: (mode, the box's text). "log" is training seconds on a log axis, where a forest's
#: half second and a network's minute both show their shape. The steps' entry stays short (the box shares
#: its line with the legend); its tooltip names each model's unit.
X_MODES = (("time", "Training seconds"), ("log", "Training seconds (log)"), ("steps", "Native steps"))
#: The box's tooltip.
CHOICE_TIP = ("x axis: training seconds (monitoring excluded), on a linear or a log scale (the log scale shows a "
              f"half-second model and a minute-long one alike), or each model's own unit ({NATIVE_UNITS})")


def native_units_tip() -> str:
    """What a step is for each registered model ("MLP: epoch; RF: tree; …"), for the steps axis's tooltip."""
    return "Each model's own unit: " + "; ".join(f"{short_label(key)}: {UNITS[key]}" for key in MODEL_KEYS)


def axis_words(mode: str) -> tuple[str, str]:
    """The bottom axis's label and tooltip in ``mode`` (time, log or steps)."""
    if mode == "steps":
        return f"step ({NATIVE_UNITS})", native_units_tip()
    label = "training seconds (log)" if mode == "log" else "training seconds"
    return label, "Seconds spent training; the validation checks that draw these curves are timed apart and left out"
