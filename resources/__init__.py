"""Packaged resources: race presets (TOML), the result file's JSON Schema and the bundled Covertype rows."""

from importlib import resources as _resources
from pathlib import Path


def presets_dir() -> Path:
    """Return the folder that holds the bundled ``*.toml`` presets."""
    return Path(str(_resources.files(__name__) / "presets"))


def bundled_data_dir() -> Path:
    """Return the folder that holds the bundled Covertype rows and their provenance."""
    return Path(str(_resources.files(__name__) / "data"))
