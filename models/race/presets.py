"""Race presets: TOML files that set the split, race options and each model's hyperparameters."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelrace.models.system.errors import ConfigError
from modelrace.models.system.parsing import parse_toml, read_text
from modelrace.models.trainers.registry import MODEL_KEYS, config_class
from modelrace.models.data.split_config import SplitConfig
from modelrace.models.trainers.configs import config_from_dict
from modelrace.resources import presets_dir

MODES = ("fair", "simultaneous")
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
    known = {"description", "split", "race", *MODEL_KEYS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown table(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    models = {key: config_from_dict(config_class(key), data.get(key, {}), key) for key in MODEL_KEYS}
    return Preset(
        name=name,
        description=str(data.get("description", "")),
        split=config_from_dict(SplitConfig, data.get("split", {}), "split"),
        race=config_from_dict(RaceOptions, data.get("race", {}), "race"),
        models=models,
    )
