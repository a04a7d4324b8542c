"""What every other topic may use: errors and their wording, paths, atomic writes, environment, formats."""
