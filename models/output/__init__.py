"""What a result becomes for people: HTML and PDF reports, CSV, charts, the results table, a reproduction script."""
