"""A plugin whose entry point names a plain dict shaped like a spec, not a ModelSpec."""

SPEC = {"key": "notspec", "label": "Not a spec", "short_label": "NS", "unit": "step", "side": "simpler"}
