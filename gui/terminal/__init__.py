"""The terminal front end: the ``modelrace`` command (headless races, data, reports, workshop kits), no Qt."""
