"""The verdict's logic and wording on hand-made curves."""

from __future__ import annotations

from modelrace.models.judging.verdict import default_target, judge, time_to_target


def model(points: list[tuple[float, float]], unit: str = "epoch", status: str = "finished") -> dict:
    return {
        "status": status,
        "curve": [{"t": t, "step": i + 1, "unit": unit, "val_accuracy": a, "val_loss": 1.0} for i, (t, a) in enumerate(points)],
    }


def test_time_to_target_is_the_first_point_reaching_it() -> None:
    curve = model([(1.0, 0.5), (2.0, 0.8), (3.0, 0.9)])["curve"]
    assert time_to_target(curve, 0.8) == 2.0
    assert time_to_target(curve, 0.95) is None


def test_default_target_is_a_fraction_of_the_best_final_accuracy() -> None:
    models = {"mlp": model([(1, 0.7), (2, 0.72)]), "rf": model([(0.1, 0.8), (0.2, 0.87)], "tree")}
    assert default_target(models, 0.95) == round(0.95 * 0.87, 4)


def test_claim_holds_when_the_mlp_never_reaches_the_target() -> None:
    models = {
        "mlp": model([(1, 0.6), (6, 0.72)]),
        "rf": model([(0.4, 0.86), (0.8, 0.87)], "tree"),
        "xgb": model([(0.5, 0.85), (0.9, 0.87)], "round"),
    }
    verdict = judge(models, 0.85)
    assert verdict["claim_holds"] is True
    assert verdict["time_to_target"] == {"mlp": None, "rf": 0.4, "xgb": 0.5}
    assert verdict["text"] == (
        "RandomForest reached 85.0% validation accuracy in 0.40\u00a0s and XGBoost in 0.50\u00a0s; the MLP never "
        "reached it in 2\u00a0epochs (best 72.0%). The tutorial's claim holds on this run."
    )


def test_claim_fails_when_the_mlp_gets_there_first() -> None:
    models = {"mlp": model([(0.2, 0.9)]), "rf": model([(1.0, 0.8), (2.0, 0.91)], "tree")}
    verdict = judge(models, 0.9)
    assert verdict["claim_holds"] is False
    assert verdict["text"].startswith(
        "The MLP reached 90.0% validation accuracy in 0.20\u00a0s and RandomForest in 2.00\u00a0s.")
    assert verdict["text"].endswith("does not hold on this run.")


def test_claim_fails_when_only_the_mlp_reaches_it() -> None:
    models = {"mlp": model([(3.0, 0.95)]), "xgb": model([(1.0, 0.8), (5.0, 0.85)], "round")}
    assert judge(models, 0.9)["claim_holds"] is False


def test_cannot_judge_without_the_mlp_or_without_a_simpler_model() -> None:
    assert judge({"rf": model([(1, 0.9)], "tree")}, 0.8)["claim_holds"] is None
    verdict = judge({"mlp": model([(1, 0.9)])}, 0.8)
    assert verdict["claim_holds"] is None and "neither RandomForest nor XGBoost" in verdict["text"]


def test_cannot_judge_when_the_mlp_was_stopped_before_the_trees_got_there() -> None:
    models = {"mlp": model([(0.5, 0.6)], status="stopped"), "rf": model([(2.0, 0.9)], "tree")}
    verdict = judge(models, 0.85)
    assert verdict["claim_holds"] is None
    assert "stopped" in verdict["text"]


def test_nobody_reaching_the_target() -> None:
    models = {"mlp": model([(1, 0.5)]), "rf": model([(1, 0.6)], "tree")}
    verdict = judge(models, 0.99)
    assert verdict["claim_holds"] is None and "no model reached the target" in verdict["text"]


def test_failed_models_do_not_count() -> None:
    models = {
        "mlp": {"status": "failed", "curve": []},
        "rf": model([(0.4, 0.9)], "tree"),
    }
    verdict = judge(models, 0.85)
    assert verdict["claim_holds"] is None and verdict["time_to_target"]["mlp"] is None
