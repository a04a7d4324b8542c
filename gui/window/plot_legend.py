"""The legends above the plots (rich text, never on the data): a swatch and a name per model, the target, notes.

A model's name may be a plugin's label or an opened file's key, and a note may name a compared file: text
from outside, escaped here. Each entry stays whole on its line ("Logistic regression" never breaks).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from modelrace.gui.window.theme import model_hue, model_text_color, text_color
from modelrace.models.trainers.registry import label

GAP = "&nbsp;&nbsp; "  # between entries


def legend_name(key: str) -> str:
    """A model's name for a legend's rich text: escaped, and kept whole on its line."""
    return html.escape(label(key)).replace(" ", "&nbsp;")


def model_entry(key: str) -> str:
    """A swatch of the model's colour and its name in its text colour."""
    return (f"<span style='background-color:{model_hue(key)}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;"
            f"<b style='color:{model_text_color(key)}'>{legend_name(key)}</b>")


def line_entry(words: str, hue: str) -> str:
    """A line's entry (the target): a dash and its words, in ``hue`` made readable."""
    return f"<span style='color:{text_color(hue)}'>&#8212;&nbsp;{html.escape(words).replace(' ', '&nbsp;')}</span>"


def legend_html(entries: Sequence[str], notes: Sequence[str]) -> str:
    """The entries, then the notes in italics (escaped: they may name a file)."""
    said = "; ".join(html.escape(note) for note in notes if note)
    return GAP.join(entries) + (f"{GAP}<i>{said}</i>" if said else "")
