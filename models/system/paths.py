"""Where modelrace keeps its data on disk."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

#: Environment variable that moves every modelrace file (cache, sklearn data home) elsewhere.
HOME_ENV = "MODELRACE_HOME"


def data_home() -> Path:
    """Return the root folder for modelrace's cached datasets (created on demand)."""
    override = os.environ.get(HOME_ENV)
    root = Path(override) if override else Path(platformdirs.user_data_dir("modelrace", appauthor=False))
    return root


def datasets_dir() -> Path:
    """Return the folder that holds one sub-folder per cached dataset."""
    return data_home() / "datasets"


def downloads_dir() -> Path:
    """Return the folder where downloads are staged before they are verified."""
    return data_home() / "downloads"


def settings_file() -> Path:
    """The window's remembered settings (an INI file beside the dataset cache)."""
    return data_home() / "settings.ini"


def grids_dir() -> Path:
    """Where the window keeps each race grid's result, rewritten after every cell (nothing is lost mid-grid)."""
    return data_home() / "grids"
