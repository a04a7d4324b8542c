"""Setting the window's controls to an opened result's settings, so that Run races what the screen shows."""

from __future__ import annotations

import json
import typing

from modelrace.gui.window.model_words import keras_sentence_name
from modelrace.gui.window.opened_settings import OpenedSettings, opened_settings
from modelrace.gui.window.run_on_box import HERE, LOCAL, SCHEDULER
from modelrace.models.data.opening import dataset_names
from modelrace.models.results.document import Result
from modelrace.models.results.installed import not_installed_line
from modelrace.models.trainers.libraries import keras_models

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


def show_opened_settings(window: ControlledWindow, result: Result, name: str) -> str:
    """Set every control of ``window`` to the settings of ``result`` (opened from file ``name``); the note above
    the settings: whose settings they are, what could not be set here, and the models not installed here."""
    note = f"The settings shown are those of {name}"
    differences = set_controls(window, opened_settings(result))
    if differences:
        note += "; except: " + "; ".join(differences)
    note += "."
    missing = not_installed_line(result, name)  # a plugin's model: shown by its key, in grey; not raced
    return note + (f" {missing}; Run races the installed models only." if missing else "")


def set_controls(window: ControlledWindow, settings: OpenedSettings) -> list[str]:
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
    # Through the spin boxes, which keep to what they take: a value from a file may not be a valid one.
    window.dataset_panel.restore({"rows": settings.rows or 0, "seed": settings.seed, "test": settings.test_fraction,
                                  "validation": settings.validation_fraction})
    run_on = settings.run_on
    window.run_on.restore({"run_on": {"local": LOCAL, "scheduler": SCHEDULER}.get(run_on.get("kind"), HERE),
                           **{k: v for k, v in run_on.items() if k != "kind" and v is not None}})
    backend = controls.backend.currentText()
    keras = keras_models(settings.models)
    if keras and settings.keras_backend and settings.keras_backend != backend:
        differences.append(f"{keras_sentence_name(keras)} ran on Keras with {settings.keras_backend}; this window "
                           f"uses {backend} (choose it under Keras backend)")
    wants_gpu = settings.device == "gpu"
    controls.restore({"use_gpu": wants_gpu})
    if wants_gpu and controls.device() != "gpu":
        differences.append("it trained on a GPU, which this machine does not have")
    return differences + not_shown(window, settings)


def not_shown(window: ControlledWindow, settings: OpenedSettings) -> list[str]:
    """The settings the controls could not take as the result has them (out of their range, a preset this
    window does not know), read back from the controls, in words. A model not installed here has a line of its
    own (``installed.not_installed_line``)."""
    controls, panel = window.controls, window.dataset_panel
    checks = [
        ("preset", settings.preset, controls.preset_name()),
        ("mode", settings.mode, controls.mode_name()),
        ("repeats", settings.repeats, controls.repeat_count()),
        ("sizes", tuple(settings.sizes), tuple(controls.race_sizes())),
        ("target", settings.target, controls.target_value()),
        ("rows", settings.rows, panel.sample_rows()),
        ("seed", settings.seed, panel.seed.value()),
        ("test share", settings.test_fraction, panel.test_fraction.value()),
        ("validation share", settings.validation_fraction, panel.validation_fraction.value()),
    ]
    said = [f"its {name} ({_words(wanted)}) is not one these controls take; they show {_words(shown)}"
            for name, wanted, shown in checks if not _same(wanted, shown)]
    for key, config in settings.configs.items():
        card = window.cards.get(key)
        if card is None or not config:
            continue
        shown = json.loads(json.dumps(card.values()))
        if any(name in shown and not _same(value, shown[name]) for name, value in config.items()):
            said.append(f"some of its {card.title()} settings are outside what the card takes")
    return said


def _same(wanted: object, shown: object) -> bool:
    if isinstance(wanted, float) or isinstance(shown, float):
        return wanted is not None and shown is not None and abs(float(wanted) - float(shown)) < 5e-4
    return wanted == shown


def _words(value: object) -> str:
    if value is None or value == ():
        return "none"
    return ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
