"""Exit statuses of the ``modelrace`` command."""

EXIT_OK = 0
EXIT_MODEL_FAILED = 1  # a model failed; the others finished and everything asked for was written
EXIT_USAGE = 2  # a user mistake: one line says what and how to fix it
EXIT_INTERRUPTED = 130  # Ctrl+C: the race stopped, what finished was kept and written
