"""The desktop front end: the main window, its panels and dialogs, and the race session behind them (Qt).

This package's ``__init__`` stays free of Qt: ``modelrace gui --help`` and its option checks read it
before Qt loads.
"""

#: The results tabs, in the window's order: (the name ``modelrace gui --tab`` takes, the label shown). Each
#: name is its label in lower case, so a reader who sees "Time to target" types ``--tab time-to-target``.
TABS = (("results", "Results"), ("time-to-target", "Time to target"), ("confusion-matrices", "Confusion matrices"),
        ("how-sure", "How sure?"), ("data-size", "Data size"), ("cells", "Cells"), ("log", "Log"))
TAB_NAMES = tuple(name for name, _ in TABS)
#: Names earlier versions took, still accepted.
TAB_ALIASES = {"profile": "time-to-target", "confusion": "confusion-matrices", "evidence": "how-sure",
               "sizes": "data-size"}

#: Presenter-mode text sizes (Ctrl+= / Ctrl+-, ``modelrace gui --presenter 150``).
PRESENTER_SCALES = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5)
