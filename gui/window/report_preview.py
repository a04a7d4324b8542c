"""A Qt view of the HTML report (used by the Export dialog's preview and to render reports to PNG).

QTextBrowser shows a subset of HTML and cannot fetch ``data:`` URIs on its own; this one decodes
the report's SVG and PNG data URIs itself (SVG through QtSvg), so the preview shows the charts.
"""

from __future__ import annotations

import base64
import re

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QTextDocument
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QTextBrowser, QWidget

CHART_WIDTH = 860


def decode_data_image(url: QUrl, width: int = CHART_WIDTH) -> QImage | None:
    """The image inside a ``data:image/svg+xml`` or ``data:image/png`` URL, or None."""
    text = url.toString()
    if not text.startswith("data:image/") or ";base64," not in text:
        return None
    kind, payload = text[len("data:"):].split(";base64,", 1)
    raw = base64.b64decode(payload)
    if kind == "image/svg+xml":
        renderer = QSvgRenderer(QByteArray(raw))
        size = renderer.defaultSize()
        height = int(width * size.height() / max(1, size.width()))
        image = QImage(QSize(width, height), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        renderer.render(painter, QRectF(0, 0, width, height))
        painter.end()
        return image
    image = QImage()
    return image if image.loadFromData(raw) else None


_DATA_URI = re.compile(r'src="(data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+)"')


def add_inline_images(document: QTextDocument, html: str, width: int = CHART_WIDTH) -> None:
    """Register every data-URI image of ``html`` as a resource of ``document``, decoded, before it is laid out."""
    for uri in set(_DATA_URI.findall(html)):
        image = decode_data_image(QUrl(uri), width)
        if image is not None:
            document.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(uri), image)


#: The report is a printed page: dark text on white, whatever the window's palette (a dark theme
#: would otherwise draw the report's dark text on a near-black view).
PAGE_BACKGROUND, PAGE_TEXT = "#ffffff", "#222222"


class ReportView(QTextBrowser):
    """A read-only view of a report's HTML with its inline charts, always on a light page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        palette = self.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
            palette.setColor(group, QPalette.ColorRole.Base, QColor(PAGE_BACKGROUND))
            palette.setColor(group, QPalette.ColorRole.Text, QColor(PAGE_TEXT))
            palette.setColor(group, QPalette.ColorRole.WindowText, QColor(PAGE_TEXT))
        self.setPalette(palette)
        self.viewport().setAutoFillBackground(True)

    def show_report(self, html: str) -> None:
        """Display ``html`` (the charts are decoded first; nothing is fetched)."""
        add_inline_images(self.document(), html)
        self.setHtml(html)


def render_html_to_image(html: str, width: int = 1000) -> QImage:
    """Lay out the report at ``width`` pixels and paint the whole page into an image (for checks and docs)."""
    document = QTextDocument()
    document.setTextWidth(width)
    add_inline_images(document, html)
    document.setHtml(html)
    height = int(document.size().height())
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    document.drawContents(painter)
    painter.end()
    return image
