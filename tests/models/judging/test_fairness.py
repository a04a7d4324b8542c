"""The busy-machine warning names every model that trained while other programs took the CPU."""

from __future__ import annotations

from modelrace.models.judging.fairness import contended, contention_warning, runs_contention_warning
from modelrace.models.system.cpu_load import WARN_SHARE


def _models(**shares: float | None) -> dict[str, dict]:
    return {key: {"status": "finished", "contention": None if share is None else {"mean": share, "peak": min(1.0, share * 2)}}
            for key, share in shares.items()}


def test_every_contended_model_is_named_worst_first_in_one_sentence() -> None:
    # As seen: 53-59% while each of the three trained, and the warning named only the worst.
    warning = contention_warning(_models(mlp=0.53, rf=0.59, xgb=0.55))
    assert warning == ("Timings may be unfair: other programs used 59% of the CPU while RandomForest trained, 55% while "
                       "XGBoost did and 53% while the MLP did; close them and race again.")
    assert warning.count(".") == 1, "one sentence"


def test_only_models_above_the_threshold_that_raced_are_named() -> None:
    models = _models(mlp=0.05, rf=0.40, xgb=WARN_SHARE)
    models["xgb"]["contention"]["mean"] = WARN_SHARE  # at the threshold: not contended
    assert contended(models) == [("rf", 0.40)]
    assert contention_warning(models) == ("Timings may be unfair: other programs used 40% of the CPU while RandomForest "
                                          "trained; close them and race again.")
    failed = _models(rf=0.9, xgb=None)
    failed["rf"]["status"] = "failed"
    assert contention_warning(failed) is None
    assert contention_warning(_models(mlp=0.02, rf=None)) is None


def test_the_repeats_warning_names_the_busy_runs_and_every_contended_model() -> None:
    runs = [(0, _models(mlp=0.53, rf=0.59, xgb=0.02)), (1, _models(mlp=0.01, rf=0.01, xgb=0.01)),
            (2, _models(mlp=0.05, rf=0.20, xgb=0.70))]
    warning = runs_contention_warning(runs)
    assert warning == ("Timings may be unfair: 2 of 3 runs (seeds 0 and 2) ran on a busy machine, where other programs "
                       "used up to 70% of the CPU while XGBoost trained, 59% while RandomForest did and 53% while the MLP "
                       "did; close them and race again.")
    one = runs_contention_warning([(4, _models(xgb=0.38)), (5, _models(xgb=0.0))])
    assert one == ("Timings may be unfair: 1 of 2 runs (seed 4) ran on a busy machine, where other programs used 38% of "
                   "the CPU while XGBoost trained; close them and race again.")
    every = runs_contention_warning([(0, _models(rf=0.3)), (1, _models(rf=0.5))])
    assert every is not None and every.startswith("Timings may be unfair: both runs ran on a busy machine")
    assert "up to 50% of the CPU while RandomForest trained" in every
    assert runs_contention_warning([(0, _models(rf=0.3)), (1, _models(rf=0.5)), (2, _models(mlp=0.2))]).startswith(
        "Timings may be unfair: all 3 runs ran on a busy machine")
    assert runs_contention_warning([(0, _models(rf=0.01))]) is None
