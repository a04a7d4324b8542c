"""The two sides of the tutorial's claim, as the model registry declares them, and how sentences name them.

Each registered model stands on the ``neural`` or the ``simpler`` side (its spec says which). A model a
result names but that is not installed here (a plugin's) has no side: it is left out of both, so it
can neither win nor lose the claim for either. Sentences name a side by its models while there are one
or two of them ("the MLP", "neither RandomForest nor XGBoost"), and in general words beyond that
("no simpler model"), so the tutorial's three read as they always have and a plugin's model fits in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from modelrace.models.trainers import registry
from modelrace.models.trainers.spec import Side

#: A side in general words: one of its models, and its models without an article.
_ONE = {"neural": "a neural network", "simpler": "a simpler model"}
_NOUN = {"neural": "neural network", "simpler": "simpler model"}


def members(which: Side, keys: Iterable[str]) -> list[str]:
    """The keys of ``keys`` on side ``which``, in the order given (unregistered keys are on neither)."""
    return registry.on_side(which, keys)


def in_play(*sources: Iterable[str]) -> list[str]:
    """The registered models a result's sentences may name, in race order.

    These are the tutorial's three, which every result lists (skipped when not raced), and every key
    of ``sources``; a key not installed here is left out.
    """
    wanted = set(registry.DEFAULT_MODELS).union(*sources)
    return [key for key in registry.specs() if key in wanted]


def name(key: str, start: bool = False) -> str:
    """A model's name in a sentence ("the MLP"); ``start`` capitalises it."""
    return registry.sentence_name(key, start)


def possessive(key: str) -> str:
    """"the MLP's", "RandomForest's"."""
    return f"{name(key)}'s"


def one_of(which: Side, keys: Iterable[str]) -> str:
    """The side's only model by name ("the MLP"), or "a neural network" / "a simpler model" when it has several."""
    found = members(which, keys)
    return name(found[0]) if len(found) == 1 else _ONE[which]


def none_of(which: Side, keys: Iterable[str], one: str, several: str) -> str:
    """That none of the side's models did something: "the MLP did not race", "neither RandomForest nor
    XGBoost raced", "no simpler model raced" (``one`` and ``several`` are the verb phrases for one model
    and for more: "did not race" and "raced")."""
    found = members(which, keys)
    if len(found) == 1:
        return f"{name(found[0])} {one}"
    if len(found) == 2:
        return f"neither {name(found[0])} nor {name(found[1])} {several}"
    return f"no {_NOUN[which]} {several}"


def fastest(which: Side, times: Mapping[str, float | None], keys: Iterable[str] | None = None) -> str | None:
    """The model of side ``which`` (among ``keys``, or every key of ``times``) with the least time; None if
    none of them has one. Ties go to the first in the order given."""
    timed = {k: t for k in members(which, times if keys is None else keys) if (t := times.get(k)) is not None}
    return min(timed, key=timed.__getitem__) if timed else None


def join_and(parts: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
