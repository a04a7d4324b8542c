"""A plugin that cannot be imported: it needs a library that is not installed."""

import modelrace_no_such_dependency  # noqa: F401 - the point: this import fails

SPEC = None
