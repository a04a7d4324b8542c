"""Words that match the state while a race starts: a model loading its library says so, not "waiting"."""

from __future__ import annotations

from modelrace.gui.window.main_window import MainWindow
from modelrace.models.race.events import LibraryLoading, ModelStarted, Steps
from modelrace.models.trainers.protocol import Step


def test_a_model_loading_its_library_says_so_on_its_card_strip_and_status_bar(qtbot) -> None:
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.show()
    window.live.handle(ModelStarted("mlp"))
    window.live.handle(LibraryLoading("mlp", "TensorFlow", "loading TensorFlow (first race only)"))
    assert "loading TensorFlow (first race only)" in window.cards["mlp"].status.text()
    assert window.progress_strip.text("mlp") == "loading TensorFlow (first race only)"
    assert window.statusBar().currentMessage().startswith("Keras MLP: loading TensorFlow")
    assert "loading TensorFlow" in window.log_view.toPlainText()
    window.live.handle(ModelStarted("rf"))
    window.live.handle(LibraryLoading("rf", "scikit-learn", "loading scikit-learn (first race only)"))
    window.live.handle(Steps((Step("rf", 1, "tree", 100, 0.01, 0.02, 0.7, 0.9),)))
    assert window.statusBar().currentMessage().startswith("Keras MLP: loading"), "the MLP is still loading"
    assert "loading" not in window.cards["rf"].status.text(), "the forest's load is over: it trains"
    window.live.handle(Steps((Step("mlp", 1, "epoch", 20, 0.5, 0.6, 0.7, 0.9),)))
    assert window.statusBar().currentMessage() == "Racing…", "every load is over once the first steps arrive"
    assert window.cards["mlp"].status.text().startswith("training"), window.cards["mlp"].status.text()
    assert "loading" not in window.cards["mlp"].status.text()
