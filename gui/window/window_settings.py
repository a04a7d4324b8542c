"""What the window remembers between sessions (geometry, splitters and every control), in an INI file.

The file is ``settings.ini`` beside the dataset cache (models.system.paths.settings_file). Each part
of the window says what it remembers through ``state()`` and ``restore()``; this module stores them
under the keys earlier versions used, so an old settings file still restores.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QSettings

from modelrace.gui.window.dataset_panel import DatasetPanel
from modelrace.gui.window.live_plot import LivePlots
from modelrace.gui.window.model_card import ModelCard
from modelrace.gui.window.race_controls import RaceControls
from modelrace.gui.window.run_on_box import RunOnBox
from modelrace.models.system.atomic import destination
from modelrace.models.system.errors import OutputError
from modelrace.models.system.paths import settings_file


class Remembering(Protocol):
    """The window as this module sees it: the parts that remember something, and its layout."""

    controls: RaceControls
    run_on: RunOnBox
    dataset_panel: DatasetPanel
    plots: LivePlots
    cards: dict[str, ModelCard]

    def layout_state(self) -> dict[str, object]: ...
    def restore_layout(self, state: dict[str, QByteArray]) -> None: ...
    def apply_preset(self, name: str) -> None: ...
    def preset_names(self) -> list[str]: ...
    def set_scale_index(self, index: int) -> None: ...

_CONTROLS = ("preset", "mode", "target", "repeats", "sizes", "use_gpu")
_DATASET = ("dataset", "rows", "seed", "test", "validation")
_RUN_ON = ("run_on", "workers", "threads", "scheduler")


def settings_store() -> QSettings:
    """The window's remembered settings (an INI file beside the dataset cache).

    The data home is created if it is missing, so a first session on a fresh machine is remembered.
    A symbolic link is followed (the file it points to is updated; the link stays). If the path holds
    a device, FIFO or socket, the settings live in a private temporary file for this session instead:
    reading a FIFO would hang the window, and replacing a device would break the machine.
    """
    try:
        settings_file().parent.mkdir(parents=True, exist_ok=True)  # a fresh machine has no data home yet
        path = destination(settings_file())
    except (OutputError, OSError):
        path = Path(tempfile.gettempdir()) / f"modelrace-settings-{os.getpid()}.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


def save(window: Remembering) -> None:
    """Remember the window's geometry, splitters and every control."""
    store = settings_store()
    for key, value in window.layout_state().items():
        store.setValue(key, value)
    for key, value in {**window.controls.state(), **window.dataset_panel.state(), **window.run_on.state()}.items():
        store.setValue(key, value)
    store.setValue("x_mode", window.plots.x_mode)
    for key, card in window.cards.items():
        state = card.state()
        store.setValue(f"cards/{key}/enabled", state["enabled"])
        store.setValue(f"cards/{key}/values", json.dumps(state["values"]))
    store.sync()


def restore(window: Remembering) -> None:
    """Restore what :func:`save` remembered; missing or bad values keep the defaults."""
    store = settings_store()
    window.restore_layout({key: store.value(key) for key in ("geometry", "main_split", "right_split")
                           if isinstance(store.value(key), QByteArray)})
    preset = str(store.value("preset", "tutorial"))
    window.apply_preset(preset if preset in window.preset_names() else "tutorial")
    window.controls.restore({key: store.value(key) for key in _CONTROLS if store.contains(key)})
    window.dataset_panel.restore({key: store.value(key) for key in _DATASET if store.contains(key)})
    window.run_on.restore({key: store.value(key) for key in _RUN_ON if store.contains(key)})
    window.plots.set_x_mode(str(store.value("x_mode", "time")))  # an unknown mode falls back to seconds
    for key, card in window.cards.items():
        try:
            values = json.loads(str(store.value(f"cards/{key}/values", "{}")))
        except json.JSONDecodeError:
            values = {}
        remembered = store.value(f"cards/{key}/enabled")  # None for a model added since: it keeps its default
        card.restore({"values": values} if remembered is None else {"enabled": remembered, "values": values})
    scale_index = _int(store.value("scale_index"), 0)
    if scale_index:
        window.set_scale_index(scale_index)


def _int(value: object, default: int) -> int:
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
