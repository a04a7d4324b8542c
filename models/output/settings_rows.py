"""A model's settings as people read them: (label, value) rows in a fixed order, only those that apply.

The rules come from each setting's spec beside the config dataclasses (``models.trainers.configs``),
the same specs the window's model cards are built from: the card's label, ``zero_text`` ("no limit"
for a forest's max depth of 0) and ``only_when`` (SGD's momentum is shown only when SGD is the
optimizer, ``models.trainers.configs.setting_applies``). The reports call :func:`config_rows`; the cards
use ``setting_applies`` too, so the window and the reports cannot disagree on which settings apply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from modelrace.models.system.formatting import input_number
from modelrace.models.trainers import registry
from modelrace.models.trainers.configs import SettingInfo, setting_applies, settings_of

Row = tuple[str, str]  # (label, value)


def setting_text(setting: SettingInfo, value: Any) -> str:
    """A setting's value as the window's card shows it: 'no limit' for a 0 that means none, '128, 64', 'yes'."""
    spec = setting.spec
    if setting.kind == "bool":
        return "yes" if value else "no"
    if setting.kind == "layers":
        return ", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
    if setting.kind in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
        if spec.zero_text and value == 0:
            return spec.zero_text
        return input_number(value, spec.decimals if setting.kind == "float" else None)
    return str(value)


def config_rows(key: str, config: Any) -> list[Row]:
    """``(label, value)`` rows of model ``key``'s settings that apply, in the config class's order.

    ``config`` is the result's dict (or a config dataclass). Keys a config class does not know (a
    file from another version) follow, under their own name, so nothing recorded is hidden; so does
    every setting of a model not installed here (no config class to name them).
    """
    if config is None:
        return []
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        values = dataclasses.asdict(config)
    else:
        values = dict(config)
    settings = settings_of(registry.config_class(key)) if registry.known(key) else []
    rows = [(s.spec.label, setting_text(s, values[s.name])) for s in settings
            if s.name in values and setting_applies(s, values)]
    known = {s.name for s in settings}
    rows += [(name.replace("_", " "), _plain(values[name])) for name in values if name not in known]
    return rows


def unused_settings(key: str, config: Mapping[str, Any] | None) -> set[str]:
    """Names of model ``key``'s settings that do not apply to ``config`` (to leave out of parameter lists)."""
    if not registry.known(key) or not config:
        return set()
    return {s.name for s in settings_of(registry.config_class(key)) if s.name in config and not setting_applies(s, config)}


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, float):
        return input_number(value)
    return "—" if value is None else str(value)
