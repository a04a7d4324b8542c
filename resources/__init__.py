"""Packaged resources: race presets (TOML)."""

from importlib import resources as _resources
from pathlib import Path


def presets_dir() -> Path:
    """Return the folder that holds the bundled ``*.toml`` presets."""
    return Path(str(_resources.files(__name__) / "presets"))
