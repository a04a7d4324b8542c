"""Race presets: TOML files that set the split, race options and each model's hyperparameters.

A preset may have a table for every registered model (its key: ``[mlp]``, ``[rf]``, a plugin's);
a model without one races with its config's defaults. A table that names no model installed here is
refused with one line naming the file and the table: it may be a typo, or a plugin's model that this
machine lacks, and either way the race would not be the one the preset describes.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelrace.models.system.errors import ConfigError
from modelrace.models.system.parsing import parse_toml, read_text
from modelrace.models.trainers import registry
from modelrace.models.data.split_config import SplitConfig
from modelrace.models.trainers.configs import config_from_dict
from modelrace.resources import presets_dir

MODES = ("fair", "simultaneous")
#: The tables a preset has besides one per model.
_TABLES = ("description", "split", "race")
#: A preset is a few hundred bytes; a megabyte is already not one.
MAX_PRESET_BYTES = 1024 * 1024


@dataclass(frozen=True)
class RaceOptions:
    """Race-wide settings from a preset's ``[race]`` table."""

    mode: str = "fair"
    target_fraction: float = 0.95  # default target: this fraction of the best final validation accuracy
    max_rows: int = 0  # 0 = all rows; otherwise a stratified sample of at most this many

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be fair or simultaneous, got {self.mode!r}")
        if not 0 < self.target_fraction <= 1:
            raise ValueError(f"target_fraction must be in (0, 1], got {self.target_fraction}")
        if self.max_rows < 0:
            raise ValueError(f"max_rows must be >= 0, got {self.max_rows}")


@dataclass(frozen=True)
class Preset:
    """A named set of race settings."""

    name: str
    description: str
    split: SplitConfig
    race: RaceOptions
    models: dict[str, Any] = field(default_factory=dict)  # model key -> its trainer's config


def preset_names() -> list[str]:
    """Names of the bundled presets."""
    return sorted(p.stem for p in presets_dir().glob("*.toml"))


def load_preset(spec: str) -> Preset:
    """Load a bundled preset by name, or a TOML file by path."""
    path = Path(spec)
    if spec in preset_names():
        path = presets_dir() / f"{spec}.toml"
    elif not (path.suffix == ".toml" and path.is_file()):
        raise ConfigError(f"unknown preset '{spec}'; choose from {', '.join(preset_names())} or give a .toml file")
    try:
        data = parse_toml(read_text(path, MAX_PRESET_BYTES, "preset"), str(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file") from exc
    return preset_from_dict(path.stem, data, where=str(path))


def preset_from_dict(name: str, data: dict[str, Any], where: str = "preset") -> Preset:
    """Validate a parsed preset table and build a Preset."""
    keys = list(registry.specs())
    for table in data:
        if table not in _TABLES and table not in keys:
            raise ConfigError(_unknown_table(where, str(table), keys, isinstance(data[table], dict)))
    models = {key: config_from_dict(registry.config_class(key), data.get(key, {}), key) for key in keys}
    return Preset(
        name=name,
        description=str(data.get("description", "")),
        split=config_from_dict(SplitConfig, data.get("split", {}), "split"),
        race=config_from_dict(RaceOptions, data.get("race", {}), "race"),
        models=models,
    )


def _unknown_table(where: str, table: str, keys: list[str], is_table: bool) -> str:
    """One line for a table that is neither a preset table nor an installed model: what it is, and what to do."""
    if not is_table:
        return (f"{where}: unknown setting '{table}' outside any table; put it in the table it belongs to "
                "([split], [race], or a model's, named by the model's key)")
    close = difflib.get_close_matches(table, [*_TABLES, *keys], n=1)
    if close:
        return f"{where}: unknown table [{table}]; did you mean [{close[0]}]?"
    return (f"{where}: table [{table}] names a model that is not installed here (models: {', '.join(keys)}); "
            f"install the package that adds it, or remove the table")
