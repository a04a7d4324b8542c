"""The window's words about the set of models, all from the registry: its title, who catches up, who can use
a GPU or Keras. No model is named here; a model added (a built-in or a plugin) appears in every sentence."""

from __future__ import annotations

from collections.abc import Iterable

from modelrace.models.trainers import registry
from modelrace.models.trainers.libraries import in_words, keras_models


def names(keys: Iterable[str]) -> str:
    """``keys``' display names as a list in words: "A", "A and B", "A, B and C"."""
    return in_words(registry.label(key) for key in keys)


def window_title() -> str:
    """The window's title: the registered models, "Keras MLP vs RandomForest vs XGBoost"."""
    return "modelrace — " + " vs ".join(registry.label(key) for key in registry.MODEL_KEYS)


def neural_catches_up() -> str:
    """Who may catch up with more data: "the MLP catches up" (the registered neural side, as the verdict names it)."""
    members = registry.on_side("neural")
    verb = "catches" if len(members) in (1, 2) else "catch"  # "the MLP or TabNet catches"; "the neural networks catch"
    return f"{registry.side_name('neural', registry.MODEL_KEYS)} {verb} up"


def gpu_models() -> list[str]:
    """The registered models that can train on a GPU."""
    return [key for key, spec in registry.specs().items() if spec.gpu]


def keras_sentence_name(keys: Iterable[str] | None = None) -> str:
    """How a sentence names the Keras models: "the MLP" (or "the Keras models" when there are several or none)."""
    members = keras_models(keys)
    return registry.sentence_name(members[0]) if len(members) == 1 else "the Keras models"

