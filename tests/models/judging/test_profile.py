"""The time-to-accuracy profile on hand-made curves, against answers worked out by hand."""

from __future__ import annotations

import pytest

from modelrace.models.judging.profile import (
    best_by, crossovers, first_segments, profile_block, profile_sentence, profile_steps, simple_first_share, time_to,
)


def curve(points: list[tuple[float, float]]) -> list[dict]:
    return [{"t": t, "step": i + 1, "unit": "epoch", "val_accuracy": a, "val_loss": 1.0} for i, (t, a) in enumerate(points)]


def model(points: list[tuple[float, float]], status: str = "finished") -> dict:
    return {"status": status, "curve": curve(points)}


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


MLP_CATCHES_UP = {
    "mlp": model([(1, 0.60), (2, 0.70), (3, 0.68), (4, 0.80), (5, 0.85)]),
    "rf": model([(0.1, 0.65), (0.2, 0.75), (0.3, 0.78)]),
}


def test_steps_follow_the_running_best() -> None:
    steps = profile_steps(MLP_CATCHES_UP["mlp"]["curve"])
    assert steps == [(0.60, 1), (0.70, 2), (0.80, 4), (0.85, 5)], "a dip (0.68 at 3 s) changes nothing"
    assert time_to(steps, 0.69) == 2 and time_to(steps, 0.70) == 2 and time_to(steps, 0.71) == 4
    assert time_to(steps, 0.86) is None and time_to(steps, 0.1) == 1


def test_the_lead_passes_to_the_mlp_above_the_forests_best() -> None:
    block = profile_block(MLP_CATCHES_UP)
    assert block["range"] == [0.60, 0.85]
    segments = [(s["low"], s["high"], s["first"], s["seconds"], s["only"]) for s in block["segments"]]
    assert segments == [(0.60, 0.78, "rf", 0.1, False), (0.78, 0.85, "mlp", 4, True)]
    assert block["simple_first_share"] == pytest.approx(0.18 / 0.25)
    assert block["crossovers"] == [{"target": 0.78, "from": "rf", "to": "mlp", "seconds": 4}]
    assert plain(profile_sentence(block)) == "RandomForest was first up to 78.0%; above that only the MLP got there, after 4.00 s."


def test_a_simpler_model_first_to_every_target() -> None:
    models = {"mlp": model([(1, 0.6), (6, 0.72)]), "rf": model([(0.4, 0.86)]), "xgb": model([(0.5, 0.85), (0.9, 0.87)])}
    block = profile_block(models)
    assert [(s["first"], s["high"]) for s in block["segments"]] == [("rf", 0.86), ("xgb", 0.87)]
    assert block["simple_first_share"] == 1.0 and block["crossovers"] == []
    assert plain(profile_sentence(block)) == "A simpler model was first to every target from 60.0% to 87.0%; the MLP's best was 72.0%."


def test_the_mlp_first_to_every_target() -> None:
    models = {"mlp": model([(0.1, 0.8), (0.2, 0.9)]), "xgb": model([(1.0, 0.7), (2.0, 0.85)])}
    block = profile_block(models)
    assert block["simple_first_share"] == 0.0
    assert plain(profile_sentence(block)) == "The MLP was first to every target from 70.0% to 90.0%."


def test_a_lead_that_changes_back_names_each_stretch() -> None:
    models = {"mlp": model([(0.5, 0.70), (1.0, 0.80), (9.0, 0.95)]), "xgb": model([(0.1, 0.75), (2.0, 0.90)])}
    # targets (0.70, 0.75]: xgb at 0.1 s; (0.75, 0.80]: mlp at 1.0 s; (0.80, 0.90]: xgb at 2.0 s; (0.90, 0.95]: mlp only
    segments = first_segments({k: profile_steps(m["curve"]) for k, m in models.items()})
    assert [(s["first"], s["high"], s["only"]) for s in segments] == [
        ("xgb", 0.75, False), ("mlp", 0.80, False), ("xgb", 0.90, False), ("mlp", 0.95, True)]
    assert simple_first_share(segments) == pytest.approx((0.05 + 0.10) / 0.25)
    assert [c["target"] for c in crossovers(segments)] == [0.75, 0.80, 0.90]
    sentence = plain(profile_block(models) and profile_sentence(profile_block(models)))
    assert sentence == ("XGBoost was first up to 75.0%; above that the MLP was first up to 80.0%; above that XGBoost "
                        "was first up to 90.0%; above that only the MLP got there, after 9.00 s.")


def test_best_accuracy_within_a_budget() -> None:
    points = curve([(0.5, 0.6), (3.0, 0.8), (20.0, 0.75), (70.0, 0.9)])
    assert [best_by(points, b) for b in (0.1, 1, 10, 60, 100)] == [None, 0.6, 0.8, 0.8, 0.9]
    block = profile_block({"mlp": {"status": "finished", "curve": points}})
    assert block["budgets"] == {"seconds": [1.0, 10.0, 60.0], "best": {"mlp": [0.6, 0.8, 0.8]}}


def test_no_curve_no_profile() -> None:
    assert profile_block({"mlp": {"status": "failed", "curve": []}}) is None
    assert profile_sentence(None) == ""


def test_over_seeds_the_median_decides_and_reach_is_a_share() -> None:
    runs = [
        {"mlp": model([(1, 0.6), (4, 0.8)]), "rf": model([(0.1, 0.7), (0.2, 0.75)])},
        {"mlp": model([(1, 0.6), (6, 0.8)]), "rf": model([(0.1, 0.7), (0.3, 0.78)])},
        {"mlp": model([(1, 0.6), (2, 0.7)]), "rf": model([(0.1, 0.7), (0.2, 0.76)])},
    ]
    from modelrace.models.judging.profile import seeds_profile_block

    block = seeds_profile_block(runs, points=21)
    assert block["range"] == [0.6, 0.8] and len(block["grid"]) == 21
    mlp, rf = block["seeds"]["mlp"], block["seeds"]["rf"]
    at = {round(x, 2): i for i, x in enumerate(block["grid"])}
    assert mlp["median"][at[0.8]] == 6 and mlp["reached"][at[0.8]] == pytest.approx(2 / 3)  # seeds 1 and 2: 4 s, 6 s
    assert rf["median"][at[0.77]] is None and rf["reached"][at[0.77]] == pytest.approx(1 / 3)  # only seed 2 got there
    assert rf["median"][at[0.75]] == 0.2
    assert block["segments"][0]["first"] == "rf" and block["segments"][-1]["first"] == "mlp"
    assert block["budgets"]["best"]["rf"] == [0.76, 0.76, 0.76]
