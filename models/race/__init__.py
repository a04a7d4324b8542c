"""Running races: the entry point (``engine.run``), settings, presets, one race, repeats, sizes and workers."""
