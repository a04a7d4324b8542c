"""Runs the engine's trainers off the GUI thread and batches their progress into Qt signals."""
