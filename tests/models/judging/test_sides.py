"""The claim's two sides come from the registry: more models on each side, and a model not installed here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modelrace.models.judging import sides
from modelrace.models.judging.headline import headline
from modelrace.models.judging.profile import profile_block, profile_sentence
from modelrace.models.judging.verdict import judge
from modelrace.models.judging.weighing import backend_sentence, judge_runs
from modelrace.models.trainers import registry

from .conftest import UNKNOWN

pytestmark = pytest.mark.usefixtures("more_models")


def model(points: list[tuple[float, float]], status: str = "finished", unit: str = "step") -> dict:
    curve = [{"t": t, "step": i + 1, "unit": unit, "val_accuracy": a, "val_loss": 1.0} for i, (t, a) in enumerate(points)]
    return {"status": status, "curve": curve, "steps_done": len(points), "planned_steps": len(points), "unit": unit}


def skipped() -> dict:
    return {"status": "skipped", "curve": []}


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def test_hgb_and_logreg_stand_on_the_simpler_side() -> None:
    keys = ["mlp", "rf", "xgb", "hgb", "logreg", "tabnet", UNKNOWN]
    assert sides.members("simpler", keys) == ["rf", "xgb", "hgb", "logreg"]
    assert sides.members("neural", keys) == ["mlp", "tabnet"]
    assert sides.in_play([UNKNOWN, "hgb"]) == ["mlp", "rf", "xgb", "hgb"], "the tutorial's three, hgb; never the unknown"


def test_a_new_simpler_model_alone_can_win_the_claim() -> None:
    models = {"mlp": model([(1.0, 0.6), (3.0, 0.9)]), "rf": skipped(), "xgb": skipped(),
              "hgb": model([(0.2, 0.7), (0.5, 0.9)])}
    verdict = judge(models, 0.9)
    assert verdict["claim_holds"] is True and verdict["time_to_target"]["hgb"] == 0.5
    models["hgb"] = model([(0.2, 0.7), (4.0, 0.9)])
    assert judge(models, 0.9)["claim_holds"] is False


def test_the_fastest_neural_network_stands_for_its_side() -> None:
    models = {"mlp": model([(2.0, 0.9)]), "tabnet": model([(0.3, 0.9)]), "rf": model([(0.5, 0.9)]),
              "logreg": model([(0.8, 0.9)])}
    verdict = judge(models, 0.9)
    assert verdict["claim_holds"] is False, "TabNet (0.3 s) beat the fastest simpler model (0.5 s), though the MLP did not"
    models["logreg"] = model([(0.1, 0.9)])
    assert judge(models, 0.9)["claim_holds"] is True, "logistic regression (0.1 s) beat TabNet"
    text = plain(judge(models, 0.9)["text"])
    assert text.startswith(f"{sides.name('logreg', start=True)} reached 90.0% validation accuracy in 0.10 s, TabNet in 0.30 s")


def test_a_missing_side_is_named_by_its_models() -> None:
    neural_only = {"mlp": model([(1.0, 0.9)]), "rf": skipped(), "xgb": skipped()}
    assert judge(neural_only, 0.8)["reason"] == "neither RandomForest nor XGBoost raced", "the tutorial's three read as before"
    neural_only |= {"hgb": {"status": "failed", "curve": []}, "logreg": skipped()}
    assert judge(neural_only, 0.8)["reason"] == "no simpler model raced"
    simpler_only = {"mlp": skipped(), "tabnet": {"status": "failed", "curve": []}, "rf": model([(1.0, 0.9)])}
    assert judge(simpler_only, 0.8)["reason"] == "neither the MLP nor TabNet raced"
    assert judge({"rf": model([(1.0, 0.9)])}, 0.8)["reason"] == "the MLP did not race"


def test_a_model_not_installed_here_is_on_neither_side() -> None:
    unknown_first = {"mlp": model([(2.0, 0.9)]), "xgb": model([(1.0, 0.9)]), UNKNOWN: model([(0.1, 0.95)])}
    verdict = judge(unknown_first, 0.9)
    assert verdict["claim_holds"] is True and verdict["time_to_target"][UNKNOWN] == 0.1
    assert plain(verdict["text"]).lower().startswith(f"{UNKNOWN} reached 90.0% validation accuracy in 0.10 s"), "still told"
    alone = judge({"mlp": model([(2.0, 0.9)]), UNKNOWN: model([(0.1, 0.95)])}, 0.9)
    assert alone["claim_holds"] is None and alone["reason"] == "neither RandomForest nor XGBoost raced"
    no_neural = judge({"rf": model([(2.0, 0.9)]), UNKNOWN: model([(0.1, 0.95)])}, 0.9)
    assert no_neural["reason"] == "the MLP did not race"


def test_a_neural_network_stopped_before_the_simpler_time_leaves_the_claim_open() -> None:
    models = {"mlp": model([(2.0, 0.9)]), "tabnet": model([(0.3, 0.5)], status="stopped"), "hgb": model([(1.0, 0.9)])}
    verdict = judge(models, 0.9)
    assert verdict["claim_holds"] is None
    assert verdict["reason"] == "TabNet was stopped after 0.30\u00a0s, before the simpler model's 1.00\u00a0s"
    models["tabnet"] = model([(0.3, 0.5)])  # finished short of the target: it never gets there
    assert judge(models, 0.9)["claim_holds"] is True


def test_a_simpler_model_stopped_before_the_neural_time_leaves_the_claim_open() -> None:
    models = {"mlp": model([(1.0, 0.9)]), "rf": model([(0.1, 0.5)], status="stopped"), "xgb": model([(2.0, 0.9)])}
    verdict = judge(models, 0.9)
    assert verdict["claim_holds"] is None
    assert verdict["reason"] == "RandomForest was stopped after 0.10\u00a0s, before the MLP's 1.00\u00a0s"
    models["rf"] = model([(0.1, 0.5), (1.5, 0.6)], status="stopped")  # trained past the MLP's time: out of it
    assert judge(models, 0.9)["claim_holds"] is False
    both_short = {"tabnet": model([(1.0, 0.9)]), "hgb": model([(0.1, 0.5)], status="stopped"),
                  "logreg": model([(0.2, 0.5)], status="stopped")}
    assert judge(both_short, 0.9)["reason"] == "the simpler models were stopped before TabNet's 1.00\u00a0s"


def test_the_mlp_that_finished_short_of_the_target_has_lost() -> None:
    models = {"mlp": model([(0.5, 0.6)]), "rf": model([(2.0, 0.9)])}
    assert judge(models, 0.9)["claim_holds"] is True, "the MLP finished every epoch and never got there"


def race(models: dict, target: float) -> dict:
    return {"models": models, "verdict": judge(models, target), "race": {"stopped": False}}


def test_headlines_name_each_side_by_its_fastest_model() -> None:
    models = {"mlp": model([(2.0, 0.9)]), "tabnet": model([(0.5, 0.9)]), "hgb": model([(0.2, 0.9)]),
              "rf": model([(0.4, 0.9)])}
    hgb = sides.name("hgb", start=True)
    assert plain(headline(race(models, 0.9))) == f"The claim holds: {hgb} reached 90.0% in 0.20 s; TabNet took 0.50 s."
    models["tabnet"] = model([(0.1, 0.9)])
    assert plain(headline(race(models, 0.9))) == ("The claim does not hold: TabNet reached 90.0% in 0.10 s, "
                                                 f"{sides.name('hgb')} in 0.20 s.")


def test_headlines_say_when_no_model_of_a_side_got_there() -> None:
    neural_missed = {"mlp": model([(2.0, 0.5)]), "tabnet": model([(0.5, 0.5)]), "xgb": model([(0.2, 0.9)])}
    assert plain(headline(race(neural_missed, 0.9))).endswith("; neither the MLP nor TabNet did.")
    simpler_missed = {"mlp": model([(2.0, 0.9)]), "rf": model([(1.0, 0.5)]), "xgb": model([(1.0, 0.5)]),
                      "hgb": model([(1.0, 0.5)]), "logreg": model([(1.0, 0.5)])}
    assert plain(headline(race(simpler_missed, 0.9))) == ("The claim does not hold: the MLP reached 90.0% in 2.00 s; "
                                                         "no simpler model did.")
    unknown_won = {"mlp": model([(2.0, 0.9)]), "rf": model([(1.0, 0.5)]), UNKNOWN: model([(0.1, 0.9)])}
    assert plain(headline(race(unknown_won, 0.9))) == ("The claim does not hold: the MLP reached 90.0% in 2.00 s; "
                                                      "RandomForest never did.")


def test_repeats_headline_notes_the_fastest_neural_networks_reach() -> None:
    summary = {"hgb": {"time_to_target": {"mean": 0.2}, "reached": 4, "runs": 4},
               "mlp": {"time_to_target": {"mean": 3.0}, "reached": 4, "runs": 4},
               "tabnet": {"time_to_target": {"mean": 1.0}, "reached": 2, "runs": 4}}
    result = {"models": {}, "verdict": {"claim_holds": True, "target": 0.8, "text": ""},
              "repeats": {"count": 4, "summary": summary, "claim_per_run": [True] * 4}}
    assert plain(headline(result)) == (f"The claim holds: {sides.name('hgb', start=True)} reached 80.0% in 0.20 s; "
                                       "TabNet took 1.00 s (reached in 2 of 4 seeds); the claim held in 4 of 4 seeds.")


def test_the_profile_weighs_the_sides_and_leaves_an_unknown_model_out() -> None:
    models = {"mlp": model([(1.0, 0.6), (5.0, 0.7)]), "tabnet": model([(2.0, 0.6), (3.0, 0.72)]),
              "hgb": model([(0.1, 0.65), (0.2, 0.8)]), "logreg": model([(0.05, 0.62), (0.3, 0.75)])}
    block = profile_block(models)
    assert block["simple_first_share"] == 1.0 and block["crossovers"] == []
    assert plain(profile_sentence(block)) == ("A simpler model was first to every target from 60.0% to 80.0%; "
                                              "the neural networks' best was 72.0%.")
    models[UNKNOWN] = model([(0.01, 0.9)])  # first to every target, and on neither side
    block = profile_block(models)
    assert {s["first"] for s in block["segments"]} == {UNKNOWN}
    assert block["simple_first_share"] == 1.0, "among the models with a side, a simpler one was first everywhere"
    neural = profile_block({"mlp": model([(0.5, 0.7), (1.0, 0.9)]), "tabnet": model([(0.1, 0.65), (0.2, 0.8)]),
                            "xgb": model([(2.0, 0.6)])})
    assert neural["simple_first_share"] == 0.0
    assert plain(profile_sentence(neural)) == "A neural network was first to every target from 60.0% to 90.0%."
    crossing = profile_block({"tabnet": model([(0.5, 0.7), (3.0, 0.9)]), "hgb": model([(0.1, 0.75), (0.2, 0.8)])})
    assert crossing["crossovers"] == [{"target": 0.8, "from": "hgb", "to": "tabnet", "seconds": 3.0}]


def interval(mean: float | None) -> dict:
    return {"mean": mean, "low": None, "high": None, "n": 1, "interval": None, "centre": "mean"}


def summary_of(reached: dict[str, float | None]) -> dict:
    return {k: {"time_to_target": interval(t), "reached": 1 if t is not None else 0, "runs": 1,
                "test_accuracy": interval(0.8), "macro_f1": interval(0.7), "train_seconds": interval(1.0)}
            for k, t in reached.items()}


def test_weighing_pairs_every_neural_network_with_every_simpler_model() -> None:
    summary = summary_of({"mlp": None, "tabnet": None, "hgb": 0.4, "logreg": 0.9, UNKNOWN: 0.1})
    mcnemar = [{"a": a, "b": b, "p_value": 0.01, "only_a": 5, "only_b": 1, "rows": 100}
               for a, b in (("mlp", "tabnet"), ("mlp", "hgb"), ("tabnet", "logreg"), ("hgb", "logreg"), (UNKNOWN, "mlp"))]
    pairwise = [{"a": "hgb", "b": "tabnet", "mean_difference": 0.02, "p_value": 0.03},
                {"a": "hgb", "b": "logreg", "mean_difference": 0.01, "p_value": 0.2},
                {"a": "mlp", "b": UNKNOWN, "mean_difference": 0.01, "p_value": 0.2}]
    verdict = judge_runs(summary, pairwise, [True], 0.8, 1, [{"mcnemar": mcnemar}], [])
    assert verdict["time_to_target"] == {"mlp": None, "tabnet": None, "hgb": 0.4, "logreg": 0.9, UNKNOWN: 0.1}
    text = plain(verdict["text"])
    hgb, logreg = sides.name("hgb"), sides.name("logreg")
    assert text.startswith(f"{sides.name('hgb', start=True)} reached 80.0% validation accuracy in 0.40 s; "
                           "neither the MLP nor TabNet reached it;"), "the fastest simpler model, not the unknown one"
    assert f"{hgb}'s test accuracy was 2.0 points higher than TabNet's (p = 0.03" in text
    assert f"McNemar's exact test, {hgb} against the MLP: p = 0.01" in text
    assert f"McNemar's exact test, {logreg} against TabNet: p = 0.01" in text
    assert text.count("McNemar") == 2, "no test within one side, none with a model of no side"
    assert text.count("test accuracy was") == 1
    summary["tabnet"] = summary_of({"tabnet": 0.6})["tabnet"]
    text = plain(judge_runs(summary, [], [True], 0.8, 1, [], [])["text"])
    assert text.startswith(f"{sides.name('hgb', start=True)} reached 80.0% validation accuracy in 0.40 s against TabNet's 0.60 s")


def test_the_backend_note_names_every_model_on_keras() -> None:
    assert backend_sentence("jax") == " The MLP ran on Keras with the JAX backend."
    assert backend_sentence("tensorflow", True, ["mlp", "hgb", "tabnet"]) == (
        " The MLP and TabNet ran on Keras with the TensorFlow backend on the GPU.")
    assert backend_sentence("jax", keys=["tabnet", UNKNOWN]) == " TabNet ran on Keras with the JAX backend."
    assert backend_sentence("jax", keys=["rf"]) == ""


def test_no_model_key_is_written_into_the_judging_code() -> None:
    import modelrace.models.judging as judging

    keys = "|".join(sorted(set(registry.DEFAULT_MODELS) | set(registry.MODEL_KEYS)))
    literal = re.compile(rf"[\"']({keys})[\"']")
    found = [f"{path.name}:{n}" for path in Path(judging.__file__).parent.glob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if literal.search(line)]
    assert found == []
