"""The verdict's headline: one sentence, the answer first, on hand-made results."""

from __future__ import annotations

from modelrace.models.judging.headline import headline
from modelrace.models.judging.verdict import judge


def model(points: list[tuple[float, float]], unit: str = "epoch", status: str = "finished",
          planned: int | None = None) -> dict:
    curve = [{"t": t, "step": i + 1, "unit": unit, "val_accuracy": a, "val_loss": 1.0} for i, (t, a) in enumerate(points)]
    return {"status": status, "curve": curve, "steps_done": len(points) + (0.4 if status == "stopped" else 0),
            "planned_steps": planned or len(points), "unit": unit}


def race(models: dict, target: float, stopped: bool = False) -> dict:
    return {"models": models, "verdict": judge(models, target), "race": {"stopped": stopped}}


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def one_sentence(text: str) -> bool:
    return text.endswith(".") and text.count(". ") == 0 and "\n" not in text


def test_the_claim_holds_when_the_mlp_never_gets_there() -> None:
    result = race({"mlp": model([(1, 0.6), (6, 0.72)]), "rf": model([(0.06, 0.86)], "tree"),
                   "xgb": model([(0.5, 0.85)], "round")}, 0.83)
    text = headline(result)
    assert plain(text) == "The claim holds: RandomForest reached 83.0% in 0.06 s; the MLP never did."
    assert one_sentence(text)


def test_the_claim_holds_when_the_mlp_is_slower() -> None:
    result = race({"mlp": model([(1, 0.6), (4.1, 0.9)]), "xgb": model([(0.5, 0.91)], "round")}, 0.9)
    assert plain(headline(result)) == "The claim holds: XGBoost reached 90.0% in 0.50 s; the MLP took 4.10 s."


def test_the_claim_fails_when_the_mlp_is_first() -> None:
    result = race({"mlp": model([(0.2, 0.9)]), "rf": model([(1.0, 0.8), (2.0, 0.91)], "tree")}, 0.9)
    assert plain(headline(result)) == "The claim does not hold: the MLP reached 90.0% in 0.20 s, RandomForest in 2.00 s."
    both_missed = race({"mlp": model([(0.2, 0.9)]), "rf": model([(1.0, 0.8)], "tree"), "xgb": model([(1.0, 0.7)], "round")},
                       0.9)
    assert plain(headline(both_missed)).endswith("; neither RandomForest nor XGBoost did.")


def test_a_stopped_race_without_a_verdict_says_so_in_whole_steps() -> None:
    mlp = model([(1, 0.6), (2, 0.7), (3, 0.72), (4, 0.73), (5, 0.74)], status="stopped", planned=20)
    result = race({"mlp": mlp}, 0.7, stopped=True)
    assert result["verdict"]["claim_holds"] is None
    assert headline(result) == "Stopped: the MLP after 5/20 epochs; no verdict."


def test_a_stopped_race_that_was_already_decided_says_both() -> None:
    result = race({"mlp": model([(1, 0.6), (9, 0.7)], status="stopped", planned=20),
                   "rf": model([(0.3, 0.9)], "tree")}, 0.85, stopped=True)
    assert result["verdict"]["claim_holds"] is True
    assert plain(headline(result)).startswith("After Stop, the claim holds: RandomForest reached 85.0% in 0.30 s")


def test_no_verdict_names_the_reason() -> None:
    result = race({"rf": model([(1, 0.9)], "tree")}, 0.8)
    assert headline(result) == "No verdict: the MLP did not race."


def test_repeats_say_how_often() -> None:
    summary = {"rf": {"time_to_target": {"mean": 0.06}, "reached": 5, "runs": 5},
               "mlp": {"time_to_target": {"mean": None}, "reached": 0, "runs": 5}}
    result = {"models": {}, "verdict": {"claim_holds": True, "target": 0.83, "text": ""},
              "repeats": {"count": 5, "summary": summary, "claim_per_run": [True] * 5}}
    text = plain(headline(result))
    assert text == "The claim holds: RandomForest reached 83.0% in 0.06 s; the MLP never did; the claim held in 5 of 5 seeds."
    summary["mlp"] = {"time_to_target": {"mean": 3.0}, "reached": 3, "runs": 5}
    result["repeats"]["claim_per_run"] = [True, True, True, True, False]
    assert "the MLP took 3.00 s (reached in 3 of 5 seeds); the claim held in 4 of 5 seeds." in plain(headline(result))
    result["verdict"]["claim_holds"] = None
    assert plain(headline(result)) == "No clear verdict: the claim held in 4 of 5 seeds."
    result["repeats"]["claim_per_run"] = [None] * 5
    result["verdict"]["reason"] = "the MLP did not race"
    assert headline(result) == "No verdict: the MLP did not race."


def test_sizes_say_where() -> None:
    points = [{"size": 500, "claim_holds": True}, {"size": 4000, "claim_holds": True}]
    result = {"models": {}, "verdict": {"claim_holds": True}, "size_curve": {"points": points}}
    assert headline(result) == "The claim holds at every size tried, from 500 to 4,000 training rows."
    points[1]["claim_holds"] = False
    assert headline(result) == "The answer depends on the data size: the claim held at 500 and failed at 4,000 training rows."
    points.append({"size": 8000, "claim_holds": None})
    assert headline(result) == ("The answer depends on the data size: the claim held at 500, failed at 4,000 and was "
                                "undecided at 8,000 training rows.")


def test_a_verdict_its_times_do_not_show_still_gets_a_sentence() -> None:
    """Found by the result fuzzer: an emptied repeats summary under a verdict that says the claim holds."""
    for holds in (True, False):
        result = {"models": {}, "verdict": {"claim_holds": holds, "target": 0.7624, "text": ""},
                  "repeats": {"count": 3, "summary": {}, "claim_per_run": [holds] * 3}}
        text = plain(headline(result))
        assert text.startswith("The claim holds: a simpler model reached 76.2% first" if holds else
                               "The claim does not hold: the MLP reached 76.2% first") and one_sentence(text)
    single = race({"mlp": model([(1, 0.6)]), "rf": model([(0.5, 0.7)], "tree")}, 0.65)
    single["verdict"]["claim_holds"] = False  # edited by hand: the MLP never reached it
    assert plain(headline(single)).startswith("The claim does not hold: the MLP reached 65.0% first")


def test_an_answer_without_a_target_is_said_without_numbers() -> None:
    """A hand-edited file: an answer, but no target to quote times against."""
    result = race({"mlp": model([(1, 0.6)]), "rf": model([(0.5, 0.7)], "tree")}, 0.65)
    result["verdict"]["target"] = None
    assert headline(result) == "The claim holds."
