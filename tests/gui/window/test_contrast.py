"""Every text colour the window and the reports draw, against what it is drawn on: at least 4.5:1 (WCAG AA).

The pairs are read off real widgets after a result is shown, in a light and a dark palette: rich-text
spans and style sheets of labels, table cells, text on the plots and bars, the banner, the progress
strip's text on both its fill and its groove, the confusion matrices' picker; then the HTML report's
verdict and shaded confusion cells.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget

from modelrace.gui.window import theme
from modelrace.gui.window.main_window import MainWindow
from modelrace.models.output.html_report import html_report
from modelrace.models.results.files import load_result
from modelrace.models.system.colors import AA_CONTRAST, contrast_ratio

COLOR = re.compile(r"(?<![-\w])color\s*:\s*(#[0-9a-fA-F]{6})")


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.Base, "#1e1e1e"),
                        (QPalette.ColorRole.WindowText, "#eeeeee"), (QPalette.ColorRole.Text, "#eeeeee"),
                        (QPalette.ColorRole.Button, "#353535"), (QPalette.ColorRole.ButtonText, "#eeeeee")):
        palette.setColor(role, QColor(color))
    return palette


@pytest.fixture(params=["light", "dark"])
def shown(request, qtbot, saved_repeats: Path):
    app = QApplication.instance()
    original = app.palette()
    if request.param == "dark":
        app.setPalette(dark_palette())
    win = MainWindow(remember=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.open_results(saved_repeats)
    win.plots.show_references(True)
    win.banner.toggle.setChecked(True)
    yield win, request.param
    app.setPalette(original)


def pairs_in_labels(win: MainWindow) -> list[tuple[str, str, str]]:
    """(where, text colour, background) of every coloured label text."""
    found = []
    panel = win.palette().color(QPalette.ColorRole.Window).name()
    for label in win.findChildren(QLabel):
        in_banner = win.banner.isAncestorOf(label)
        behind = theme.VERDICT_COLORS[(win.result or {}).get("verdict", {}).get("claim_holds")] if in_banner else panel
        colors = COLOR.findall(label.text())
        if in_banner:
            colors.append("#ffffff")  # the banner's style sheet writes its labels white
        found += [(f"label {label.objectName() or label.text()[:40]!r}", c, behind) for c in colors]
    for card in win.cards.values():
        found += [(f"card title {card.key}", c, panel) for c in COLOR.findall(card.styleSheet())]
        found += [(f"card status {card.key}", c, panel) for c in COLOR.findall(card.status.styleSheet())]
    return found


def pairs_in_tables(win: MainWindow) -> list[tuple[str, str, str]]:
    found = []
    for table in win.findChildren(QTableWidget):
        base = table.palette().color(QPalette.ColorRole.Base).name()
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is None or not item.text():
                    continue
                text = table.palette().color(QPalette.ColorRole.Text).name()
                ink = item.foreground().color().name() if item.foreground().style() != Qt.BrushStyle.NoBrush else text
                behind = item.background().color().name() if item.background().style() != Qt.BrushStyle.NoBrush else base
                found.append((f"table cell {item.text()!r}", ink, behind))
    return found


def pairs_in_plots(win: MainWindow) -> list[tuple[str, str, str]]:
    found = []
    plot_background = theme.plot_colors()[0]
    for plot in (win.plots.accuracy, win.results.bars, win.size_curve.time):
        bars = [i for i in plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
        for item in plot.getPlotItem().items:
            if isinstance(item, pg.TextItem) and plot is win.results.bars and bars:
                # A bar's value sits inside its bar: the bar's colour is its background.
                y = item.pos().y()
                brush = next(b for b, row in zip(bars[0].opts["brushes"], bars[0].opts["y"]) if abs(row - y) < 0.01)
                found.append((f"bar label {item.toPlainText()}", item.color.name(), pg.mkBrush(brush).color().name()))
            elif isinstance(item, pg.TextItem):
                found.append((f"plot text {item.toPlainText()}", item.color.name(), plot_background))
            elif isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None and item.label.isVisible():
                found.append((f"line label {item.label.toPlainText()}", item.label.color.name(), plot_background))
    return found


def pairs_in_strip(win: MainWindow) -> list[tuple[str, str, str]]:
    """The progress strip's name and words against BOTH the tinted fill and the empty groove: text that
    straddles the fill's edge must read on either side of it."""
    found = []
    for key, bar in win.progress_strip.bars.items():
        colors = bar.colors()
        for what, ink in (("name", colors.name), ("words", colors.text)):
            found += [(f"strip {key} {what} on {side}", ink, behind)
                      for side, behind in (("fill", colors.fill), ("groove", colors.groove))]
    return found


def pairs_in_picker(win: MainWindow) -> list[tuple[str, str, str]]:
    """The confusion matrices' picker buttons: model names on the panel (their background is transparent)."""
    panel = win.palette().color(QPalette.ColorRole.Window).name()
    return [(f"picker {key}", c, panel) for key, button in win.confusion.picker_buttons().items()
            for c in COLOR.findall(button.styleSheet())]


def test_every_text_colour_reaches_aa(shown) -> None:
    win, scheme = shown
    pairs = pairs_in_labels(win) + pairs_in_tables(win) + pairs_in_plots(win) + pairs_in_strip(win)
    pairs += pairs_in_picker(win)
    assert len(pairs) > 20, "the scan must find the coloured texts"
    kinds = {where.split(" ")[0] for where, _, _ in pairs}
    assert {"label", "card", "table", "bar", "line", "strip", "picker"} <= kinds, kinds
    poor = [(where, fg, bg, round(contrast_ratio(fg, bg), 2)) for where, fg, bg in pairs
            if contrast_ratio(fg, bg) < AA_CONTRAST]
    assert not poor, f"{scheme}: below 4.5:1: {poor}"


def test_the_reports_text_reaches_aa(saved_repeats: Path) -> None:
    page = html_report(load_result(saved_repeats))
    cells = re.findall(r'style="background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})"', page)
    assert cells, "the confusion matrices' shaded cells"
    verdict = re.search(r'class="verdict" style="background:(#[0-9A-Fa-f]{6})"', page)
    assert verdict is not None
    pairs = [(fg, bg) for bg, fg in cells] + [("#ffffff", verdict.group(1))]
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    pairs += [(c, "#ffffff") for c in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})\b", css) if len(c) == 7]
    poor = [(fg, bg, round(contrast_ratio(fg, bg), 2)) for fg, bg in pairs if contrast_ratio(fg, bg) < AA_CONTRAST]
    assert not poor, poor


def test_readable_keeps_the_hue_when_it_already_reads_and_adjusts_it_otherwise() -> None:
    for hue in ("#E69F00", "#CC79A7", "#009E73", "#D55E00", "#0072B2", "#56B4E9"):
        for background in (theme.LIGHT_BACKGROUND, theme.DARK_BACKGROUND, "#2b2b2b"):
            adjusted = theme.readable(hue, background)
            assert contrast_ratio(adjusted, background) >= AA_CONTRAST
            if contrast_ratio(hue, background) >= AA_CONTRAST:
                assert adjusted == hue.lower()
