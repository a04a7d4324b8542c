"""The desktop front end: the main window, its panels and dialogs, and the race session behind them (Qt).

This package's ``__init__`` stays free of Qt: ``modelrace gui --help`` and its option checks read it
before Qt loads.
"""

#: The results tabs, in the window's order, by the names ``modelrace gui --tab`` takes.
TAB_NAMES = ("results", "profile", "confusion", "evidence", "sizes", "cells", "log")
