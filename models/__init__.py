"""The Qt-free engine of modelrace: datasets, trainers, the race, metrics, verdict and results.

Nothing in this package imports Qt. Heavy libraries (keras/tensorflow, xgboost) are imported
lazily inside the trainers that need them, so that importing the engine stays cheap.
"""
