"""Help → About and Help → Guide: versions, the Covertype credit, and the README's sections, offline.

A workshop room has no network, so the guide is the README that ships in the package's metadata,
split at its ``##`` headings and shown one section at a time.
"""

from __future__ import annotations

import html
import re
from importlib import metadata

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QTextBrowser, QVBoxLayout, QWidget,
)

from modelrace.gui.window.model_words import names
from modelrace.models.system.environment import version_of
from modelrace.models.trainers.libraries import recorded_packages
from modelrace.models.trainers.registry import MODEL_KEYS

CREDIT = ("Covertype data: Blackard, J. (1998). Covertype [Dataset]. UCI Machine Learning Repository, "
          "https://doi.org/10.24432/C50K5N (CC BY 4.0). Creators Jock A. Blackard and Denis J. Dean, "
          "Colorado State University.")
CLAIM_SOURCE = "The claim tested comes from the tutorial \u201cGetting started with Keras\u201d."


def readme_sections() -> dict[str, str]:
    """The README's ``##`` sections by heading, from the installed package's metadata (empty if absent)."""
    try:
        meta = metadata.metadata("modelrace")
    except metadata.PackageNotFoundError:
        return {}
    # The body, or the Description field where the importlib_metadata backport (which Dask loads) has moved it.
    text = meta.get_payload() or meta.get("Description") or ""
    sections: dict[str, str] = {}
    parts = re.split(r"^## +(.+)$", str(text), flags=re.MULTILINE)
    for heading, body in zip(parts[1::2], parts[2::2]):
        sections[heading.strip()] = f"## {heading.strip()}\n{body}"
    return sections


def about_text() -> str:
    """What About shows: version, the libraries that decide the race (a plugin's too), the credit."""
    rows = "".join(f"<tr><td>{html.escape(name)}</td><td>{html.escape(version_of(name) or 'not installed')}</td></tr>"
                   for name in recorded_packages())  # the fixed packages, then every registered model's
    return (f"<h3>modelrace {version_of('modelrace') or ''}</h3>"
            f"<p>Races {html.escape(names(MODEL_KEYS))} on Forest Covertype and tells you, with evidence, "
            f"whether simpler models get good results more quickly. {CLAIM_SOURCE}</p>"
            f"<table cellspacing='6'>{rows}</table><p>{CREDIT}</p>")


class AboutDialog(QDialog):
    """Versions and credit; the guide's sections beside them."""

    def __init__(self, parent: QWidget | None = None, section: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About modelrace")
        about = QLabel(about_text())
        about.setWordWrap(True)
        about.setOpenExternalLinks(False)
        self.sections = readme_sections()
        self.contents = QListWidget()
        self.contents.addItems(list(self.sections))
        self.contents.setMaximumWidth(260)
        self.page = QTextBrowser()
        self.contents.currentTextChanged.connect(lambda name: self.page.setMarkdown(self.sections.get(name, "")))
        guide = QHBoxLayout()
        guide.addWidget(self.contents)
        guide.addWidget(self.page, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(QLabel("<b>Guide</b> (the README, offline): pick a section"))
        layout.addLayout(guide, 1)
        layout.addWidget(buttons)
        if self.sections:
            names = list(self.sections)
            self.contents.setCurrentRow(names.index(section) if section in names else 0)
        self.resize(900, 640)
