"""The Qt-free engine of modelrace, one topic per sub-package.

From the bottom up: ``system`` (errors, paths, atomic writes), ``data`` (datasets), ``trainers``,
``results`` (the result document), ``judging`` (the verdict), ``race`` (the entry point,
``race.engine.run``), ``output`` (reports) and ``workshop`` (kits). Each imports only the topics
below it (import-linter contracts in pyproject.toml). Nothing here imports Qt, and heavy libraries
(keras/tensorflow, xgboost, pandas, matplotlib) load lazily, inside the code that needs them.
"""
