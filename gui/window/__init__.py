"""The desktop front end: the main window, its panels and dialogs, and the race session behind them (Qt)."""
