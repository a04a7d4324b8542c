"""The progress strip: each model in its colour, under the legend's name, with text that reads over any fill.

The contrast of the strip's colours is computed in test_contrast.py; here the colours a bar reports are
checked against the pixels it paints, and its words against its width.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from modelrace.gui.window.progress_strip import ModelBar, ProgressStrip, strip_colors
from modelrace.gui.window.theme import model_hue
from modelrace.models.system.colors import AA_CONTRAST, contrast_ratio
from modelrace.models.trainers.protocol import Step
from modelrace.models.trainers.registry import DEFAULT_MODELS, MODEL_KEYS, color, label, short_label

DARK = {QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.Text: "#eeeeee", QPalette.ColorRole.WindowText: "#eeeeee"}


@pytest.fixture(params=["light", "dark"])
def strip(request, qtbot) -> ProgressStrip:
    widget = ProgressStrip()
    qtbot.addWidget(widget)
    if request.param == "dark":
        palette = QPalette(widget.palette())
        for role, color in DARK.items():
            palette.setColor(role, QColor(color))
        widget.setPalette(palette)
    widget.resize(500 * len(MODEL_KEYS), 40)
    widget.show()
    QApplication.processEvents()
    return widget


def pixel(bar: ModelBar, x: int, y: int) -> str:
    return bar.grab().toImage().pixelColor(x, y).name()


def test_each_bar_paints_its_models_tint_its_band_and_its_groove(strip: ProgressStrip) -> None:
    strip.reset({key: True for key in MODEL_KEYS})
    for key, bar in strip.bars.items():
        bar.setFormat("")  # nothing painted over the samples but the name, on the left
        bar.setValue(800)
        colors = bar.colors()
        middle = bar.height() // 2 - 1
        done, to_do = int(0.6 * bar.width()), int(0.9 * bar.width())  # right of the longest name
        assert pixel(bar, done, middle) == colors.fill, "the done part: a tint of the model's colour"
        assert pixel(bar, to_do, middle) == colors.groove, "the part still to do"
        assert pixel(bar, done, bar.height() - 2) == colors.band == model_hue(key).lower() == color(key).lower()
        assert colors.fill != colors.groove
    fills = {bar.colors().fill for bar in strip.bars.values()}
    assert len(fills) == len(strip.bars), "every model its own colour, not one blue for all"


def test_the_words_read_on_the_fill_and_the_groove_alike(strip: ProgressStrip) -> None:
    for bar in strip.bars.values():
        colors = bar.colors()
        for ink in (colors.text, colors.name):
            assert contrast_ratio(ink, colors.fill) >= AA_CONTRAST and contrast_ratio(ink, colors.groove) >= AA_CONTRAST


@pytest.mark.parametrize("groove, ink", [("#ffffff", "#000000"), ("#f0f0f0", "#222222"), ("#1e1e1e", "#eeeeee"),
                                         ("#000000", "#ffffff"), ("#ffffff", "#9a9a9a")])
def test_colours_reach_aa_on_any_palette(groove: str, ink: str) -> None:
    for key in MODEL_KEYS:
        colors = strip_colors(key, groove, ink)
        for text in (colors.text, colors.name):
            assert contrast_ratio(text, colors.fill) >= AA_CONTRAST, (key, groove, ink, colors)
            assert contrast_ratio(text, colors.groove) >= AA_CONTRAST, (key, groove, ink, colors)


def test_the_bars_name_the_models_as_the_legend_does(strip: ProgressStrip) -> None:
    strip.show_step(Step("rf", 40, "tree", 100, 0.4, 0.5, 0.8, 0.5))
    for key, bar in strip.bars.items():
        name, _ = bar.shown_texts()
        assert name == label(key), "one name per model: the legend's"
        assert label(key) in bar.toolTip()
    assert strip.bars["rf"].shown_texts()[1] == "40/100 · ETA 1 s" == strip.text("rf")
    strip.bars["mlp"].setFormat("loading TensorFlow (first race only)")  # as the race's other news sets it
    assert strip.bars["mlp"].toolTip() == "Keras MLP: loading TensorFlow (first race only)", "the full words, named"


def test_a_narrow_bar_shortens_its_words_without_cutting_a_number(qtbot) -> None:
    strip = ProgressStrip()
    qtbot.addWidget(strip)
    strip.show()
    strip.show_step(Step("xgb", 75, "round", 150, 0.6, 0.7, 0.85, 0.4))
    strip.show_entry("rf", {"planned_steps": 100, "steps_done": 100, "status": "finished"})
    seen = {"xgb": set(), "rf": set()}
    for width in range(900, 150, -15):
        strip.resize(width, 40)
        QApplication.processEvents()
        for key in seen:
            bar = strip.bars[key]
            name, words = bar.shown_texts()
            assert words in {strip.text(key), strip.text(key).split(" · ")[0], strip.text(key).split(" ")[0], ""}
            metrics = bar.fontMetrics()
            assert metrics.horizontalAdvance(words) <= bar.width(), "what is painted fits"
            if name not in (label(key), short_label(key)):
                assert name.endswith("…") and label(key) in bar.toolTip(), "elided only when needed, with a tooltip"
            seen[key].add(words)
        styles = {bar.shown_texts()[0] == short_label(key) != label(key) for key, bar in strip.bars.items()
                  if not bar.isHidden() and bar.shown_texts()[0] in (label(key), short_label(key))}
        assert len(styles) <= 1, f"at {width} px every bar writes its full name, or every bar its short one"
    assert "75/150" in seen["xgb"] and "finished" in seen["rf"], "the shorter forms were used"
    assert not any(w.startswith("75/1") and w not in {"75/150", strip.text("xgb")} for w in seen["xgb"])


def test_only_the_raced_models_have_a_bar_on_screen(strip: ProgressStrip) -> None:
    every = list(MODEL_KEYS)
    strip.reset({key: True for key in every})
    assert strip.shown() == every, "a race of every registered model: a bar each"
    strip.reset({key: key in DEFAULT_MODELS for key in every})
    assert strip.shown() == [key for key in every if key in DEFAULT_MODELS], "the models left out take no room"
    strip.reset({})
    assert strip.shown() == every, "no race planned: every bar"


def test_narrow_bars_all_take_the_short_names(qtbot) -> None:
    strip = ProgressStrip()
    qtbot.addWidget(strip)
    strip.reset({key: True for key in MODEL_KEYS})
    strip.show()
    strip.resize(len(MODEL_KEYS) * 400, 40)
    QApplication.processEvents()
    assert [bar.shown_texts()[0] for bar in strip.bars.values()] == [label(key) for key in MODEL_KEYS]
    strip.resize(len(MODEL_KEYS) * 90, 40)  # five bars on a projector's 1024 pixels
    QApplication.processEvents()
    assert [bar.shown_texts()[0] for bar in strip.bars.values()] == [short_label(key) for key in MODEL_KEYS]
    assert all(label(key) in bar.toolTip() for key, bar in strip.bars.items()), "the full name in the tooltip"
