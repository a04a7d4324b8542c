"""Live validation accuracy and loss curves (pyqtgraph), with the target line and time-to-target markers.

Points go into growable numpy buffers; one timer redraws, at most 30 times a second, only the
curves that received points since the last redraw.
"""

from __future__ import annotations

import typing

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from modelrace.gui.window.curve_buffer import CurveBuffer
from modelrace.gui.window.log_axis import OneTwoFiveLogAxis
from modelrace.gui.window.plot_legend import legend_html, line_entry, model_entry
from modelrace.gui.window.plot_items import add_band, set_markers
from modelrace.gui.window.reference_lines import (
    grid_lines, reference_lines, style_grid, style_lines, target_line, target_markers,
)
from modelrace.gui.window.x_axis import CHOICE_TIP, X_MODES, axis_words
from modelrace.gui.window.plot_ranges import SteppedRanges
from modelrace.gui.window.theme import (
    REFERENCE_COLOR, TARGET_COLOR, line_hue_beside, line_width, model_hue, plot_colors,
)
from modelrace.models.judging.bands import mean_band
from modelrace.models.judging.verdict import fraction_of_best
from modelrace.models.results.document import CurvePoint, Result
from modelrace.models.system.formatting import percent
from modelrace.models.trainers.registry import MODEL_KEYS, label
from modelrace.models.trainers.protocol import Step

REDRAW_MS = 33

