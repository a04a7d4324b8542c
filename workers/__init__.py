"""Runs the engine off the GUI thread: one event relay, QThreads made and deleted on the GUI thread, plain jobs."""
