"""A plugin that reuses modelrace's own RandomForest trainer with other settings, under a key of its own.

A natural way to add a variant ("rf_deep": shallow trees not allowed); modelrace's own rf must stay rf.
"""

from __future__ import annotations

from modelrace.models.trainers.configs import ForestConfig
from modelrace.models.trainers.forest import ForestTrainer, forest_script
from modelrace.models.trainers.spec import Library, ModelSpec

SPEC = ModelSpec(key="rf_deep", label="Deep forest", short_label="DEEP", unit="deep tree", config=ForestConfig,
                 trainer=ForestTrainer, side="simpler",
                 libraries=(Library("sklearn.ensemble", "scikit-learn", "scikit-learn"),), repro=forest_script)