class LivePlots(QWidget):
    """Accuracy and loss against training seconds (or native steps), one colour per model."""

    axisChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        background, foreground, _ = plot_colors()
        pg.setConfigOptions(antialias=True, background=background, foreground=foreground)
        self.x_mode = "time"
        self.target: float | None = None
        self._target_fraction: float | None = None  # set while an automatic target is still provisional
        self._settled = False  # the curves are complete (a finished race, an opened result)
        self._buffers: dict[str, CurveBuffer] = {}  # every registered model's, and any other a result names
        self._dirty: set[str] = set()
        self._scale = 1.0
        self._comparison: list[pg.PlotDataItem] = []
        self._comparison_result: Result | None = None
        self._bands: dict[str, tuple] = {}
        self._band_runs: dict[str, tuple[int, bool]] = {}  # model -> (runs, drawn as a 95% band)
        self._band_curves: dict[str, list[list[CurvePoint]]] = {}
        self._references: list[pg.InfiniteLine] = []
        self._drawn: tuple[str, ...] = ()
        self._comparison_label = "earlier"
        self._race_models: tuple[str, ...] = ()  # the models of the race shown: the target avoids their colours

        self.axis_choice = QComboBox()
        self.axis_choice.addItems([text for _, text in X_MODES])
        self.axis_choice.setToolTip(CHOICE_TIP)
        self.axis_choice.currentIndexChanged.connect(lambda i: self.set_x_mode(X_MODES[i][0]))
        # The legend sits above the plots, never on the data: one entry per model, the target, and a
        # note on bands or dashed curves when there are any.
        self.legend = QLabel()
        self.legend.setObjectName("legend")
        self.legend.setWordWrap(True)
        self._legend_entries: list[str] = []
        controls = QHBoxLayout()
        controls.addWidget(self.legend, 1)
        controls.addWidget(QLabel("x axis:"))
        controls.addWidget(self.axis_choice)

        self.accuracy = pg.PlotWidget(axisItems={"bottom": OneTwoFiveLogAxis("bottom")})
        self.loss = pg.PlotWidget(axisItems={"left": OneTwoFiveLogAxis("left"), "bottom": OneTwoFiveLogAxis("bottom")})
        self.accuracy.setLabel("left", "validation accuracy")
        self.loss.setLabel("left", "validation loss (log)")
        self.loss.setLogMode(y=True)
        self._curves: dict[str, dict[str, pg.PlotDataItem]] = {}
        for key in MODEL_KEYS:
            self._buffer(key)
        self.target_line, self.markers = target_line(background), target_markers()
        self.accuracy.addItem(self.target_line)
        self.accuracy.addItem(self.markers)
        self._grid_lines = grid_lines(self.accuracy)
        self._ranges = (SteppedRanges(self.accuracy, "linear"), SteppedRanges(self.loss, "log"))
        self._target_text = ""
        for plot in (self.accuracy, self.loss):
            for name in ("left", "bottom"):
                plot.getAxis(name).enableAutoSIPrefix(False)
            plot.getPlotItem().setContentsMargins(2, 10, 10, 2)  # room for the top tick label (1.0, 10¹)
        self._update_axis_labels()

        plots = QHBoxLayout()
        plots.addWidget(self.accuracy, 3)
        plots.addWidget(self.loss, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(plots)

        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._timer.start()

    # ------------------------------------------------------------------------------------ data
    def _buffer(self, key: str) -> CurveBuffer:
        """``key``'s points, with its two curves made on first use (a result may name a model not installed here:
        it is drawn in grey)."""
        if key not in self._buffers:
            pen = pg.mkPen(model_hue(key), width=line_width(2.5, self._scale))
            self._buffers[key] = CurveBuffer()
            self._curves[key] = {
                "acc": self.accuracy.plot([], [], pen=pen, clipToView=True),
                "loss": self.loss.plot([], [], pen=pen, clipToView=True),
            }
        return self._buffers[key]

    def clear(self) -> None:
        """Remove every curve and marker (a new race)."""
        for key, buffer in self._buffers.items():
            buffer.clear()
            self._dirty.add(key)
        set_markers(self.markers, [])
        self._settled = False
        for ranges in self._ranges:
            ranges.resume()
        self.redraw()

    def add_steps(self, steps: list[Step]) -> None:
        """Append a batch of steps; they appear at the next redraw."""
        for step in steps:
            self._buffer(step.model).append(step.t, step.step, step.val_accuracy, max(step.val_loss, 1e-6))
            self._dirty.add(step.model)

    def load_curve(self, key: str, curve: list[CurvePoint]) -> None:
        """Replace a model's curve with saved points (JSON form)."""
        buffer = self._buffer(key)
        buffer.clear()
        for point in curve:
            buffer.append(point["t"], point["step"], point["val_accuracy"], max(point["val_loss"] or 1e-6, 1e-6))
        self._dirty.add(key)

    def set_comparison(self, result: Result | None, run_label: str = "earlier") -> None:
        """Overlay (dashed) the curves of a saved run, or remove them with None."""
        for item in self._comparison:
            for plot in (self.accuracy, self.loss):
                if item.getViewBox() is plot.getViewBox():
                    plot.removeItem(item)
        self._comparison = []
        self._comparison_result = result
        self._comparison_label = run_label
        self._update_legend()
        if result is None:
            return
        x_key = "step" if self.x_mode == "steps" else "t"
        for key, model in result["models"].items():
            if not model.get("curve"):
                continue
            x = [p[x_key] for p in model["curve"]]
            pen = pg.mkPen(model_hue(key), width=line_width(2, self._scale), style=Qt.PenStyle.DashLine)
            self._comparison.append(self.accuracy.plot(x, [p["val_accuracy"] for p in model["curve"]], pen=pen))
            self._comparison.append(self.loss.plot(x, [max(p["val_loss"] or 1e-6, 1e-6) for p in model["curve"]], pen=pen))
        self._update_legend()
        self._fit_view()

    def comparison_count(self) -> int:
        """Dashed comparison curves shown (for tests and status)."""
        return len(self._comparison)

    def set_bands(self, curves_by_model: dict[str, list[list[CurvePoint]]]) -> None:
        """Draw each model's mean accuracy across finished repeats, with its 95% confidence band.

        With fewer than 3 runs there is no band (a t band from 2 runs is 12.7 standard errors wide): only
        the mean, and the legend says so.
        """
        for items in self._bands.values():
            for item in items:
                self.accuracy.removeItem(item)
        self._bands = {}
        self._band_runs = {}
        self._band_curves = curves_by_model
        if self.x_mode == "steps":
            return  # bands are against training seconds, where runs line up
        for key, curves in curves_by_model.items():
            band = mean_band(curves)
            if band is None or band["runs"] < 2:
                continue
            color = QColor(model_hue(key))
            banded = band.get("interval", "t") == "t"
            items = add_band(self.accuracy, band["t"], band["low"], band["high"], color) if banded else []
            mean = pg.PlotDataItem(band["t"], band["mean"], pen=pg.mkPen(color, width=line_width(3.5, self._scale)))
            self.accuracy.addItem(mean)
            self._bands[key] = (*items, mean)
            self._band_runs[key] = (band["runs"], banded)
        self._update_legend()
        self._fit_view()

    def band_count(self) -> int:
        """Models with a confidence band shown."""
        return len(self._bands)

    def show_references(self, visible: bool) -> None:
        """Published full-Covertype accuracies as labelled lines (they apply to the full 581,012 rows)."""
        if not self._references:
            self._references = reference_lines(plot_colors()[0], self._line_hue(REFERENCE_COLOR))
        for line in self._references:
            if visible and line.scene() is None:
                self.accuracy.addItem(line)  # counted in the range: a line the teacher asked for must be on screen
            elif not visible and line.scene() is not None:
                self.accuracy.removeItem(line)

    def set_target(self, target: float | None) -> None:
        """Draw the target accuracy line (None hides it) and refresh the markers."""
        self._target_fraction = None
        self._show_target(target)

    def set_provisional_target(self, fraction: float) -> None:
        """During a race with the automatic target: a line at ``fraction`` of the best validation accuracy so far.

        It moves up as the best curve grows, so a class sees who crosses the finish line while the race
        runs; the legend calls it provisional. :meth:`set_target` puts the race's final target in its place.
        """
        self._target_fraction = fraction
        self._show_target(self._provisional_value())

    def target_is_provisional(self) -> bool:
        """True while the line shows the automatic target of the race so far."""
        return self._target_fraction is not None

    def _provisional_value(self) -> float | None:
        # The engine's rule on the curves so far: each model's latest point stands for its final one.
        if self._target_fraction is None:
            return None
        return fraction_of_best((float(b.column(2)[-1]) for b in self._buffers.values() if b.size), self._target_fraction)

    def _show_target(self, target: float | None) -> None:
        self.target = target
        self.target_line.setVisible(target is not None)
        if target is not None:
            self.target_line.setValue(target)
            self._set_target_label(f"{'target so far' if self.target_is_provisional() else 'target'} {percent(target)}")
        self._update_markers()
        self._update_legend()

    def _set_target_label(self, text: str) -> None:
        if text != self._target_text:  # the label re-renders its text on every set
            self._target_text = text
            self.target_line.label.setFormat(text)

    def set_x_mode(self, mode: str) -> None:
        """'time' for training seconds, 'log' for training seconds on a log axis, 'steps' for native units."""
        modes = [name for name, _ in X_MODES]
        self.x_mode = mode if mode in modes else "time"
        self.axis_choice.setCurrentIndex(modes.index(self.x_mode))
        log = self.x_mode == "log"
        for plot, y_log in ((self.accuracy, False), (self.loss, True)):
            plot.setLogMode(x=log, y=y_log)
        for ranges in self._ranges:
            ranges.set_x_log(log)
        self._dirty.update(self._buffers)
        self._update_axis_labels()
        self.redraw()
        if self._comparison_result is not None:
            self.set_comparison(self._comparison_result, run_label=self._comparison_label)
        for ranges in self._ranges:
            ranges.resume()
            if self._settled:
                ranges.settle()
        self.set_bands(self._band_curves)
        self.axisChanged.emit(self.x_mode)

    def best_accuracy(self) -> float | None:
        """Best validation accuracy seen so far, over all models."""
        best = [float(b.column(2).max()) for b in self._buffers.values() if b.size]
        return max(best) if best else None

    def point_count(self, key: str) -> int:
        """Points received for a model (for tests and status)."""
        return self._buffers[key].size if key in self._buffers else 0

    # ----------------------------------------------------------------------------------- drawing
    def redraw(self) -> None:
        """Push the changed curves to pyqtgraph (called by the timer)."""
        if not self._dirty:
            return
        x_index = 1 if self.x_mode == "steps" else 0
        for key in self._dirty:
            buffer = self._buffers[key]
            x = buffer.column(x_index)
            self._curves[key]["acc"].setData(x, buffer.column(2))
            self._curves[key]["loss"].setData(x, buffer.column(3))
        self._dirty.clear()
        if self._target_fraction is not None:
            provisional = self._provisional_value()
            if provisional != self.target:
                self._show_target(provisional)
        self._update_markers()
        drawn = tuple(key for key, buffer in self._buffers.items() if buffer.size)
        if drawn != self._drawn:
            self._drawn = drawn
            self._style_lines()  # a model drawn in the target's colour turns the target grey
        self._fit_view()

    def _fit_view(self) -> None:
        for ranges in self._ranges:
            ranges.update()

    def settle(self) -> None:
        """A finished race or an opened result: the axes end close to the data, not at the next live step."""
        self._settled = True
        for ranges in self._ranges:
            ranges.settle()

    def _update_markers(self) -> None:
        spots = []
        if self.target is not None:
            x_index = 1 if self.x_mode == "steps" else 0
            for key, buffer in self._buffers.items():
                reached = np.flatnonzero(buffer.column(2) >= self.target)
                if reached.size:
                    i = int(reached[0])
                    spots.append((float(buffer.column(x_index)[i]), float(buffer.column(2)[i]), model_hue(key)))
        set_markers(self.markers, spots)

    def marker_positions(self) -> list[tuple[float, float]]:
        """Where the time-to-target markers sit, in data units (for tests)."""
        x, y = self.markers.getOriginalDataset()  # getData() is in the axis's (log) coordinates
        return [] if x is None else [(float(a), float(b)) for a, b in zip(x, y)]

    def _update_axis_labels(self) -> None:
        axis_text, tip = axis_words(self.x_mode)
        for plot in (self.accuracy, self.loss):
            plot.setLabel("bottom", axis_text)
            plot.getAxis("bottom").setToolTip(tip)

    def legend_entries(self) -> list[str]:
        """The legend's entries as plain text (one per model with a curve, the target, and notes)."""
        return list(self._legend_entries)

    def _update_legend(self) -> None:
        drawn = [key for key, buffer in self._buffers.items() if buffer.size or key in self._bands]
        entries, parts = [label(key) for key in drawn], [model_entry(key) for key in drawn]
        if self.target is not None:
            provisional = self.target_is_provisional()
            words = f"target so far {percent(self.target)} (provisional)" if provisional else f"target {percent(self.target)}"
            entries.append(words)
            parts.append(line_entry(words, self.target_hue()))
        notes = []
        if self._bands:
            runs = self._band_runs
            if all(banded for _, banded in runs.values()):
                notes.append("thick line = mean, band = 95% CI")
            else:
                fewest = min(n for n, _ in runs.values())
                notes.append(f"thick line = mean of {fewest} seeds (too few for a 95% band)")
        if self._comparison:
            notes.append(f"dashed = {self._comparison_label}")
        self._legend_entries = entries + notes
        self.legend.setText(legend_html(parts, notes))

    def apply_scale(self, scale: float, base_point_size: float) -> None:
        """Presenter mode: scale axis fonts, legend text and line widths."""
        self._scale = scale
        font = QFont()
        font.setPointSizeF(base_point_size * scale)
        for plot in (self.accuracy, self.loss):
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setStyle(tickFont=font)
                axis.label.setFont(font)
        for key, curves in self._curves.items():
            pen = pg.mkPen(model_hue(key), width=line_width(2.5, scale))
            curves["acc"].setPen(pen)
            curves["loss"].setPen(pen)
        self.markers.setSymbolSize(13 * scale)
        self.target_line.label.setFont(font)
        for line in self._references:
            line.label.setFont(font)

    def apply_theme(self) -> None:
        """Follow a light/dark change (the system's, or View → Theme): backgrounds, axes, grid, labels and legend."""
        style_grid(self._grid_lines)
        background, foreground, _ = plot_colors()
        for plot in (self.accuracy, self.loss):
            plot.setBackground(background)
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(foreground)
                axis.setTextPen(foreground)
        self._style_lines()

    def set_models(self, keys: typing.Iterable[str]) -> None:
        """The models of the race (or result) shown: the target and the published accuracies keep clear of their
        colours (a registry of five hands out the target's orange and the references' pink)."""
        self._race_models = tuple(keys)
        self._style_lines()

    def target_hue(self) -> str:
        """The target line's colour beside the models shown: orange, or a grey where a model is orange."""
        return self._line_hue(TARGET_COLOR)

    def _line_hue(self, hue: str) -> str:
        return line_hue_beside(hue, (*self._race_models, *(key for key, b in self._buffers.items() if b.size)))

    def _style_lines(self) -> None:
        """Colour the target line, its markers, the published accuracies and their labels for the theme and models."""
        style_lines(self.target_line, self.markers, self._references, self.target_hue(), self._line_hue(REFERENCE_COLOR))
        self._update_legend()
