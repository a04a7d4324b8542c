"""Setting the window's controls to an opened result's settings, so that Run races what the screen shows."""

from __future__ import annotations

import typing

from modelrace.gui.window.opened_settings import OpenedSettings
from modelrace.gui.window.run_on_box import HERE, LOCAL, SCHEDULER
from modelrace.models.data.opening import dataset_names
from modelrace.models.data.split_config import SplitConfig

if typing.TYPE_CHECKING:
    from modelrace.gui.window.dataset_panel import DatasetPanel
    from modelrace.gui.window.model_card import ModelCard
    from modelrace.gui.window.race_controls import RaceControls
    from modelrace.gui.window.run_on_box import RunOnBox


class ControlledWindow(typing.Protocol):
    """The window's controls, as this module sets them (the window imports this module)."""

    controls: RaceControls
    dataset_panel: DatasetPanel
    run_on: RunOnBox
    cards: dict[str, ModelCard]


def show_opened_settings(window: ControlledWindow, settings: OpenedSettings) -> list[str]:
    """Set every control of ``window`` to ``settings`` (an opened result's).

    Returns what could not be set here, in words (a dataset that is not on this machine, another Keras
    backend, a GPU this machine lacks), for the note above the settings.
    """
    differences = []
    controls = window.controls
    controls.show_preset(settings.preset, settings.mode)
    controls.restore({"target": settings.target or 0.0, "repeats": settings.repeats,
                      "sizes": ", ".join(str(size) for size in settings.sizes)})
    for key, card in window.cards.items():
        card.setChecked(key in settings.models)
        if settings.configs.get(key):
            card.preset.setCurrentText(settings.preset)  # where presets agree, name the result's
            card.set_values(settings.configs[key])
    if settings.dataset in dataset_names():
        window.dataset_panel.refresh(select=settings.dataset)
    else:
        differences.append(f"its dataset '{settings.dataset}' is not on this machine (import it to race it again)")
    window.dataset_panel.restore({"rows": settings.rows or 0})
    window.dataset_panel.show_split(SplitConfig(test=settings.test_fraction, validation=settings.validation_fraction,
                                                seed=settings.seed))
    run_on = settings.run_on
    window.run_on.restore({"run_on": {"local": LOCAL, "scheduler": SCHEDULER}.get(run_on.get("kind"), HERE),
                           **{k: v for k, v in run_on.items() if k != "kind" and v is not None}})
    backend = controls.backend.currentText()
    if "mlp" in settings.models and settings.keras_backend and settings.keras_backend != backend:
        differences.append(f"its MLP ran on Keras with {settings.keras_backend}; this window uses {backend} "
                           "(choose it under Keras backend)")
    wants_gpu = settings.device == "gpu"
    controls.restore({"use_gpu": wants_gpu})
    if wants_gpu and controls.device() != "gpu":
        differences.append("it trained on a GPU, which this machine does not have")
    return differences
